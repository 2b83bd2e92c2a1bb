using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Imaging;

/// <summary>
/// Concept pictures against pytorch-grad-cam's show_factorization_on_image itself (tests/fixtures/cams/dff-pictures,
/// from tools/make_dff_picture_references.py): pytorch-grad-cam's own concept maps (cams/dff.json) over the same image.
/// </summary>
public class ConceptOverlayTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models_ = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "dff.json"))).RootElement.GetProperty("models"));

    public static TheoryData<string> Pictures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixtures.Path_("cams", "dff-pictures"), "*.png").Where(f => !f.EndsWith(".image.png")).Order())
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Pictures))]
    public void Picture_is_pytorch_grad_cams_to_the_byte(string picture)
    {
        var (model, index) = (picture[..picture.LastIndexOf('.')], int.Parse(picture[(picture.LastIndexOf('.') + 1)..]));
        var c = Models_.Value.GetProperty(model).GetProperty("cases")[index];
        var shape = c.GetProperty("heatmaps_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var all = PgcReference.Decode(c.GetProperty("heatmaps").GetString()!);
        int plane = shape[2] * shape[3];
        var maps = Enumerable.Range(0, shape[1]).Select(j => all.AsSpan(j * plane, plane).ToArray()).ToArray();
        var image = CamImage.Load(Fixtures.Path_("cams", "dff-pictures", picture + ".image.png"));
        var expected = CamImage.Load(Fixtures.Path_("cams", "dff-pictures", picture + ".png"));

        var actual = ConceptOverlay.Render(maps, shape[3], shape[2], image);

        actual.Width.Should().Be(expected.Width);
        actual.Height.Should().Be(expected.Height);
        var differences = actual.Pixels.Zip(expected.Pixels, (a, e) => Math.Abs(MathF.Round(a * 255) - MathF.Round(e * 255))).ToArray();
        output.WriteLine($"{picture}: {shape[1]} concepts, {differences.Count(d => d > 0)} of {differences.Length} bytes differ, by at most {differences.Max()}");
        differences.Max().Should().Be(0, "the picture is drawn with pytorch-grad-cam's colours and OpenCV's 8-bit HSV conversions");
    }

    [Fact]
    public void Each_pixel_takes_the_colour_of_its_strongest_concept_at_that_strength()
    {
        static float[] Pixel(float first, float second) => ConceptOverlay.Render([[first], [second]], 1, 1, imageWeight: 0).Pixels;
        // Concept 0 of 2 is gist_rainbow(0) = (1, 0, 0.16); at full strength its 8-bit colour, at half strength half as bright.
        var full = Pixel(1, 0);
        (full[0], full[1]).Should().Be((1f, 0f));
        full[2].Should().BeApproximately(0.16f, 3 / 255f);
        var half = Pixel(0.5f, 0);
        (half[0], half[1]).Should().Be((127 / 255f, 0f), "⌊255 · 0.5⌋ = 127");
        half[2].Should().BeApproximately(0.08f, 3 / 255f);
        Pixel(0.2f, 0.5f).Should().NotEqual(Pixel(0.5f, 0.2f), "the second concept has its own colour");
        Pixel(0.5f, 0.5f).Should().Equal(Pixel(0.5f, 0), "a tie goes to the first concept, as NumPy's argmax");
    }

    [Fact]
    public void Bad_maps_are_refused_with_what_is_wrong()
    {
        var none = () => ConceptOverlay.Render(Array.Empty<float[]>(), 2, 2);
        none.Should().Throw<ArgumentException>().WithMessage("*there are none*");
        var wrong = () => ConceptOverlay.Render([new float[4], new float[3]], 2, 2);
        wrong.Should().Throw<ArgumentException>().WithMessage("*map 1 has 3 values, but 2×2 needs 4*");
        var weight = () => ConceptOverlay.Render([new float[4]], 2, 2, imageWeight: 1.5f);
        weight.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*image weight*");
    }
}
