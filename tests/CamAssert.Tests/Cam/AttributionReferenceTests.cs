using System.Globalization;
using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.Tests.Support;
using Xunit.Abstractions;

namespace CamAssert.Tests.Cam;

/// <summary>
/// The pixel attributions against Captum 0.8.0 itself (Saliency, InputXGradient, IntegratedGradients, NoiseTunnel
/// with torch's seeded noise) and pytorch-grad-cam 1.5.5's guided backprop and Guided Grad-CAM, run on the same
/// fixture models by tools/make_captum_references.py (tests/fixtures/cams/captum.json): per input element at most
/// 1e-4 absolute and 1e-4 of the largest reference value, and at most 1e-4 per pixel of the heatmap (Captum's
/// visualisation scaling, in [0, 1]).
/// </summary>
public class AttributionReferenceTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "captum.json"))).RootElement.GetProperty("models"));

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var model in Models.Value.EnumerateObject())
        {
            int i = 0;
            foreach (var c in model.Value.GetProperty("cases").EnumerateArray()) data.Add(model.Name, i++, Describe(c));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Attribution_matches_the_reference(string model, int index, string description)
    {
        var c = Models.Value.GetProperty(model).GetProperty("cases")[index];
        var (m, input) = PgcReference.Load($"cams/{model}");
        CamAssert.Models.Layers.LayerPath? layer = c.TryGetProperty("layer", out var l) && l.ValueKind == JsonValueKind.String ? new CamAssert.Models.Layers.LayerPath(l.GetString()!) : (CamAssert.Models.Layers.LayerPath?)null;
        var attribution = m.Attribute(input, PgcReference.TargetOf(c.GetProperty("target").GetString()!), CamMethods.Parse(c.GetProperty("method").GetString()!),
            new CamOptions { Attribution = OptionsOf(c) }, layer);

        var expected = PgcReference.Decode(c.GetProperty("attribution").GetString()!);
        attribution.Values.Length.Should().Be(expected.Length, "{0} on {1} gives one value per input element", description, model);
        attribution.Shape.Should().Equal(c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        output.WriteLine($"{model} {description}: attribution max abs diff {Worst(attribution.Values, expected):E1} (largest |value| {expected.Max(Math.Abs):E1}), heatmap {Worst(attribution.Heatmap.Values, PgcReference.Decode(c.GetProperty("heatmap").GetString()!)):E1}");
        // The fixture models' input gradients are small (the largest |value| is 1e-8 to 0.2), so 1e-4 absolute alone would
        // pass a zero attribution: the difference is held to 1e-4 of the largest reference value as well.
        double scale = expected.Max(Math.Abs);
        scale.Should().BePositive("the reference attribution of {0} on {1} is not zero", description, model);
        Worst(attribution.Values, expected).Should().BeLessThanOrEqualTo(Math.Min(1e-4, 1e-4 * scale), "{0} on {1} must be the reference's attribution (largest |value| {2:E1})", description, model, scale);
        var heatmap = PgcReference.Decode(c.GetProperty("heatmap").GetString()!);
        Worst(attribution.Heatmap.Values, heatmap).Should().BeLessThanOrEqualTo(1e-4, "{0} on {1} must be scaled as Captum's visualize_image_attr does", description, model);
    }

    public static TheoryData<string, string> FullGradCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Models.Value.EnumerateObject())
            if (model.Value.TryGetProperty("fullgrad", out var cases))
                foreach (var c in cases.EnumerateArray()) data.Add(model.Name, c.GetProperty("target").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(FullGradCases))]
    public void FullGrad_matches_pytorch_grad_cam(string model, string target)
    {
        var c = Models.Value.GetProperty(model).GetProperty("fullgrad").EnumerateArray().First(e => e.GetProperty("target").GetString() == target);
        var (m, input) = PgcReference.Load($"cams/{model}");
        var heatmap = m.Cam(input, PgcReference.TargetOf(target), CamMethod.FullGrad);
        var expected = PgcReference.Decode(c.GetProperty("map").GetString()!);
        heatmap.Should().NotBeDegenerate();
        heatmap.Values.Length.Should().Be(expected.Length);
        output.WriteLine($"fullgrad {model} {target}: max abs diff {Worst(heatmap.Values, expected):E1} ({heatmap.Layer})");
        Worst(heatmap.Values, expected).Should().BeLessThanOrEqualTo(1e-4, "FullGrad of {0} on {1} must be pytorch-grad-cam's map", target, model);
    }

    [Fact]
    public void The_references_cover_every_method_and_noise_tunnel_kind()
    {
        var cases = Models.Value.EnumerateObject().SelectMany(m => m.Value.GetProperty("cases").EnumerateArray()).ToList();
        cases.Select(c => c.GetProperty("method").GetString()).Distinct().Should().BeEquivalentTo(
            ["saliency", "inputxgradient", "integratedgradients", "guidedbackprop", "guidedgradcam"]);
        cases.Where(c => c.TryGetProperty("noise", out var _)).Select(c => c.GetProperty("noise").GetString()).Distinct().Should().BeEquivalentTo(
            ["smoothgrad", "smoothgrad_sq", "vargrad"]);
        cases.Count(c => c.TryGetProperty("integration", out var _)).Should().BePositive("the trapezoid rule is checked besides Gauss-Legendre");
    }

    [Fact]
    public void Guided_backprop_differs_from_the_plain_gradient_on_a_model_with_ReLUs()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var guided = m.Attribute(input, Target.Class(0), CamMethod.GuidedBackprop).Values;
        var plain = m.Attribute(input, Target.Class(0), CamMethod.Saliency, new CamOptions { Attribution = new AttributionOptions { AbsoluteSaliency = false } }).Values;
        Worst(guided, plain).Should().BeGreaterThan(0.05 * plain.Max(Math.Abs), "guided ReLUs drop negative gradients, so the two must differ");
    }

    [Fact]
    public void Noise_tunnel_depends_on_the_seed()
    {
        var (m, input) = PgcReference.Load("cams/nhwcish");
        AttributionOptions Tunnel(ulong seed) => new() { NoiseTunnel = new NoiseTunnel(NoiseTunnelKind.SmoothGrad, 3, 0.1f, seed) };
        var a = m.Attribute(input, Target.Class(0), CamMethod.Saliency, new CamOptions { Attribution = Tunnel(1) }).Values;
        var b = m.Attribute(input, Target.Class(0), CamMethod.Saliency, new CamOptions { Attribution = Tunnel(1) }).Values;
        var c = m.Attribute(input, Target.Class(0), CamMethod.Saliency, new CamOptions { Attribution = Tunnel(2) }).Values;
        a.Should().Equal(b, "the same seed draws the same noise");
        Worst(a, c).Should().BeGreaterThan(1e-6, "another seed draws other noise");
    }

    [Fact]
    public void Integrated_gradients_do_not_depend_on_the_batch_size()
    {
        using var dir = new TempFolder();
        var dynamic = CamModel.Load(OnnxBuilder.NestedClassifier().Save(dir.Path, "dynamic.onnx"));
        var fixedTwo = CamModel.Load(OnnxBuilder.NestedClassifier(batch: 2).Save(dir.Path, "fixed2.onnx"));
        var rnd = new Random(3);
        var x = Tensor.FromFloats([1, 3, 8, 8], Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray());
        float[] Ig(CamModel m, Tensor input, int batch) =>
            m.Attribute(input, Target.Class(1), CamMethod.IntegratedGradients, new CamOptions { Attribution = new AttributionOptions { Steps = 5, BatchSize = batch } }).Values;
        var one = Ig(dynamic, x, 1);
        one.Max(Math.Abs).Should().BePositive();
        Worst(Ig(dynamic, x, 3), one).Should().BeLessThanOrEqualTo(1e-6 * one.Max(Math.Abs), "batches of 3 steps (the last one short) give the steps one at a time");
        // A model whose input fixes the batch at 2 runs 5 steps as 2 + 2 + 1 padded: the input itself has batch 2 too.
        var pair = Tensor.FromFloats([2, 3, 8, 8], [.. x.F, .. x.F]);
        fixedTwo.CamBatch(pair, [Target.Class(1), Target.Class(1)], CamMethod.IntegratedGradients,
            options: new CamOptions { Attribution = new AttributionOptions { Steps = 5 } })[0].Values
            .Should().Equal(dynamic.Cam(x, Target.Class(1), CamMethod.IntegratedGradients, options: new CamOptions { Attribution = new AttributionOptions { Steps = 5 } }).Values);
    }

    [Fact]
    public void A_pixel_attribution_is_a_heatmap_of_the_input_with_no_layer()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var heatmap = m.Cam(input, Target.Class(0), CamMethod.Saliency);
        heatmap.Layer.Should().Be("input");
        heatmap.Method.Should().Be(CamMethod.Saliency);
        (heatmap.Width, heatmap.Height).Should().Be((40, 32));
        heatmap.Values.Max().Should().Be(1f, "Captum's scaling clips the top 2 % of the mass to 1");
        heatmap.Values.Min().Should().BeGreaterThanOrEqualTo(0f);
    }

    [Fact]
    public void An_image_is_attributed_at_the_model_input_and_described_at_its_own_size()
    {
        var model = CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx"));
        var image = CamAssert.Imaging.CamImage.Load(Fixtures.Path_("shapes", "images", "square_1.png"));
        var attribution = model.Attribute(image, Target.Class("square"), CamMethod.Saliency);
        var input = model.InputFor(image);
        attribution.Values.Should().Equal(model.Attribute(input, Target.Class("square"), CamMethod.Saliency).Values, "the image overload preprocesses as InputFor does");
        attribution.Heatmap.ImageSize.Should().Be(new MapSize(image.Width, image.Height));
        attribution.Heatmap.Should().NotBeDegenerate();
    }

    [Fact]
    public void Integrated_gradients_of_the_circle_put_more_energy_on_the_circle_than_a_flat_map_does()
    {
        var model = CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx"));
        var image = CamAssert.Imaging.CamImage.Load(Fixtures.Path_("shapes", "images", "circle_1.png"));
        var circle = Region.Box(13, 2, 32, 32);   // the labelled box [17, 6, 24, 24] widened by 4 px: a quarter of the 64×64 image
        var ig = model.Attribute(image, Target.Class("circle"), CamMethod.IntegratedGradients).Heatmap;
        var uniform = new Heatmap(ig.Source, new float[64 * 64], new MapSize(64, 64), Enumerable.Repeat(1f, 64 * 64).ToArray(), new MapSize(64, 64), null, [], null);
        output.WriteLine($"IG energy in the circle's box: {Localization.EnergyShare(ig.Values, circle.Rasterize(64, 64)):F3}");
        // Measured 0.315: IG from a black baseline credits background pixels too, so its map is more diffuse than Grad-CAM's.
        ig.Should().HaveEnergyIn(circle).AtLeast(0.3);
        uniform.Should().NotHaveEnergyIn(circle).MoreThan(0.3, "a map with no preference puts a quarter of its energy there, so the bound says something");
    }

    private static AttributionOptions OptionsOf(JsonElement c)
    {
        var options = new AttributionOptions();
        if (c.TryGetProperty("absolute", out var abs)) options = options with { AbsoluteSaliency = abs.GetBoolean() };
        if (c.TryGetProperty("steps", out var steps)) options = options with { Steps = steps.GetInt32() };
        if (c.TryGetProperty("integration", out var rule))
            options = options with { Integration = rule.GetString() == "riemann_trapezoid" ? IntegrationRule.RiemannTrapezoid : IntegrationRule.GaussLegendre };
        if (c.TryGetProperty("noise", out var noise))
        {
            var kind = noise.GetString() switch { "smoothgrad" => NoiseTunnelKind.SmoothGrad, "smoothgrad_sq" => NoiseTunnelKind.SmoothGradSquared, _ => NoiseTunnelKind.VarGrad };
            options = options with { NoiseTunnel = new NoiseTunnel(kind, c.GetProperty("samples").GetInt32(), c.GetProperty("stdev").GetSingle(), c.GetProperty("seed").GetUInt64()) };
        }
        return options;
    }

    private static string Describe(JsonElement c) =>
        string.Join(" ", c.EnumerateObject().Where(p => p.Name is not ("attribution" or "heatmap" or "shape"))
            .Select(p => p.Value.ValueKind == JsonValueKind.Number ? $"{p.Name}={p.Value.GetRawText()}" : $"{p.Name}={p.Value}"));

    private static double Worst(float[] actual, float[] expected) => actual.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
}
