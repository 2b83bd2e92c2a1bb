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
    private static readonly Lazy<JsonElement> Models = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "causal.json"))).RootElement.GetProperty("models"));

    private static readonly Lazy<CamModel> Shapes = new(() => CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx")));

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in Models.Value.EnumerateObject())
            for (int i = 0; i < model.Value.GetProperty("cases").GetArrayLength(); i++) data.Add(model.Name, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Curve_matches_RISE(string model, int index)
    {
        var entry = Models.Value.GetProperty(model);
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
        if (name.StartsWith("shapes/", StringComparison.Ordinal))
        {
            var model = Shapes.Value;
            string file = name["shapes/".Length..];
            var input = model.InputFor(CamImage.Load(Fixtures.Path_("shapes", "images", file)), Preprocessing.Default);
            return (model, input, Npy.Read(Fixtures.Path_("shapes", "images", file + ".gradcam.npy")).F);
        }
        var (m, x) = PgcReference.Load($"cams/{name}");
        var pgc = PgcReference.Models_.GetProperty(name);
        var c = pgc.GetProperty("cases")[pgc.GetProperty("metrics").GetProperty("map_case").GetInt32()];
        return (m, x, PgcReference.Decode(c.GetProperty("map").GetString()!));
    }
}
