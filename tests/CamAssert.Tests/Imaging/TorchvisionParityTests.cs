using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>
/// Preprocessing against torchvision 0.14 on PIL 9.4 (tools/make_image_fixtures.py ran the
/// transforms on photo.png and photo.jpg, a 320×240 photo, and saved PIL's resized uint8 images
/// and one normalised tensor). On the PNG the resampling is compared alone; on the JPEG the
/// decoders (libjpeg in PIL, ImageSharp here) are compared first, then the whole pipeline.
/// Measured numbers are in docs/IMAGES.md.
/// </summary>
public class TorchvisionParityTests
{
    private static string Photo(string name) => Fixtures.Path_("images", "photo", name);

    /// <summary>name → shorter side, crop, output width, output height (torchvision's transforms in the tool).</summary>
    public static TheoryData<string, int?, int?, int, int> Pipelines => new()
    {
        { "resize256_crop224", 256, 224, 224, 224 },
        { "resize96_crop80", 96, 80, 80, 80 },
        { "resize_60x90", null, null, 90, 60 },
        { "resize_up_260x345", null, null, 345, 260 },
    };

    private static Preprocessing Pil(int? shorter, int? crop) => new() { ShorterSide = shorter, CenterCrop = crop, Resize = ResizeMethod.PilBilinear };

    private static int[] Levels(CamImage image) => image.Pixels.Select(p => (int)MathF.Round(p * 255f)).ToArray();

    private static int[] Reference(string npy) => Npy.Read(Photo(npy)).F.Select(v => (int)v).ToArray();

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void On_a_png_the_resized_image_is_PILs_to_the_bit(string name, int? shorter, int? crop, int width, int height)
    {
        var prepared = Pil(shorter, crop).Prepare(CamImage.Load(Photo("photo.png")), width, height);
        var expected = Reference($"{name}_png.npy");
        (prepared.Width, prepared.Height).Should().Be((width, height));
        var actual = Levels(prepared);
        int differing = actual.Zip(expected).Count(p => p.First != p.Second);
        differing.Should().Be(0, "PIL's fixed-point bilinear is reproduced exactly on 8-bit images ({0}; largest difference {1} levels)",
            name, actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)));
    }

    [Fact]
    public void The_normalised_tensor_matches_torchvision_to_float_rounding()
    {
        var options = Preprocessing.TorchvisionImageNet with { ShorterSide = 96, CenterCrop = 80 };
        var (values, shape) = options.ToArray(CamImage.Load(Photo("photo.png")), 80, 80);
        var expected = Npy.Read(Photo("resize96_crop80_normalized_png.npy"));
        shape.Should().Equal(1, 3, 80, 80);
        expected.Shape.ToArray().Should().Equal(3, 80, 80);
        values.Zip(expected.F).Max(p => Math.Abs(p.First - p.Second)).Should().BeLessThan(1e-5f, "ToTensor and Normalize are the same float32 arithmetic");
    }

    [Fact]
    public void The_jpeg_decoders_differ_by_a_few_levels()
    {
        var ours = Levels(CamImage.Load(Photo("photo.jpg")));
        var libjpeg = Reference("decoded_jpg.npy");
        var diffs = ours.Zip(libjpeg, (a, b) => Math.Abs(a - b)).ToArray();
        // Measured 2026-12-02: see docs/IMAGES.md. ImageSharp's IDCT and chroma upsampling are not libjpeg's.
        diffs.Max().Should().BeLessThanOrEqualTo(MaxJpegDecoderLevels, "mean {0:F3} levels", diffs.Average());
        diffs.Average().Should().BeLessThan(0.9);
        WithinOneLevel(diffs).Should().BeGreaterThan(0.75, "most samples of the two decoders agree to 1/255 (measured 0.79)");
    }

    [Theory]
    [InlineData("resize256_crop224", 256, 224)]
    [InlineData("resize96_crop80", 96, 80)]
    public void On_a_jpeg_the_pipeline_differs_only_by_what_the_decoders_do(string name, int shorter, int crop)
    {
        var prepared = Pil(shorter, crop).Prepare(CamImage.Load(Photo("photo.jpg")), crop, crop);
        var diffs = Levels(prepared).Zip(Reference($"{name}_jpg.npy"), (a, b) => Math.Abs(a - b)).ToArray();
        diffs.Max().Should().BeLessThanOrEqualTo(MaxJpegPipelineLevels, "resizing averages decoder differences (mean {0:F3})", diffs.Average());
        diffs.Average().Should().BeLessThan(0.6);
        WithinOneLevel(diffs).Should().BeGreaterThan(0.88, "after antialiased resizing most samples agree to 1/255 (measured 0.907 at 224, 0.987 at 80)");
    }

    private static double WithinOneLevel(int[] diffs) => diffs.Count(d => d <= 1) / (double)diffs.Length;

    private const int MaxJpegDecoderLevels = 32;

    private const int MaxJpegPipelineLevels = 20;
}
