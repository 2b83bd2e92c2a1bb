using System.Text.Json;
using CamAssert.Cam.Factorization;
using CamAssert.Models;
using CamAssert.Models.Layers;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// Deep Feature Factorization against pytorch-grad-cam 1.5.5's DeepFeatureFactorization with scikit-learn 1.2.1's NMF,
/// run on the same fixture models by tools/make_dff_references.py (tests/fixtures/cams/dff.json): the iteration count
/// exactly, concepts, layer-resolution factors and input-size maps within 1e-4.
/// </summary>
public class DeepFeatureFactorizationReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models_ = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "dff.json"))).RootElement.GetProperty("models"));

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in Models_.Value.EnumerateObject())
            for (int i = 0; i < model.Value.GetProperty("cases").GetArrayLength(); i++) data.Add(model.Name, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Factorization_matches_pytorch_grad_cam(string model, int index)
    {
        var entry = Models_.Value.GetProperty(model);
        var c = entry.GetProperty("cases")[index];
        var (m, input) = PgcReference.Load($"cams/{model}");
        int k = c.GetProperty("components").GetInt32();
        var dff = m.FactorizeFeatures(input, k, new LayerPath(entry.GetProperty("layer").GetString()!));

        var concepts = PgcReference.Decode(c.GetProperty("concepts").GetString()!);
        var factors = PgcReference.Decode(c.GetProperty("factors").GetString()!);
        var maps = PgcReference.Decode(c.GetProperty("heatmaps").GetString()!);
        var myFactors = dff.Factors.SelectMany(b => b.SelectMany(f => f)).ToArray();
        var myMaps = dff.Maps.SelectMany(b => b.SelectMany(f => f)).ToArray();
        myMaps.Length.Should().Be(maps.Length);
        dff.Concepts.Length.Should().Be(concepts.Length);
        double conceptScale = Math.Max(1, concepts.Max(Math.Abs)), factorScale = Math.Max(1, factors.Max(Math.Abs));
        output.WriteLine($"{model} k={k}: iterations {dff.Iterations} (scikit-learn {c.GetProperty("n_iter").GetInt32()}), concepts {Worst(dff.Concepts, concepts):E1} (largest {concepts.Max(Math.Abs):E1}), " +
                         $"factors {Worst(myFactors, factors):E1} (largest {factors.Max(Math.Abs):E1}), maps {Worst(myMaps, maps):E1}");
        dff.Iterations.Should().Be(c.GetProperty("n_iter").GetInt32(), "scikit-learn's coordinate descent stopped there");
        Worst(dff.Concepts, concepts).Should().BeLessThanOrEqualTo(1e-4 * conceptScale);
        Worst(myFactors, factors).Should().BeLessThanOrEqualTo(1e-4 * factorScale);
        Worst(myMaps, maps).Should().BeLessThanOrEqualTo(1e-4);
        if (c.TryGetProperty("scores", out var s))
        {
            var scores = PgcReference.Decode(s.GetString()!);
            dff.Scores.Should().NotBeNull(dff.ScoresUnavailable);
            output.WriteLine($"  scores {Worst(dff.Scores!, scores):E1} (largest {scores.Max(Math.Abs):E1})");
            Worst(dff.Scores!, scores).Should().BeLessThanOrEqualTo(1e-4 * Math.Max(1, scores.Max(Math.Abs)));
        }
        else dff.Scores.Should().BeNull("{0} has no global-average-pool classifier", model);
    }

    private static double Worst(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
