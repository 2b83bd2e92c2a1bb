using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>
/// CamImage.Load (ImageSharp) against PNG files written by other encoders (PIL, and the
/// independent writer in tools/make_png_fixtures.py that cycles all five filters): every colour
/// type, bit depth, tRNS kind, Adam7 and text chunk kind, with PIL-checked values in expected.json.
/// </summary>
public class PngFixtureTests
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("images", "png", "expected.json"))).RootElement);

    // interlaced_graya8_3x2.png is refused (ImageSharp 2.1.13 hangs on it): ImageFormatTests.A_narrow_interlaced_png_is_refused_instead_of_hanging.
    public static TheoryData<string> Files() => new(Expected.Value.EnumerateObject().Select(p => p.Name).Where(n => n != "interlaced_graya8_3x2.png"));

    [Theory]
    [MemberData(nameof(Files))]
    public void CamImage_loads_them_scaled_to_0_1(string file)
    {
        var e = Expected.Value.GetProperty(file);
        int depth = e.GetProperty("depth").GetInt32();
        var image = CamImage.Load(Fixtures.Path_("images", "png", file));
        image.BitDepth.Should().Be(depth);
        image.Channels.Should().Be(e.GetProperty("channels").GetInt32());
        float max = depth == 16 ? 65535f : 255f;
        image.Pixels.Should().Equal(e.GetProperty("samples").EnumerateArray().Select(v => v.GetInt32() / max));
        if (e.TryGetProperty("text", out var text))
            image.Text.Should().BeEquivalentTo(text.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), "tEXt, zTXt and iTXt chunks are read");
    }

    [Fact]
    public void A_known_tiny_png_has_exactly_its_pixels()
    {
        // tiny.png (PIL, RGBA 3×2): red, green, blue / white, black, mid-grey fully transparent.
        var image = CamImage.Load(Fixtures.Path_("images", "png", "tiny.png"));
        (image.Width, image.Height, image.Channels, image.BitDepth).Should().Be((3, 2, 4, 8));
        image.Pixel(0, 0).ToArray().Should().Equal(1f, 0f, 0f, 1f);
        image.Pixel(1, 0).ToArray().Should().Equal(0f, 1f, 0f, 1f);
        image.Pixel(2, 0).ToArray().Should().Equal(0f, 0f, 1f, 1f);
        image.Pixel(0, 1).ToArray().Should().Equal(1f, 1f, 1f, 1f);
        image.Pixel(1, 1).ToArray().Should().Equal(0f, 0f, 0f, 1f);
        image.Pixel(2, 1).ToArray().Should().Equal(128 / 255f, 128 / 255f, 128 / 255f, 0f);
        image.Source.Should().EndWith("tiny.png");
    }
}
