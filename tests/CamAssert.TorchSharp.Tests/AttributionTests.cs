using System.Text.Json;
using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// Pixel attributions on the TorchSharp backend (the input gradient through libtorch's autograd) against
/// Captum 0.8.0 on the same weights in torch 1.13 (tests/fixtures/torchsharp/captum.json, from
/// tools/make_captum_references.py), and guided backprop / Guided Grad-CAM against pytorch-grad-cam 1.5.5 on the
/// same weights: per input element within 1e-4 absolute and 1e-4 of the largest value.
/// </summary>
public class AttributionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Cases_ = new(() =>
        JsonDocument.Parse(File.ReadAllText(TorchFixtures.Path_("captum.json"))).RootElement.GetProperty("models").GetProperty("torchsharp_resnetish").GetProperty("cases"));

    private static readonly Lazy<CamModel> Onnx = new(() => CamModel.Load(TorchFixtures.Path_("resnetish.onnx")));

    private static readonly Lazy<CamModel> Script = new(() => TorchSharpModel.LoadTorchScript(TorchFixtures.Path_("resnetish_script.pt"), 32, 32));

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        int i = 0;
        foreach (var c in Cases_.Value.EnumerateArray()) data.Add(i++, $"{c.GetProperty("method").GetString()} {c.GetProperty("target").GetString()}{(c.TryGetProperty("noise", out var n) ? " " + n.GetString() : "")}");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Attribution_of_a_module_matches_captum(int index, string description)
    {
        var c = Cases_.Value[index];
        Models.Layers.LayerPath? layer = c.TryGetProperty("layer", out var l) && l.ValueKind == JsonValueKind.String ? new Models.Layers.LayerPath(l.GetString()!) : (Models.Layers.LayerPath?)null;
        var attribution = TorchFixtures.ResNetish.Attribute(TorchFixtures.Input, TargetOf(c), CamMethods.Parse(c.GetProperty("method").GetString()!), new CamOptions { Attribution = OptionsOf(c) }, layer);
        var expected = Decode(c.GetProperty("attribution"));
        double scale = expected.Max(Math.Abs);
        scale.Should().BePositive("Captum's attribution for {0} is not zero", description);
        output.WriteLine($"torchsharp {description}: attribution max abs diff {Worst(attribution.Values, expected):E1} (largest |value| {scale:E1}), heatmap {Worst(attribution.Heatmap.Values, Decode(c.GetProperty("heatmap"))):E1}");
        Worst(attribution.Values, expected).Should().BeLessThanOrEqualTo(Math.Min(1e-4, 1e-4 * scale), "{0} on the TorchSharp module must be Captum's (largest |value| {1:E1})", description, scale);
        Worst(attribution.Heatmap.Values, Decode(c.GetProperty("heatmap"))).Should().BeLessThanOrEqualTo(1e-4, "{0}'s heatmap must be Captum's visualisation scaling", description);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Attribution_of_a_TorchScript_file_matches_captum(int index)
    {
        var c = Cases_.Value[index];
        var attribution = Script.Value.Attribute(TorchFixtures.Input, TargetOf(c), CamMethods.Parse(c.GetProperty("method").GetString()!));
        var expected = Decode(c.GetProperty("attribution"));
        Worst(attribution.Values, expected).Should().BeLessThanOrEqualTo(1e-4 * expected.Max(Math.Abs), "{0} through the script must be Captum's", c.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData(0, 1e-4)]
    // Integrated Gradients: at 2 of its 50 Gauss-Legendre points a pre-activation of this model lies within 1e-8 of a
    // ReLU's kink (measured in torch: 6.8e-9 at α = 0.248, 5.9e-9 at α = 0.997), where the ONNX export's BatchNorm
    // folded into the convolutions rounds to the other side; that moves the attribution by 1.8e-6, 0.3 % of its largest value.
    [InlineData(1, 1e-2)]
    public void Attribution_does_not_depend_on_the_backend(int index, double relative)
    {
        var c = Cases_.Value[index];
        var method = CamMethods.Parse(c.GetProperty("method").GetString()!);
        var expected = Decode(c.GetProperty("attribution"));
        var engine = Onnx.Value.Attribute(TorchFixtures.Input, TargetOf(c), method).Values;
        var torch = TorchFixtures.ResNetish.Attribute(TorchFixtures.Input, TargetOf(c), method).Values;
        double scale = expected.Max(Math.Abs);
        Worst(engine, expected).Should().BeLessThanOrEqualTo(Math.Min(1e-4, relative * scale), "{0} on the ONNX export of the same weights must be Captum's too", method);
        Worst(torch, engine).Should().BeLessThanOrEqualTo(Math.Min(1e-4, relative * scale), "{0} must not depend on the backend", method);
    }

    [Fact]
    public void Guided_backprop_guides_the_ReLU_modules_for_that_forward_only()
    {
        var guided = TorchFixtures.ResNetish.Attribute(TorchFixtures.Input, Target.Class(1), CamMethod.GuidedBackprop).Values;
        var plain = TorchFixtures.ResNetish.Attribute(TorchFixtures.Input, Target.Class(1), CamMethod.Saliency, new CamOptions { Attribution = new AttributionOptions { AbsoluteSaliency = false } }).Values;
        var again = TorchFixtures.ResNetish.Attribute(TorchFixtures.Input, Target.Class(1), CamMethod.Saliency, new CamOptions { Attribution = new AttributionOptions { AbsoluteSaliency = false } }).Values;
        Worst(guided, plain).Should().BeGreaterThan(0.05 * plain.Max(Math.Abs), "guided ReLUs drop negative gradients");
        var onnx = Onnx.Value.Attribute(TorchFixtures.Input, Target.Class(1), CamMethod.Saliency, new CamOptions { Attribution = new AttributionOptions { AbsoluteSaliency = false } }).Values;
        Worst(again, onnx).Should().BeLessThanOrEqualTo(1e-4 * onnx.Max(Math.Abs), "the hooks are removed after the guided forward: the next gradient is exact again");
    }

    [Fact]
    public void FullGrad_of_a_module_matches_pytorch_grad_cam_and_the_onnx_engine()
    {
        var c = JsonDocument.Parse(File.ReadAllText(TorchFixtures.Path_("captum.json"))).RootElement.GetProperty("models").GetProperty("torchsharp_resnetish").GetProperty("fullgrad")[0];
        var target = TargetOf(c);
        var expected = Decode(c.GetProperty("map"));
        var torch = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, target, CamMethod.FullGrad);
        var onnx = Onnx.Value.Cam(TorchFixtures.Input, target, CamMethod.FullGrad);
        torch.Should().NotBeDegenerate();
        torch.Layer.Should().Be("input + 10 bias layers", "ResNetish has ten BatchNorm2d modules, and its convolutions no bias");
        output.WriteLine($"fullgrad torchsharp: {Worst(torch.Values, expected):E1}, onnx {Worst(onnx.Values, expected):E1}");
        Worst(torch.Values, expected).Should().BeLessThanOrEqualTo(1e-4, "FullGrad on the TorchSharp module must be pytorch-grad-cam's map");
        Worst(onnx.Values, expected).Should().BeLessThanOrEqualTo(1e-4, "FullGrad on the ONNX export (BatchNorm folded into the convolutions) must be too");
    }

    [Fact]
    public void FullGrad_through_TorchScript_is_refused_with_what_to_do()
    {
        var act = () => Script.Value.Cam(TorchFixtures.Input, Target.Class(1), CamMethod.FullGrad);
        act.Should().Throw<NotSupportedException>().WithMessage("*no gradients at its layers' biases*FullGrad*");
    }

    [Fact]
    public void Guided_backprop_through_TorchScript_is_refused_with_what_to_do()
    {
        var act = () => Script.Value.Attribute(TorchFixtures.Input, Target.Class(1), CamMethod.GuidedBackprop);
        act.Should().Throw<NotSupportedException>().WithMessage("*resnetish_script.pt*exact input gradients only*Load the module with TorchSharpModel*");
    }

    private static Target TargetOf(JsonElement c) => Target.Class(int.Parse(c.GetProperty("target").GetString()!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));

    private static AttributionOptions OptionsOf(JsonElement c) =>
        c.TryGetProperty("noise", out _)
            ? new AttributionOptions { NoiseTunnel = new NoiseTunnel(NoiseTunnelKind.SmoothGrad, c.GetProperty("samples").GetInt32(), c.GetProperty("stdev").GetSingle(), c.GetProperty("seed").GetUInt64()) }
            : new AttributionOptions();

    private static float[] Decode(JsonElement base64)
    {
        var bytes = Convert.FromBase64String(base64.GetString()!);
        var r = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, r, 0, bytes.Length);
        return r;
    }

    private static double Worst(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
