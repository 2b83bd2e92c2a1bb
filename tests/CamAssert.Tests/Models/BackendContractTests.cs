using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;

namespace CamAssert.Tests.Models;

/// <summary>
/// The seam without ONNX: a backend written in plain C# (a global-average-pooling classifier
/// whose logit k is the mean of input channel k) goes through layer paths, layer choice, CAMs
/// and assertions like any model. Its Grad-CAM for class k is, by hand, channel k of the input
/// min-max scaled, which the tests check against.
/// </summary>
public class BackendContractTests
{
    private const int H = 4, W = 5;

    /// <summary>Layer tree: <c>features</c> (the input itself, all evidence), <c>features.branch</c> (a side output no evidence needs), <c>pool</c>.</summary>
    private sealed class PoolingBackend(TensorLayout layout, bool knowsFlow) : ModelBackend
    {
        private readonly LayerTree _layers = Build(layout);

        private static LayerTree Build(TensorLayout layout)
        {
            var b = new LayerTreeBuilder(NamingScheme.PyTorch);
            var features = b.At(["features"]);
            long[] map = layout == TensorLayout.Nhwc ? [-1, H, W, 3] : [-1, 3, H, W];
            b.AddOutput(b.Child(features, "branch"), new ValueInfo("features.branch", DataType.Float32, Shape.Of(map)));
            b.AddOutput(features, new ValueInfo("features", DataType.Float32, Shape.Of(map)));
            b.AddOutput(b.At(["pool"]), new ValueInfo("logits", DataType.Float32, Shape.Of(-1, 3)));
            return b.Build();
        }

        public override string Name => "pooling";
        public override string Source => "a C# function";
        public override string ContentHash => new('0', 64);
        public override IReadOnlyList<string> Labels => ["red", "green", "blue"];
        public override ModelInput Input => new("image", Shape.Of(1, layout == TensorLayout.Nhwc ? H : 3, layout == TensorLayout.Nhwc ? W : H, layout == TensorLayout.Nhwc ? 3 : W), layout);
        public override ValueInfo Output => new("logits", DataType.Float32, Shape.Of(-1, 3));
        public override LayerTree Layers => _layers;
        public override EvidenceFlow? Evidence => knowsFlow ? new EvidenceFlow(["features.branch", "features", "logits"], ["features", "logits"]) : null;

        public override Tensor Run(Tensor input)
        {
            var logits = new float[3];
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < H * W; p++) logits[c] += input.F[Input.IndexOf(c, p, 3, H * W)] / (H * W);
            return Tensor.FromFloats([1, 3], logits);
        }

        public override ForwardPass Capture(Tensor input, Layer layer, Layer? scoreLayer) => new Pass(this, input);

        private sealed class Pass(PoolingBackend model, Tensor input) : ForwardPass
        {
            public override Tensor Activation => input;
            public override Tensor Output { get; } = model.Run(input);
            public override bool OutputDependsOnActivation => true;

            protected override Tensor GradientOf(Tensor seed)
            {
                var g = new float[input.Length];
                for (int c = 0; c < 3; c++)
                    for (int p = 0; p < H * W; p++) g[model.Input.IndexOf(c, p, 3, H * W)] = seed.F[c] / (H * W);
                return Tensor.FromFloats(input.Shape, g);
            }
        }
    }

    private static (Tensor Input, float[][] Channels) Image(TensorLayout layout)
    {
        var channels = new float[3][];
        var values = new float[3 * H * W];
        for (int c = 0; c < 3; c++)
        {
            channels[c] = new float[H * W];
            for (int p = 0; p < H * W; p++)
            {
                channels[c][p] = (float)Math.Abs(Math.Sin(1 + c * 7 + p * 0.37));
                values[layout == TensorLayout.Nhwc ? p * 3 + c : c * H * W + p] = channels[c][p];
            }
        }
        return (Tensor.FromFloats(layout == TensorLayout.Nhwc ? [1, H, W, 3] : [1, 3, H, W], values), channels);
    }

    private static float[] MinMax(float[] x)
    {
        float min = x.Min(), max = x.Max() - min;
        return x.Select(v => (v - min) / (1e-7f + max)).ToArray();
    }

    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    public void Grad_cam_through_a_plain_backend_is_the_target_channel_scaled(TensorLayout layout)
    {
        var model = new CamModel(new PoolingBackend(layout, knowsFlow: true));
        var (input, channels) = Image(layout);
        var map = model.GradCam(input, Target.Class("green"));
        map.Layer.Should().Be("features", "all evidence passes through features and it is the last spatial layer");
        map.Warnings.Should().BeEmpty();
        map.InputSize.Should().Be(new CamAssert.Heatmaps.MapSize(W, H));
        map.LayerSize.Should().Be(new CamAssert.Heatmaps.MapSize(W, H));
        map.Values.Should().Equal(MinMax(MinMax(channels[1])), (a, b) => Math.Abs(a - b) < 1e-5f);
        map.Target.Should().Be("class 'green'");
    }

    [Fact]
    public void Score_cam_weights_are_the_softmax_of_the_masked_logits()
    {
        var model = new CamModel(new PoolingBackend(TensorLayout.Nchw, knowsFlow: true));
        var (input, channels) = Image(TensorLayout.Nchw);
        var map = model.Cam(input, Target.Class(2), CamMethod.ScoreCam);
        // By hand: mask k = channel k min-max scaled (÷ (max − min + 1e-8)); score k = logit 2 of the masked input = mean(channel 2 · mask k).
        var scores = channels.Select(a =>
        {
            float min = a.Min(), range = a.Max() - min + 1e-8f;
            return channels[2].Select((v, p) => (double)v * ((a[p] - min) / range)).Average();
        }).ToArray();
        var e = scores.Select(s => Math.Exp(s - scores.Max())).ToArray();
        map.ChannelWeights.Should().Equal(e.Select(v => (float)(v / e.Sum())), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Paths_choice_and_errors_work_for_any_backend()
    {
        var model = new CamModel(new PoolingBackend(TensorLayout.Nchw, knowsFlow: true));
        model.Layer("features[0]").Path.Should().Be("features.branch");
        model.Layer("features/branch").Path.Should().Be("features.branch");
        var (input, _) = Image(TensorLayout.Nchw);
        model.GradCam(input, Target.Class(0), layer: "features.branch").Warnings.Should().ContainSingle()
            .Which.Should().Contain("Evidence flows around layer 'features.branch'").And.Contain("Use 'features'");
        var miss = () => model.Layer("branch");
        miss.Should().Throw<LayerNotFoundException>().WithMessage("*it exists as 'features.branch'*");
        var pooled = () => model.GradCam(input, Target.Class(0), layer: "pool");
        pooled.Should().Throw<CamException>().WithMessage("*no spatial extent*Use 'features'*");
        var wrong = () => model.Run(Tensor.FromFloats([1, 3, H, W + 1], new float[3 * H * (W + 1)]));
        wrong.Should().Throw<ArgumentException>().WithMessage("*expects input 'image' of shape [1, 3, 4, 5]*[1, 3, 4, 6]*");
    }

    [Fact]
    public void Without_an_evidence_flow_the_choice_warns_and_names_the_candidates()
    {
        var model = new CamModel(new PoolingBackend(TensorLayout.Nchw, knowsFlow: false));
        var (input, _) = Image(TensorLayout.Nchw);
        var map = model.GradCam(input, Target.Class(0));
        map.Layer.Should().Be("features.branch", "with no flow the last spatial leaf layer is taken");
        map.Warnings.Should().ContainSingle().Which.Should().Contain("cannot tell which layers all evidence passes through");
    }

    [Fact]
    public void The_tree_builder_builds_once()
    {
        var b = new LayerTreeBuilder(NamingScheme.Keras, "model");
        var block = b.At(["resnet50", "conv5_block3_out"]);
        b.Child(b.Root, "resnet50").Children.Should().ContainSingle().Which.Should().BeSameAs(block);
        var tree = b.Build();
        tree.Separator.Should().Be('/');
        block.Path.Should().Be("resnet50/conv5_block3_out");
        var again = () => b.Child(b.Root, "late");
        again.Should().Throw<InvalidOperationException>().WithMessage("*already built*");
    }
}
