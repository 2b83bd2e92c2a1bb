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
