using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// The segmentation and similarity targets read only the model output, so they work on the TorchSharp
/// backend as on the ONNX engine (where TargetReferenceTests holds them to pytorch-grad-cam).
/// </summary>
public class TargetTests
{
    private static readonly Lazy<CamModel> Onnx = new(() => CamModel.Load(TorchFixtures.Path_("resnetish.onnx")));

    [Fact]
    public void Similarity_matches_the_onnx_engine_on_the_same_weights()
    {
        var concept = new[] { 0.3f, -1f, 0.5f, 2f, -0.2f };
        var torch = TorchFixtures.ResNetish.GradCam(TorchFixtures.Input, Target.Similarity(concept), TorchFixtures.Layer);
        var onnx = Onnx.Value.GradCam(TorchFixtures.Input, Target.Similarity(concept), TorchFixtures.Layer);
        torch.Should().NotBeDegenerate();
        torch.Values.Zip(onnx.Values, (a, b) => Math.Abs((double)a - b)).Max().Should().BeLessThanOrEqualTo(1e-4, "the similarity target should not depend on the backend");
    }

    [Fact]
    public void ShapleyCam_by_double_backward_matches_the_onnx_engines_R_operator()
    {
        // A softmax target: H·A comes from the target's curvature, so ShapleyCAM is not Grad-CAM here.
        var torch = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, Target.Probability(2), CamMethod.ShapleyCam, TorchFixtures.Layer);
        var onnx = Onnx.Value.Cam(TorchFixtures.Input, Target.Probability(2), CamMethod.ShapleyCam, TorchFixtures.Layer);
        var gradcam = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, Target.Probability(2), CamMethod.GradCam, TorchFixtures.Layer);
        torch.Should().NotBeDegenerate();
        torch.Values.Zip(onnx.Values, (a, b) => Math.Abs((double)a - b)).Max().Should().BeLessThanOrEqualTo(1e-4, "both backends compute G − ½·H·A");
        torch.Values.Zip(gradcam.Values, (a, b) => Math.Abs((double)a - b)).Max().Should().BeGreaterThan(1e-4, "the softmax's curvature moves the map");
    }

    [Fact]
    public void Hessian_vector_products_match_the_onnx_engine_along_any_direction()
    {
        using var torchPass = TorchFixtures.ResNetish.Forward(TorchFixtures.Input, TorchFixtures.ResNetish.Layer(TorchFixtures.Layer));
        using var onnxPass = Onnx.Value.Forward(TorchFixtures.Input, Onnx.Value.Layer(TorchFixtures.Layer));
        var direction = Models.Tensor.FromFloats(onnxPass.Activation.Shape, Enumerable.Range(0, onnxPass.Activation.Length).Select(i => MathF.Sin(i * 0.37f)).ToArray());
        var target = Target.Probability(1);
        var context = TargetContext.Of(Onnx.Value);
        var a = torchPass.HessianVectorProduct(target.Seed(torchPass.Output, 0, context), direction, t => target.SeedTangent(torchPass.Output, 0, context, t)).F;
        var b = onnxPass.HessianVectorProduct(target.Seed(onnxPass.Output, 0, context), direction, t => target.SeedTangent(onnxPass.Output, 0, context, t)).F;
        double scale = b.Max(v => Math.Abs((double)v));
        scale.Should().BeGreaterThan(0);
        a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max().Should().BeLessThanOrEqualTo(1e-3 * scale);
    }

    [Fact]
    public void Segmentation_over_the_whole_map_is_the_class_channel_summed()
    {
        manual_seed(7);
        var module = Sequential(("features", Sequential(Conv2d(3, 8, 3, padding: 1), ReLU(), Conv2d(8, 8, 3, stride: 2, padding: 1), ReLU())),
            ("classifier", Conv2d(8, 3, 1)), ("up", Upsample(scale_factor: [2.0, 2.0], mode: UpsampleMode.Bilinear, align_corners: false)));
        var model = TorchSharpModel.From(module, 12, 16);
        var input = Models.Tensor.FromFloats([1, 3, 12, 16], Enumerable.Range(0, 576).Select(i => (i * 7 % 23) / 23f).ToArray());
        var ones = new float[12, 16];
        for (int y = 0; y < 12; y++) for (int x = 0; x < 16; x++) ones[y, x] = 1;

        var segmentation = model.Cam(input, Target.Segmentation(2, ones), CamMethod.HiResCam, "features");
        var channel = model.Cam(input, Target.Channel(2), CamMethod.HiResCam, "features");
        segmentation.Should().NotBeDegenerate();
        segmentation.Values.Should().Equal(channel.Values, "class 2 summed over an all-ones mask is channel 2 of the output summed over H×W");
        var box = model.Cam(input, Target.Segmentation(2, Region.Box(0, 0, 8, 6)), CamMethod.HiResCam, "features");
        box.Values.Zip(channel.Values, (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(0.01f, "a smaller mask asks about another region");
    }
}
