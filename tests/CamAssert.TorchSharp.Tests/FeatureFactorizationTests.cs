using System.Text.Json;
using CamAssert.Cam.Factorization;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// Deep Feature Factorization on the TorchSharp backend (the ResNetish module) against pytorch-grad-cam 1.5.5's
/// DeepFeatureFactorization with scikit-learn 1.2.1's NMF on the same weights (tests/fixtures/torchsharp/dff.json,
/// from tools/make_dff_references.py): the iteration count exactly, concepts and maps within 1e-4.
/// </summary>
public class FeatureFactorizationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Cases_ = new(() =>
        JsonDocument.Parse(File.ReadAllText(TorchFixtures.Path_("dff.json"))).RootElement.GetProperty("models").GetProperty("torchsharp_resnetish").GetProperty("cases"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Factorization_of_a_module_matches_pytorch_grad_cam(int index)
    {
        var c = Cases_.Value[index];
        int k = c.GetProperty("components").GetInt32();
        var dff = TorchFixtures.ResNetish.FactorizeFeatures(TorchFixtures.Input, k, new Models.Layers.LayerPath("backbone.layer2"));
        var concepts = Decode(c.GetProperty("concepts").GetString()!);
        var maps = Decode(c.GetProperty("heatmaps").GetString()!);
        var mine = dff.Maps.SelectMany(b => b.SelectMany(f => f)).ToArray();
        output.WriteLine($"k={k}: iterations {dff.Iterations} (scikit-learn {c.GetProperty("n_iter").GetInt32()}), concepts {Worst(dff.Concepts, concepts):E1}, maps {Worst(mine, maps):E1}");
        dff.Iterations.Should().Be(c.GetProperty("n_iter").GetInt32());
        Worst(dff.Concepts, concepts).Should().BeLessThanOrEqualTo(1e-4 * Math.Max(1, concepts.Max(Math.Abs)));
        Worst(mine, maps).Should().BeLessThanOrEqualTo(1e-4);
        var scores = Decode(c.GetProperty("scores").GetString()!);
        dff.Scores.Should().NotBeNull(dff.ScoresUnavailable);
        output.WriteLine($"  scores {Worst(dff.Scores!, scores):E1}");
        Worst(dff.Scores!, scores).Should().BeLessThanOrEqualTo(1e-4 * Math.Max(1, scores.Max(Math.Abs)));
    }

    private static float[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var r = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, r, 0, bytes.Length);
        return r;
    }

    private static double Worst(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
