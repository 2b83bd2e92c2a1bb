using CamAssert.Imaging;
using CamAssert.TorchSharp.Tests.Support;
using TorchSharp;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// torchvision weights saved by torch 1.13 (mobilenet_v2, width 0.25, seeded) loaded into
/// TorchVision's model of the same name in TorchSharp: the same logits, and pytorch-grad-cam's
/// Grad-CAM at <c>features</c>, the layer chosen automatically.
/// </summary>
public class TorchVisionTests
{
    private static readonly Lazy<Models.CamModel> Model = new(() =>
        TorchSharpModel.FromStateDict(torchvision.models.mobilenet_v2(num_classes: 5, width_mult: 0.25), TorchFixtures.Path_("mobilenet_v2.pt"), 64, 64));

    private static Models.Tensor Input => Npy.Read(TorchFixtures.Path_("mobilenet_v2_input.npy"));

    [Fact]
    public void A_torchvision_state_dict_gives_torchs_logits()
    {
        var expected = TorchFixtures.Index.GetProperty("mobilenet_v2").GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Model.Value.Run(Input).F.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-4f, "torch 1.13 gave {0}", string.Join(", ", expected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Grad_cam_at_the_chosen_layer_matches_pytorch_grad_cam(int k)
    {
        var map = Model.Value.GradCam(Input, Target.Class(k));
        map.Source.Layer.Should().Be("features");
        var expected = Npy.Read(TorchFixtures.Path_($"mobilenet_v2__gradcam__class_{k}.npy")).F;
        map.Values.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-4f, "class {0} should be pytorch-grad-cam's map", k);
    }
}
