using CamAssert.Analyzers.Rules;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers.Tests;

/// <summary>
/// CAM1003 on TorchSharp modules: where a class's forward shows a branch (a residual sum, a concat of
/// parallel paths), a CAM at a layer inside it is a warning naming the layer all evidence passes through;
/// where forward cannot be read, or a value only gives a shape, nothing is said.
/// </summary>
public class ModuleBranchTests
{
    private const string Net = """
        using CamAssert.TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;
        using TT = TorchSharp.torch.Tensor;

        public sealed class Residual : Module<TT, TT>
        {
            private readonly Conv2d conv1 = Conv2d(8, 8, 3, padding: 1);
            private readonly Conv2d conv2 = Conv2d(8, 8, 3, padding: 1);
            public Residual() : base(nameof(Residual)) => RegisterComponents();
            public override TT forward(TT x)
            {
                var y = conv1.forward(x);
                y = conv2.forward(y);
                return functional.relu(y + x);
            }
        }

        public sealed class Twin : Module<TT, TT>
        {
            private readonly Conv2d left = Conv2d(8, 4, 1);
            private readonly Conv2d right = Conv2d(8, 4, 3, padding: 1);
            public Twin() : base(nameof(Twin)) => RegisterComponents();
            public override TT forward(TT x) => cat(new[] { left.forward(x), right.forward(x) }, 1);
        }

        public sealed class Chooser : Module<TT, TT>
        {
            private readonly Conv2d a = Conv2d(8, 8, 1);
            private readonly Conv2d b = Conv2d(8, 8, 1);
            public bool UseA { get; set; }
            public Chooser() : base(nameof(Chooser)) => RegisterComponents();
            public override TT forward(TT x) { if (UseA) return a.forward(x); return b.forward(x) + x; }
        }

        public sealed class Masked : Module<TT, TT>
        {
            private readonly Conv2d conv = Conv2d(8, 8, 1);
            public Masked() : base(nameof(Masked)) => RegisterComponents();
            public override TT forward(TT x) => conv.forward(x) + zeros_like(x) * x.detach();
        }

        public sealed class Net : Module<TT, TT>
        {
            private readonly Conv2d stem = Conv2d(3, 8, 3);
            private readonly Residual block = new Residual();
            private readonly Twin twin = new Twin();
            private readonly Chooser chooser = new Chooser();
            private readonly Masked masked = new Masked();
            private readonly Linear fc = Linear(8, 2);
            public Net() : base(nameof(Net)) => RegisterComponents();
            public override TT forward(TT x)
            {
                x = stem.forward(x);
                x = masked.forward(chooser.forward(twin.forward(block.forward(x))));
                x = functional.adaptive_avg_pool2d(x, 1).view(x.shape[0], -1);
                return fc.forward(x);
            }
        }

        """;

    private static IEnumerable<Diagnostic> Diagnostics(string body) => Compile.Diagnostics(new LayerPathAnalyzer(), Net + $$"""
        public class Tests
        {
            static readonly CamModel Model = TorchSharpModel.From(new Net(), 32, 32);
            public void Test(CamAssert.Models.Tensor input)
            {
                {{body}}
            }
        }
        """);

    [Theory]
    [InlineData("block.conv2", "block")]
    [InlineData("block.conv1", "block")]
    [InlineData("twin.left", "twin")]
    [InlineData("twin/right", "twin")]
    public void A_layer_inside_a_visible_branch_is_CAM1003_naming_the_whole(string layer, string whole)
    {
        var d = Diagnostics($"""Model.GradCam(input, Target.Class(0), layer: "{layer}");""").Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1003");
        d.GetMessage().Should().Contain("of 'Net' is one branch").And.EndWith($"use '{whole}'");
    }

    [Theory]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "block");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "stem");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "twin");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "fc");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "chooser.b");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "masked.conv");""")]
    [InlineData("""Model.Layer("block.conv2");""")]
    public void Dominating_layers_unreadable_forwards_shapes_and_non_CAM_uses_are_quiet(string body) => Diagnostics(body).Should().BeEmpty();
}
