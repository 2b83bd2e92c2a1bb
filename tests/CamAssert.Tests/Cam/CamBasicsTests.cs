using CamAssert.Cam;
using CamAssert.Onnx.Engine;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

public class CamBasicsTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly CamModel _model;
    private readonly Tensor _input;

    public CamBasicsTests()
    {
        _model = CamModel.Load(OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx"), ["circle", "square", "triangle"]);
        var rnd = new Random(3);
        _input = Tensor.FromFloats([1, 3, 8, 8], Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray());
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Layer_is_chosen_automatically_and_recorded()
    {
        var map = _model.GradCam(_input, Target.Class(0));
        map.Layer.Should().Be("backbone", "the backbone's output is the last spatial map all evidence passes through, named by its outermost layer");
        map.Source.LayerReason.Should().Contain("chosen automatically");
        map.Width.Should().Be(8);
        map.Height.Should().Be(8);
    }

    [Fact]
    public void Final_map_is_min_max_normalised()
    {
        var map = _model.GradCam(_input, Target.Class("square"));
        if (map.IsDegenerate) return;
        map.Values.Max().Should().BeApproximately(1f, 1e-5f);
        map.Values.Min().Should().Be(0f);
        map.Target.Should().Be("class 'square'");
    }

    [Fact]
    public void Block_inside_a_residual_branch_warns_and_names_the_layer_to_use()
    {
        var map = _model.GradCam(_input, Target.Class(1), layer: "backbone.layer1.0.conv2");
        map.Warnings.Should().ContainSingle().Which.Should().Contain("Evidence flows around layer 'backbone.layer1.0.conv2'").And.Contain("Use 'backbone.layer1.0'");
    }

    [Fact]
    public void Layer_after_global_pooling_is_an_error_naming_the_layer_to_use()
    {
        var e = Assert.Throws<CamException>(() => _model.GradCam(_input, Target.Class(1), layer: "pool"));
        e.Message.Should().Contain("Layer 'pool'").And.Contain("no spatial extent").And.Contain("Use 'backbone'");
    }

    [Fact]
    public void Unknown_class_name_lists_the_classes()
    {
        var e = Assert.Throws<ArgumentException>(() => _model.GradCam(_input, Target.Class("hexagon")));
        e.Message.Should().Contain("no class named 'hexagon'").And.Contain("circle, square, triangle");
    }

    [Fact]
    public void Class_index_out_of_range_gives_the_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _model.GradCam(_input, Target.Class(7)));
        e.Message.Should().Contain("Class index 7 is out of range").And.Contain("3 classes (0 to 2)");
    }

    [Fact]
    public void Batch_needs_one_target_per_image()
    {
        var two = Tensor.FromFloats([2, 3, 8, 8], new float[384]);
        var e = Assert.Throws<CamException>(() => _model.CamBatch(two, [Target.Class(0)]));
        e.Message.Should().Contain("2 image(s) but 1 target(s)");
    }

    [Fact]
    public void Batch_maps_equal_single_image_maps()
    {
        var rnd = new Random(5);
        var other = Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray();
        var both = Tensor.FromFloats([2, 3, 8, 8], [.. _input.F, .. other]);
        var maps = _model.CamBatch(both, [Target.Class(0), Target.Class(2)]);
        maps[0].Values.Should().Equal(_model.GradCam(_input, Target.Class(0)).Values);
        maps[1].Values.Should().Equal(_model.GradCam(Tensor.FromFloats([1, 3, 8, 8], other), Target.Class(2)).Values);
    }

    [Fact]
    public void Zero_input_gives_a_degenerate_map_with_a_reason_not_noise()
    {
        var zero = Tensor.FromFloats([1, 3, 8, 8], new float[192]);
        var b = OnnxBuilder.NestedClassifier();
        foreach (var t in b.Graph.Initializer) t.RawData = Google.Protobuf.ByteString.CopyFrom(new byte[t.RawData.Length]);
        var model = CamModel.Load(b.Save(_dir.Path, "zeros.onnx"));
        var map = model.GradCam(zero, Target.Class(0));
        map.IsDegenerate.Should().BeTrue();
        map.DegenerateReason.Should().Contain("zero everywhere");
        map.Values.Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Nan_in_the_input_is_an_error_naming_the_layer()
    {
        var x = (float[])_input.F.Clone();
        x[5] = float.NaN;
        var e = Assert.Throws<CamException>(() => _model.GradCam(Tensor.FromFloats([1, 3, 8, 8], x), Target.Class(0)));
        e.Message.Should().Contain("layer 'backbone'").And.Contain("NaN");
    }

    [Theory]
    [InlineData(CamMethod.GradCam)]
    [InlineData(CamMethod.HiResCam)]
    [InlineData(CamMethod.GradCamPlusPlus)]
    [InlineData(CamMethod.XGradCam)]
    [InlineData(CamMethod.LayerCam)]
    [InlineData(CamMethod.ScoreCam)]
    [InlineData(CamMethod.EigenCam)]
    public void Every_method_runs_and_reports_channel_shares(CamMethod method)
    {
        var map = _model.Cam(_input, Target.Class(1), method);
        map.Method.Should().Be(method);
        map.ChannelShares.Should().HaveCount(4);
        if (!map.IsDegenerate) map.ChannelShares.Sum().Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Activation_method_shows_the_channel()
    {
        var map = _model.Cam(_input, Target.Channel(2), CamMethod.Activation, layer: "backbone");
        map.ChannelWeights.Should().Equal(0f, 0f, 1f, 0f);
    }

    [Fact]
    public void Channel_target_of_a_layer_is_checked()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _model.GradCam(_input, Target.Channel("backbone.layer1", 9), layer: "backbone.layer1.0"));
        e.Message.Should().Contain("Channel 9 is out of range: layer 'backbone.layer1' of 'classifier.onnx' has 4 channels");
    }
}
