using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;
using Xunit.Abstractions;

namespace CamAssert.Tests.Cam;

/// <summary>
/// Deletion and insertion curves against RISE's own evaluation code (eclique/RISE evaluation.py, run by
/// tools/make_causal_references.py into tests/fixtures/cams/causal.json): every score of every curve and its
/// AUC within 1e-4, on the CAM fixtures (their Grad-CAM maps from pgc.json) and the trained shapes classifier.
/// </summary>
public class CausalCurveReferenceTests(ITestOutputHelper output)
{
    private const string File_ = "causal.json";

    public static TheoryData<string, int> Cases() => ReferenceCases.Rows(File_);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Curve_matches_RISE(string model, int index)
    {
        var entry = ReferenceCases.Models(File_).GetProperty(model);
        var c = entry.GetProperty("cases")[index];
        var (m, input, map) = Load(model);
        var target = Target.Probability(entry.GetProperty("class").GetInt32());
        var options = new CausalCurveOptions { Step = c.GetProperty("step").GetInt32() };
        var curve = c.GetProperty("game").GetString() == "deletion" ? m.DeletionCurve(input, map, target, options) : m.InsertionCurve(input, map, target, options);
        var expected = c.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        curve.Scores.Should().HaveCount(expected.Length);
        double worst = curve.Scores.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{model} {curve.Game} step {curve.Step}: max abs {worst:E1} over {expected.Length} scores (from {expected.Min():0.###} to {expected.Max():0.###}); AUC {curve.Auc:0.#####} vs {c.GetProperty("auc").GetDouble():0.#####}");
        worst.Should().BeLessThanOrEqualTo(1e-4, "the {0} curve of {1} must be RISE's", curve.Game, model);
        curve.Auc.Should().BeApproximately(c.GetProperty("auc").GetDouble(), 1e-4);
    }

    private static (CamModel Model, Tensor Input, float[] Map) Load(string name)
    {
        var (m, x) = ReferenceCases.Load(name);
        if (name.StartsWith("shapes/", StringComparison.Ordinal))
            return (m, x, Npy.Read(Fixtures.Path_("shapes", "images", name["shapes/".Length..] + ".gradcam.npy")).F);
        var pgc = PgcReference.Models_.GetProperty(name);
        var c = pgc.GetProperty("cases")[pgc.GetProperty("metrics").GetProperty("map_case").GetInt32()];
        return (m, x, PgcReference.Decode(c.GetProperty("map").GetString()!));
    }
}
