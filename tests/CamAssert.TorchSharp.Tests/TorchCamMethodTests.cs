using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// TorchCAM's methods on the TorchSharp backend: the same map as the ONNX engine on the same weights
/// (tests/fixtures/torchsharp/resnetish.onnx; the ONNX engine is itself held to TorchCAM by
/// TorchCamReferenceTests). The TorchSharp module takes any batch, so its many-forward methods run
/// batched, while the ONNX file fixes the batch to 1: the comparison also checks that batching
/// changes nothing. CAM reads the weights of the module's only Linear layer.
/// </summary>
public class TorchCamMethodTests
{
    private static readonly Lazy<CamModel> Onnx = new(() => CamModel.Load(TorchFixtures.Path_("resnetish.onnx")));

    [Theory]
    [InlineData("cam", 1)]
    [InlineData("cam", 3)]
    [InlineData("sscam", 1)]
    [InlineData("iscam", 3)]
    [InlineData("smoothgradcam++", 1)]
    public void Map_matches_the_onnx_engine_on_the_same_weights(string method, int cls)
    {
        var options = new CamOptions { Samples = method == "cam" ? null : 3, Seed = 5 };
        var torch = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, Target.Class(cls), CamMethods.Parse(method), TorchFixtures.Layer, options);
        var onnx = Onnx.Value.Cam(TorchFixtures.Input, Target.Class(cls), CamMethods.Parse(method), TorchFixtures.Layer, options);
        torch.Should().NotBeDegenerate();
        torch.LayerMap.Zip(onnx.LayerMap, (a, b) => Math.Abs((double)a - b)).Max().Should().BeLessThanOrEqualTo(1e-4 * Math.Max(1, onnx.LayerMap.Max()),
            "{0} of class {1} should not depend on the backend", method, cls);
        torch.Values.Zip(onnx.Values, (a, b) => Math.Abs((double)a - b)).Max().Should().BeLessThanOrEqualTo(1e-4, "{0} of class {1} at input size", method, cls);
    }
}

/// <summary>
/// Occlusion and RISE's deletion/insertion curves on the TorchSharp backend (batched there; one by one on the
/// batch-1 ONNX file): the same values as the ONNX engine on the same weights.
/// </summary>
public class PerturbationTests
{
    private static readonly Lazy<CamModel> Onnx = new(() => CamModel.Load(TorchFixtures.Path_("resnetish.onnx")));

    [Fact]
    public void Occlusion_matches_the_onnx_engine_on_the_same_weights()
    {
        var options = new OcclusionOptions { WindowHeight = 6, WindowWidth = 6, StrideY = 4, StrideX = 4 };
        var torch = TorchFixtures.ResNetish.Occlusion(TorchFixtures.Input, Target.Class(1), options).F;
        var onnx = Onnx.Value.Occlusion(TorchFixtures.Input, Target.Class(1), options).F;
        onnx.Should().Contain(v => v != 0);
        torch.Zip(onnx, (a, b) => Math.Abs((double)a - b)).Max().Should().BeLessThanOrEqualTo(1e-2 * onnx.Max(Math.Abs), "occlusion should not depend on the backend");
    }

    [Theory]
    [InlineData(Faithfulness.CausalGame.Deletion)]
    [InlineData(Faithfulness.CausalGame.Insertion)]
    public void Causal_curves_match_the_onnx_engine_on_the_same_weights(Faithfulness.CausalGame game)
    {
        var map = Onnx.Value.GradCam(TorchFixtures.Input, Target.Class(1), TorchFixtures.Layer).Values;
        var target = Target.Probability(1);
        var options = new Faithfulness.CausalCurveOptions { Step = 64 };
        Faithfulness.CausalCurve Curve(CamModel m) => game == Faithfulness.CausalGame.Deletion
            ? Faithfulness.CausalCurves.DeletionCurve(m, TorchFixtures.Input, map, target, options)
            : Faithfulness.CausalCurves.InsertionCurve(m, TorchFixtures.Input, map, target, options);
        var torch = Curve(TorchFixtures.ResNetish);
        var onnx = Curve(Onnx.Value);
        torch.Scores.Should().HaveCount(17);
        torch.Scores.Zip(onnx.Scores, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-5, "the {0} curve should not depend on the backend", game);
    }
}

/// <summary>A TorchScript module gives CAM no classifier weights: refused, saying what to use instead.</summary>
public class TorchScriptCamTests
{
    [Fact]
    public void Cam_on_a_torchscript_model_says_the_backend_cannot_give_the_classifier_weights()
    {
        var model = TorchSharpModel.LoadTorchScript(TorchFixtures.Path_("resnetish_script.pt"), 32, 32);
        var act = () => model.Cam(TorchFixtures.Input, Target.Class(1), CamMethod.Cam, TorchScriptBackend.FeaturesLayer);
        act.Should().Throw<CamException>().WithMessage("*TorchScriptBackend*classifier's weights that CAM needs*Grad-CAM*");
    }
}
