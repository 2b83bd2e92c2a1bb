using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.Models.Layers;
using CamAssert.TorchSharp.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp.Tests;

/// <summary>Layer paths are named_modules() names, with every path form and error the ONNX side has, and layers are chosen by evidence flow.</summary>
public class LayerTests
{
    [Fact]
    public void Layer_paths_are_named_modules_names_with_output_shapes()
    {
        var model = TorchFixtures.ResNetish;
        var conv2 = model.Layer("backbone.layer2.1.conv2");
        conv2.OutputShape!.ToString().Should().Be(Shape.Of(-1, 16, 16, 16).ToString(), "layer2 halves the 32x32 input");
        model.Layer("backbone.layer2[-1]").Should().BeSameAs(model.Layer("backbone.layer2.1"), "[-1] is the last child");
        model.Layer("backbone/layer2/1/conv2").Should().BeSameAs(conv2, "the slash form names the same module");
        model.Layers.All.Select(l => l.Path).Should().StartWith(["backbone", "backbone.stem", "backbone.stem.0"], "children are listed in the order they first run");
    }

    [Fact]
    public void A_missing_layer_names_the_nearest_paths()
    {
        var act = () => TorchFixtures.ResNetish.Layer("backbone.layer2.1.conv3");
        act.Should().Throw<LayerNotFoundException>().WithMessage("*backbone.layer2.1.conv2*");
    }

    [Fact]
    public void Without_a_layer_the_outermost_module_all_evidence_passes_through_is_chosen()
    {
        var map = TorchFixtures.ResNetish.GradCam(TorchFixtures.Input, Target.Class(1));
        map.Source.Layer.Should().Be("backbone", "backbone's output is the tensor that reaches the pooling, and backbone is the outermost module giving it");
        map.Source.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_branch_is_never_chosen_and_a_given_branch_gets_a_warning()
    {
        manual_seed(3);
        var model = TorchSharpModel.From(new Branchy(), 16, 16);
        var chosen = model.GradCam(Models.Tensor.FromFloats([1, 3, 16, 16], Enumerable.Range(0, 768).Select(i => (i % 17) / 17f).ToArray()), Target.Class(0));
        chosen.Source.Layer.Should().Be("features", "the concatenation of the branches is the features module's output");
        var branch = model.GradCam(Models.Tensor.FromFloats([1, 3, 16, 16], new float[768]), Target.Class(0), "features.1.b");
        branch.Source.Warnings.Should().ContainSingle().Which.Should().Contain("Evidence flows around layer 'features.1.b'").And.Contain("Use 'features.1'");
    }

    [Theory]
    [InlineData("resnet18", "layer4", 224)]
    [InlineData("resnet50", "layer4", 64)]
    [InlineData("mobilenet_v2", "features", 64)]
    public void TorchVision_architectures_get_the_layer_pytorch_users_pick(string architecture, string expected, int size)
    {
        manual_seed(0);
        nn.Module<Tensor, Tensor> module = architecture switch
        {
            "resnet18" => torchvision.models.resnet18(num_classes: 4),
            "resnet50" => torchvision.models.resnet50(num_classes: 4),
            _ => torchvision.models.mobilenet_v2(num_classes: 4, width_mult: 0.25),
        };
        var model = TorchSharpModel.From(module, size, size, name: architecture);
        var map = model.GradCam(Models.Tensor.FromFloats([1, 3, size, size], Enumerable.Range(0, 3 * size * size).Select(i => (i % 29) / 29f).ToArray()), Target.Class(0));
        map.Source.Layer.Should().Be(expected, "{0}'s trunk reaches the global pooling through {1}", architecture, expected);
    }

    [Fact]
    public void A_layer_after_the_pooling_is_an_error_naming_the_right_one()
    {
        var act = () => TorchFixtures.ResNetish.GradCam(TorchFixtures.Input, Target.Class(1), "pool");
        act.Should().Throw<CamException>().WithMessage("*no spatial extent*Use 'backbone'*");
    }

    [Fact]
    public void A_child_that_a_sequential_disposes_after_use_is_still_captured()
    {
        // Sequential disposes each child's output once the next child has read it.
        var module = nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2, 1));
        using (no_grad())
            foreach (var (_, p) in module.named_parameters()) p.fill_(0.5f);
        var pixels = new float[100];
        pixels[7 * 10 + 7] = 1;
        var map = TorchSharpModel.From(module, 10, 10, channels: 1).GradCam(Models.Tensor.FromFloats([1, 1, 10, 10], pixels), Target.Class(0), "0");
        map.Should().PeakIn(Region.Box(6, 6, 3, 3), "the only bright pixel is at (7, 7) and every weight is positive");
    }

    [Fact]
    public void A_layer_whose_output_the_network_changes_in_place_is_captured_before_the_change()
    {
        manual_seed(0);
        var model = TorchSharpModel.From(torchvision.models.resnet18(num_classes: 4), 64, 64);
        var input = Models.Tensor.FromFloats([1, 3, 64, 64], Enumerable.Range(0, 3 * 64 * 64).Select(i => (i % 31) / 31f).ToArray());
        // bn2's output is summed with the identity in place and passed through an in-place ReLU.
        using var pass = model.Forward(input, model.Layer("layer4.1.bn2"));
        pass.Activation.F.Should().Contain(v => v < 0, "batch norm output before the residual ReLU has negative values");
        model.GradCam(input, Target.Class(0), "layer4.1.bn2").Should().NotBeDegenerate();
    }

    [Fact]
    public void A_module_that_takes_only_its_own_size_still_gets_its_evidence_flow()
    {
        // Flatten + Linear fix the input at 80x80, larger than the evidence probes' usual size.
        manual_seed(5);
        var module = nn.Sequential(nn.Conv2d(3, 2, 3, padding: 1), nn.ReLU(), nn.Conv2d(2, 2, 3, padding: 1), nn.Flatten(), nn.Linear(2 * 80 * 80, 2));
        var model = TorchSharpModel.From(module, 80, 80);
        model.Backend.Evidence!.Bottlenecks.Should().Equal(["0", "1", "2"], "a chain passes all evidence through every spatial output");
        model.GradCam(Models.Tensor.FromFloats([1, 3, 80, 80], new float[3 * 80 * 80]), Target.Class(0)).Source.Layer.Should().Be("2");
    }
}
