using CamAssert.Imaging.Png;

namespace CamAssert.Tests.Imaging;

/// <summary>Adam7 decoding on hand-built files: sizes with empty passes, partial tiles, 8 and 16 bits.</summary>
public class PngInterlaceTests
{
    [Theory]
    [InlineData(1, 1, 3, 8)]
    [InlineData(2, 3, 3, 8)]
    [InlineData(5, 5, 1, 8)]
    [InlineData(8, 8, 4, 8)]
    [InlineData(11, 10, 3, 8)]
    [InlineData(13, 17, 1, 16)]
    [InlineData(9, 4, 2, 16)]
    public void Decodes_adam7_images_of_any_size(int width, int height, int channels, int depth)
    {
        var rnd = new Random(width * 31 + height);
        int max = depth == 16 ? 65536 : 256;
        var samples = Enumerable.Range(0, width * height * channels).Select(_ => rnd.Next(max)).ToArray();
        byte colorType = channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        var file = PngBuilder.Image(PngBuilder.Ihdr(width, height, (byte)depth, colorType, interlace: 1),
            PngBuilder.Zlib(PngBuilder.Scanlines(samples, width, height, channels, depth, interlaced: true)));

        var png = PngDecoder.Decode(file, "interlaced.png");

        png.Samples.Select(s => (int)s).Should().Equal(samples);
    }

    [Fact]
    public void Passes_cover_every_pixel_exactly_once()
    {
        foreach (var (w, h) in new[] { (1, 1), (3, 2), (8, 8), (9, 13), (16, 5) })
        {
            var hits = new int[w * h];
            foreach (var p in Adam7.Passes(w, h, interlaced: true))
                for (int j = 0; j < p.Height; j++)
                    for (int i = 0; i < p.Width; i++)
                        hits[(p.Y0 + j * p.Dy) * w + p.X0 + i * p.Dx]++;
            hits.Should().OnlyContain(n => n == 1, $"a {w}×{h} image");
        }
    }

    [Fact]
    public void A_one_pixel_image_has_only_the_first_pass()
    {
        Adam7.Passes(1, 1, interlaced: true).Should().Equal(new PngPass(0, 0, 8, 8, 1, 1));
    }
}
