using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;
using Xunit.Abstractions;

namespace CamAssert.Tests.Cam;

/// <summary>
/// Target.Segmentation and Target.Similarity against pytorch-grad-cam 1.5.5 itself
/// (SemanticSegmentationTarget; the embeddings tutorial's SimilarityToConceptTarget), run by
/// tools/make_target_references.py on torchvision FCN / DeepLabV3 classes with a tiny backbone
/// and on a small embedding CNN (tests/fixtures/segmentation/targets.json): at most 1e-4 per pixel.
/// </summary>
public class TargetReferenceTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("segmentation", "targets.json"))).RootElement.GetProperty("models"));

    public static TheoryData<string, int, string> Cases() => ReferenceCases.DescribedRows(Models.Value);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_matches_pytorch_grad_cam(string model, int index, string description)
    {
        var entry = Models.Value.GetProperty(model);
        var c = entry.GetProperty("cases")[index];
        string dir = entry.GetProperty("dir").GetString()!;
        var (m, input) = PgcReference.Load(dir);
        var target = TargetOf(c.GetProperty("target").GetString()!, dir);
        var heatmap = m.Cam(input, target, CamMethods.Parse(c.GetProperty("method").GetString()!), entry.GetProperty("layer").GetString()!);
        var expected = PgcReference.Decode(c.GetProperty("map").GetString()!);

        heatmap.Values.Length.Should().Be(expected.Length, "the map of {0} has the input's size", description);
        double worst = heatmap.Values.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
        output.WriteLine($"{model} {description}: max abs {worst:0.0e0}");
        worst.Should().BeLessThanOrEqualTo(1e-4, "{0} on {1} must be pytorch-grad-cam's map", description, model);
        // Where float32 autograd alone moves pytorch-grad-cam's map by more than 1e-5 (a concept 0.9999 similar to the
        // input: the cosine's gradient cancels), CamAssert, whose target works in double, is held to the float64 run too.
        if (c.TryGetProperty("map_float64", out var exact))
        {
            double worst64 = heatmap.Values.Zip(PgcReference.Decode(exact.GetString()!), (a, b) => (double)Math.Abs(a - b)).Max();
            output.WriteLine($"{model} {description}: max abs {worst64:0.0e0} to the float64 run");
            worst64.Should().BeLessThanOrEqualTo(1e-5, "{0} on {1} must be pytorch-grad-cam's map computed in float64", description, model);
        }
    }

    [Fact]
    public void The_references_cover_both_targets_on_both_segmentation_heads()
    {
        Models.Value.EnumerateObject().Select(m => m.Name).Should().Contain(["fcnish", "deeplabish", "embedding"]);
        Models.Value.EnumerateObject().SelectMany(m => m.Value.GetProperty("cases").EnumerateArray())
            .Select(c => c.GetProperty("method").GetString()).Distinct().Should().Contain(["gradcam", "hirescam", "scorecam"], "gradient methods and a score-only method are checked");
        Models.Value.GetProperty("embedding").GetProperty("cases").EnumerateArray().Where(c => c.TryGetProperty("map_float64", out var _)).Should().NotBeEmpty(
            "the near-parallel concept, where float32 and float64 differ, is checked against the float64 run");
    }

    /// <summary>segmentation:k:mask.npy, segmentation:k:box:x,y,w,h, similarity:concept.npy, similarity:linspace (−1 to 1 in 16 steps, as numpy's linspace).</summary>
    private static Target TargetOf(string text, string dir)
    {
        var parts = text.Split(':');
        if (parts[0] == "segmentation")
        {
            int k = int.Parse(parts[1]);
            if (parts[2] == "box")
            {
                var b = parts[3].Split(',').Select(int.Parse).ToArray();
                return Target.Segmentation(k, Region.Box(b[0], b[1], b[2], b[3]));
            }
            var mask = Npy.Read(Fixtures.Path_([.. dir.Split('/'), parts[2]]));
            var grid = new float[mask.Shape[0], mask.Shape[1]];
            Buffer.BlockCopy(mask.F, 0, grid, 0, mask.Length * sizeof(float));
            return Target.Segmentation(k, grid);
        }
        if (parts[1] == "linspace") return Target.Similarity(Enumerable.Range(0, 16).Select(i => (float)(-1 + 2.0 * i / 15)).ToArray());
        return Target.Similarity(Npy.Read(Fixtures.Path_([.. dir.Split('/'), parts[1]])).F);
    }
}
