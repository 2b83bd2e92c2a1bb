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

    [Fact]
    public void Zero_components_are_refused_with_the_count()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var act = () => m.FactorizeFeatures(input, 0, new LayerPath("backbone.layer2"));
        act.Should().Throw<CamAssert.Cam.CamException>().WithMessage("*at least one component*0*");
    }

    [Fact]
    public void A_model_without_a_pooled_linear_head_gets_no_scores_and_the_reason()
    {
        var (m, input) = PgcReference.Load("cams/vitish");
        var dff = m.FactorizeFeatures(input, 3, new LayerPath("encoder.layers.encoder_layer_1.ln_1"));
        dff.Scores.Should().BeNull();
        dff.ScoresUnavailable.Should().Contain("global average pool");
        var act = () => dff.TopClass(0);
        act.Should().Throw<InvalidOperationException>().WithMessage("*no scores*");
    }

    [Fact]
    public void The_same_input_gives_the_same_bits()
    {
        var (m, input) = PgcReference.Load("cams/mobilenetish");
        var a = m.FactorizeFeatures(input, 5, new LayerPath("features"));
        var b = m.FactorizeFeatures(input, 5, new LayerPath("features"));
        b.Concepts.Should().Equal(a.Concepts);
        b.Maps[0].SelectMany(x => x).Should().Equal(a.Maps[0].SelectMany(x => x));
    }

    private static double Worst(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
