using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.Tests.Support;
using Xunit.Abstractions;

namespace CamAssert.Tests.Cam;

/// <summary>
/// CAM, SS-CAM, IS-CAM and Smooth Grad-CAM++ against TorchCAM itself, run on the same fixture models
/// by tools/make_torchcam_references.py (tests/fixtures/cams/torchcam.json, with the noise fed from
/// numpy's seeded generator): at most 1e-4 absolute difference per position of TorchCAM's normalised
/// map at layer resolution, and of its unnormalised map relative to its maximum.
/// </summary>
public class TorchCamReferenceTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models = new(() => ReferenceCases.Models("torchcam.json"));

    public static TheoryData<string, int, string> Cases() => ReferenceCases.DescribedRows(Models.Value);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_matches_TorchCAM(string model, int index, string description)
    {
        var entry = Models.Value.GetProperty(model);
        var c = entry.GetProperty("cases")[index];
        var heatmap = Compute(model, entry.GetProperty("layer").GetString()!, c);
        var expected = PgcReference.Decode(c.GetProperty("map").GetString()!);
        var raw = PgcReference.Decode(c.GetProperty("raw").GetString()!);
        // CAM's layer map is TorchCAM's unnormalised Σ W·A shifted to a minimum of 0 (TorchCAM's CAM has no ReLU).
        if (c.GetProperty("method").GetString() == "cam") { float min = raw.Min(); raw = raw.Select(v => v - min).ToArray(); }

        output.WriteLine($"{description} on {model}: max abs {Worst(Normalised(heatmap.LayerMap), expected):E1} (normalised), {Worst(heatmap.LayerMap, raw) / raw.Max():E1} (raw, relative)");
        heatmap.Should().NotBeDegenerate();
        heatmap.LayerMap.Length.Should().Be(expected.Length);
        Worst(Normalised(heatmap.LayerMap), expected).Should().BeLessThanOrEqualTo(1e-4, "{0} on {1} must be TorchCAM's normalised map", description, model);
        Worst(heatmap.LayerMap, raw).Should().BeLessThanOrEqualTo(1e-4 * raw.Max(), "{0} on {1} must be TorchCAM's unnormalised map", description, model);
    }

    [Fact]
    public void The_references_cover_every_TorchCAM_method()
    {
        var methods = Models.Value.EnumerateObject().SelectMany(m => m.Value.GetProperty("cases").EnumerateArray()).Select(c => c.GetProperty("method").GetString()).ToHashSet();
        methods.Should().BeEquivalentTo(["cam", "sscam", "iscam", "smoothgradcam++"]);
    }

    [Fact]
    public void Noisy_methods_depend_on_the_seed_and_only_on_it()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        foreach (var method in new[] { CamMethod.SsCam, CamMethod.SmoothGradCamPlusPlus })
        {
            var options = new CamOptions { Seed = 7, Samples = 2 };
            var a = m.Cam(input, Target.Class(0), method, "backbone.layer2", options);
            var b = m.Cam(input, Target.Class(0), method, "backbone.layer2", options);
            var other = m.Cam(input, Target.Class(0), method, "backbone.layer2", options with { Seed = 8 });
            a.LayerMap.Should().Equal(b.LayerMap, "the same seed gives the same {0} map", method);
            Worst(a.LayerMap, other.LayerMap).Should().BeGreaterThan(1e-6, "another seed draws other noise for {0}", method);
        }
    }

    [Theory]
    [InlineData(CamMethod.SsCam)]
    [InlineData(CamMethod.IsCam)]
    [InlineData(CamMethod.SmoothGradCamPlusPlus)]
    public void A_model_with_a_fixed_batch_of_two_runs_the_perturbed_inputs_padded_and_gives_the_batch_one_map(CamMethod method)
    {
        var (two, pair) = PgcReference.Load("cams/resnetish_batch2");
        var (one, single) = PgcReference.Load("cams/resnetish");
        var options = new CamOptions { Samples = 3, Seed = 2 };
        var batched = two.CamBatch(pair, [Target.Class(0), Target.Class(0)], method, "backbone.layer2", options)[0];
        var alone = one.Cam(single, Target.Class(0), method, "backbone.layer2", options);
        Worst(batched.LayerMap, alone.LayerMap).Should().BeLessThan(1e-5, "{0} with 3 samples runs a padded last batch of the fixed size 2", method);
    }

    [Fact]
    public void Cam_on_a_model_without_a_pooled_linear_head_says_what_it_needs()
    {
        var (m, input) = PgcReference.Load("cams/vitish");
        var act = () => m.Cam(input, Target.Class(0), CamMethod.Cam, "encoder.layers.encoder_layer_1.ln_1");
        act.Should().Throw<CamException>().WithMessage("*CAM needs the classifier's weights*encoder.layers.encoder_layer_1.ln_1*global average pool*no global average pool that feeds a linear layer*Grad-CAM*");
    }

    [Fact]
    public void Cam_at_a_layer_the_pooling_does_not_read_names_the_one_it_does()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var act = () => m.Cam(input, Target.Class(0), CamMethod.Cam, "backbone.layer1");
        act.Should().Throw<CamException>().WithMessage("*backbone.layer1*GlobalAveragePool node*reads tensor*feeds the classifier*");
    }

    [Fact]
    public void Cam_takes_a_class_logit_only()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var act = () => m.Cam(input, Target.Probability(0), CamMethod.Cam, "backbone.layer2");
        act.Should().Throw<CamException>().WithMessage("*Target.Class*probability of class 0*");
    }

    private static CamAssert.Heatmaps.Heatmap Compute(string model, string layer, JsonElement c)
    {
        var (m, input) = PgcReference.Load($"cams/{model}");
        var options = new CamOptions
        {
            Seed = c.TryGetProperty("seed", out var seed) ? seed.GetUInt32() : 0,
            Samples = c.TryGetProperty("samples", out var s) ? s.GetInt32() : null,
            NoiseStd = c.TryGetProperty("std", out var std) ? std.GetDouble() : null,
        };
        return m.Cam(input, PgcReference.TargetOf(c.GetProperty("target").GetString()!), CamMethods.Parse(c.GetProperty("method").GetString()!), layer, options);
    }

    /// <summary>TorchCAM's _normalize: x − min, then ÷ (max + 1e-8).</summary>
    private static float[] Normalised(float[] map)
    {
        float min = map.Min();
        var r = map.Select(v => v - min).ToArray();
        float max = r.Max();
        return r.Select(v => v / (max + 1e-8f)).ToArray();
    }

    private static double Worst(float[] actual, float[] expected) => actual.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
}
