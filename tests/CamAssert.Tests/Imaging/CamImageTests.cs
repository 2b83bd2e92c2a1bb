using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>CamImage: factories, pixel access, conversions, saving and loading at 8 and 16 bits.</summary>
public class CamImageTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Factories_scale_bytes_and_copy_floats()
    {
        CamImage.FromRgb(1, 1, new byte[] { 0, 51, 255 }).Pixels.Should().Equal(0f, 0.2f, 1f);
        CamImage.FromRgba(1, 1, new byte[] { 255, 0, 0, 51 }).Channels.Should().Be(4);
        CamImage.FromGray(2, 1, new byte[] { 0, 255 }).Pixels.Should().Equal(0f, 1f);
        var floats = new[] { 0.1f, 0.2f, 0.3f, 0.4f };
        var rgba = CamImage.FromRgba(1, 1, floats);
        floats[0] = 9f;
        rgba[0, 0, 0].Should().Be(0.1f, "the samples are copied");
        CamImage.FromRgb(2, 2, (x, y) => (x, y, 0.5f)).Pixel(1, 0).ToArray().Should().Equal(1f, 0f, 0.5f);
        CamImage.FromGray(1, 1, [0.5f]).BitDepth.Should().Be(8);
    }

    [Fact]
    public void Wrong_shapes_are_explained()
    {
        var count = () => CamImage.FromRgb(2, 2, new float[11]);
        count.Should().Throw<ArgumentException>().WithMessage("*2×2 with 3 channels needs 12 samples, but 11*");
        var channels = () => new CamImage(1, 1, 5, new float[5]);
        channels.Should().Throw<ArgumentException>().WithMessage("*1 to 4 channels*not 5*");
        var depth = () => new CamImage(1, 1, 1, new float[1], "a.png", bitDepth: 12);
        depth.Should().Throw<ArgumentException>().WithMessage("The image 'a.png' has bit depth 12*8 or 16*");
        var empty = () => CamImage.FromRgb(0, 3, new float[0]);
        empty.Should().Throw<ArgumentException>().WithMessage("*at least 1×1*0×3*");
    }

    [Fact]
    public void Pixel_access_outside_the_image_is_explained()
    {
        var image = CamImage.FromGray(3, 2, new float[6]);
        var act = () => image[3, 0, 0];
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Pixel (3, 0) channel 0 is outside the 3×2 image*x runs 0..2*");
        var channel = () => image.Pixel(0, 0).Length + (int)image[0, 0, 1];
        channel.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ToRgb_replicates_gray_and_drops_alpha()
    {
        CamImage.FromGray(1, 1, [0.3f]).ToRgb().Pixels.Should().Equal(0.3f, 0.3f, 0.3f);
        new CamImage(1, 1, 2, [0.3f, 0.9f]).ToRgb().Pixels.Should().Equal(0.3f, 0.3f, 0.3f);
        CamImage.FromRgba(1, 1, [0.1f, 0.2f, 0.3f, 0f]).ToRgb().Pixels.Should().Equal(0.1f, 0.2f, 0.3f);
        var rgb = CamImage.FromRgb(1, 1, [0.1f, 0.2f, 0.3f]);
        rgb.ToRgb().Should().BeSameAs(rgb);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    [InlineData(4, 16)]
    public void Saves_and_loads_losslessly_at_its_depth(int channels, int depth)
    {
        var rnd = new Random(channels + depth);
        float max = depth == 16 ? 65535f : 255f;
        var pixels = Enumerable.Range(0, 5 * 3 * channels).Select(_ => rnd.Next((int)max + 1) / max).ToArray();
        var image = new CamImage(5, 3, channels, pixels, bitDepth: depth);
        string path = _dir.File($"c{channels}d{depth}.png");

        image.Save(path);
        var loaded = CamImage.Load(path);

        (loaded.Width, loaded.Height, loaded.Channels, loaded.BitDepth).Should().Be((5, 3, channels, depth));
        loaded.Pixels.Should().Equal(pixels);
    }

    [Fact]
    public void Saving_clamps_and_rounds()
    {
        string path = _dir.File("clamped.png");
        CamImage.FromGray(4, 1, [-1f, 2f, float.NaN, 0.5f]).Save(path);
        CamImage.Load(path).Pixels.Should().Equal(0f, 1f, 0f, 128 / 255f);
    }

    [Fact]
    public void Text_round_trips_and_a_16_bit_copy_keeps_more_precision()
    {
        string path = _dir.File("sub/dir/heat.png");
        var image = CamImage.FromGray(1, 1, [0.1234f]).WithBitDepth(16);
        image.Save(path, new Dictionary<string, string> { ["camassert:layer"] = "backbone.layer4", ["note"] = "naïve → ok" });
        var loaded = CamImage.Load(path);
        loaded.Text.Should().Contain("camassert:layer", "backbone.layer4").And.Contain("note", "naïve → ok");
        loaded.Pixels[0].Should().BeApproximately(0.1234f, 1f / 65535);
        loaded.Source.Should().Be(path);
    }

    [Fact]
    public void Saving_with_a_bad_key_names_the_file()
    {
        string path = _dir.File("bad-key.png");
        var act = () => CamImage.FromGray(1, 1, [0f]).Save(path, new Dictionary<string, string> { [""] = "v" });
        act.Should().Throw<ArgumentException>().WithMessage($"Cannot write PNG '{path}': the text key ''*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void The_same_image_gives_the_same_bytes()
    {
        var image = CamImage.FromRgb(7, 5, (x, y) => (x / 7f, y / 5f, (x + y) % 2));
        image.ToPng().Should().Equal(CamImage.FromRgb(7, 5, (x, y) => (x / 7f, y / 5f, (x + y) % 2)).ToPng());
    }
}
