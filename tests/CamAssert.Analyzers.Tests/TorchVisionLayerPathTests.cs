using CamAssert.Analyzers.Rules;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers.Tests;

/// <summary>
/// CAM1001 on models made by TorchVision's factories, whose layer trees come from the table the analyzer
/// ships (checked against the real modules by CamAssert.TorchSharp.Tests), and on TorchVision models inside a module class.
/// </summary>
public class TorchVisionLayerPathTests
{
    private const string Net = """
        using CamAssert.TorchSharp;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch.nn;
        using TT = TorchSharp.torch.Tensor;

        public sealed class Finetuned : Module<TT, TT>
        {
            private readonly Module<TT, TT> backbone = torchvision.models.resnet18(num_classes: 10);
            private readonly Module<TT, TT> head = Linear(10, 2);
            public Finetuned() : base(nameof(Finetuned)) => RegisterComponents();
            public override TT forward(TT x) => head.forward(backbone.forward(x));
        }

        """;

    private static IEnumerable<Diagnostic> Diagnostics(string body) => Compile.Diagnostics(new LayerPathAnalyzer(), Net + $$"""
        public class Tests
        {
            static readonly CamModel ResNet = TorchSharpModel.From(torchvision.models.resnet50(), 224, 224);
            public void Test(CamAssert.Models.Tensor input)
            {
                {{body}}
            }
        }
        """);

    [Theory]
    [InlineData("""ResNet.Layer("layer4");""")]
    [InlineData("""ResNet.Layer("layer4.2.conv3");""")]
    [InlineData("""ResNet.GradCam(input, Target.Class(0), layer: "layer4[-1]");""")]
    [InlineData("""ResNet.Layer("layer1.0.downsample.1");""")]
    [InlineData("""TorchSharpModel.FromStateDict(torchvision.models.mobilenet_v2(num_classes: 5, width_mult: 0.25), "w.pt", 64, 64).Layer("features.18");""")]
    [InlineData("""TorchSharpModel.From(new Finetuned(), 32, 32).Layer("backbone.layer4.1.conv2");""")]
    [InlineData("""TorchSharpModel.From(torchvision.models.resnet18(norm_layer: c => GroupNorm(2, c)), 32, 32).Layer("anything");""")]
    [InlineData("""TorchSharpModel.From(torchvision.models.mobilenet_v2(inverted_residual_setting: new long[][] { }), 32, 32).Layer("anything");""")]
    public void Valid_paths_and_calls_that_may_change_the_tree_are_quiet(string body) => Diagnostics(body).Should().BeEmpty();

    [Theory]
    [InlineData("""ResNet.Layer("layer5");""", "torchvision.models.resnet50()", "'layer5' is not a top-level layer", "layer4")]
    [InlineData("""ResNet.GradCam(input, Target.Class(0), layer: "layer4[3]");""", "torchvision.models.resnet50()", "index [3] is out of range: 'layer4' has 3 child layers", null)]
    [InlineData("""ResNet.Layer("layer4.2.conv4");""", "torchvision.models.resnet50()", "'conv4' is not a child of 'layer4.2'", "layer4.2.conv3")]
    [InlineData("""var m = TorchSharpModel.FromStateDict(torchvision.models.resnet18(num_classes: 2, weights_file: "r.dat"), "w.pt", 32, 32); m.Layer("Layer4");""", "torchvision.models.resnet18()", "Nearest paths: layer4", "layer4")]
    [InlineData("""TorchSharpModel.From(torchvision.models.inception_v3(), 299, 299).Layer("Mixed_7d");""", "torchvision.models.inception_v3()", "Mixed_7b, Mixed_7c", null)]
    [InlineData("""TorchSharpModel.From(new Finetuned(), 32, 32).Layer("backbone.layer5");""", "Finetuned", "'layer5' is not a child of 'backbone'", "backbone.layer4")]
    public void Unknown_paths_are_CAM1001_with_the_nearest_path(string body, string model, string expected, string? suggestion)
    {
        var d = Diagnostics(body).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1001");
        d.GetMessage().Should().Contain($"does not exist in '{model}'").And.Contain(expected);
        if (suggestion is not null) d.Properties[LayerPathAnalyzer.SuggestionKey].Should().Be(suggestion);
    }
}
