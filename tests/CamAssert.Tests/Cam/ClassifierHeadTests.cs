using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// CAM's classifier weights found in ONNX graphs of torchvision-style models (tests/fixtures/parity): where the
/// layer's output is average-pooled straight into the final linear layer, ∂logit/∂A_k = W[class, k] / (H·W), so
/// Grad-CAM's weights (the mean gradients, from the engine's backward) times H·W must be CAM's weights (read from
/// the graph). Models whose head is not that chain are refused, naming the node where it breaks.
/// </summary>
public class ClassifierHeadTests
{
    [Theory]
    [InlineData("resnet")]
    [InlineData("resnext")]
    [InlineData("regnet")]
    [InlineData("efficientnet")]
    [InlineData("mobilenet_v2")]
    [InlineData("googlenet")]
    [InlineData("inception")]
    [InlineData("squeezenet")]
    public void Cam_weights_are_the_classifier_row_that_grad_cam_sees_through_the_pooling(string name)
    {
        var (model, input) = PgcReference.Load($"parity/{name}");
        var cam = model.Cam(input, Target.Class(1), CamMethod.Cam);
        var grad = model.Cam(input, Target.Class(1), CamMethod.GradCam, cam.Layer);
        int hw = cam.LayerWidth * cam.LayerHeight;
        var scaled = grad.ChannelWeights!.Select(w => (double)w * hw).ToArray();
        double worst = cam.ChannelWeights!.Zip(scaled, (a, b) => Math.Abs(a - b)).Max();
        worst.Should().BeLessThanOrEqualTo(1e-5 * Math.Max(1, cam.ChannelWeights!.Max(Math.Abs)),
            "at {0}'s layer '{1}', CAM's weights must be the classifier's row, which Grad-CAM's mean gradient × {2} positions gives", name, cam.Layer, hw);
    }

    [Theory]
    [InlineData("vgg", "*Gemm node*before any global average pool*")]
    [InlineData("mobilenet_v3", "*before the output*(it is not the last layer)*no global average pool that feeds a linear layer*")]
    public void Models_without_a_pooled_linear_classifier_are_refused_by_name(string name, string why)
    {
        var (model, input) = PgcReference.Load($"parity/{name}");
        var act = () => model.Cam(input, Target.Class(1), CamMethod.Cam);
        act.Should().Throw<CamException>().WithMessage("CAM needs the classifier's weights*" + why);
    }
}
