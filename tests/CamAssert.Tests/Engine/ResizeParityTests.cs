using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// The engine's Resize against PyTorch (tests/fixtures/segmentation, made by tools/make_target_references.py):
/// each F.interpolate variant torch.onnx exports, forward and the input gradient; and the two
/// torchvision segmentation heads (FCN, DeepLabV3), whose output map and the gradient of a
/// segmentation target at backbone.layer2 go through Resize. Within 1e-4 of the tensor's largest magnitude.
/// </summary>
public class ResizeParityTests
{
    public static TheoryData<string> Resizes => new(Directory.GetDirectories(Fixtures.Path_("segmentation", "resize")).Select(Path.GetFileName).Order()!);

    [Fact]
    public void Every_interpolate_variant_is_there() => Resizes.Should().HaveCount(6, "bilinear (size, scale, down, align_corners) and nearest (scale, size) are checked");

    [Theory]
    [MemberData(nameof(Resizes))]
    public void Interpolate_matches_pytorch(string name)
    {
        string dir = Fixtures.Path_("segmentation", "resize", name);
        var model = CamModel.Load(Path.Combine(dir, "model.onnx"));
        var input = Npy.Read(Path.Combine(dir, "input.npy"));
        using var pass = model.ForwardToInput(input);
        ParityTests.Close(pass.Output, Npy.Read(Path.Combine(dir, "output.npy")), $"{name} output");
        var gradient = pass.Gradient(Npy.Read(Path.Combine(dir, "weights.npy")));
        ParityTests.Close(gradient, Npy.Read(Path.Combine(dir, "gradient.npy")), $"{name} input gradient");
    }

    [Theory]
    [InlineData("fcnish")]
    [InlineData("deeplabish")]
    public void Segmentation_output_and_target_gradient_match_pytorch(string name)
    {
        string dir = Fixtures.Path_("segmentation", name);
        var model = CamModel.Load(Path.Combine(dir, "model.onnx"));
        var input = Npy.Read(Path.Combine(dir, "input.npy"));
        var mask = Npy.Read(Path.Combine(dir, "mask.npy"));
        var grid = new float[mask.Shape[0], mask.Shape[1]];
        Buffer.BlockCopy(mask.F, 0, grid, 0, mask.Length * sizeof(float));

        using var pass = model.Forward(input, model.Layer("backbone.layer2"));
        ParityTests.Close(pass.Output, Npy.Read(Path.Combine(dir, "output.npy")), $"{name} output map");
        ParityTests.Close(pass.Activation, Npy.Read(Path.Combine(dir, "activation.npy")), $"{name} activation at backbone.layer2");
        var seed = Target.Segmentation(1, grid).Seed(pass.Output, 0, TargetContext.Of(model));
        ParityTests.Close(pass.Gradient(seed), Npy.Read(Path.Combine(dir, "gradient.npy")), $"{name} gradient of class 1 over the mask at backbone.layer2");
    }
}
