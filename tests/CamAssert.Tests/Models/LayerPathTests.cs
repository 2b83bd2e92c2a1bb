using CamAssert.Models;
using CamAssert.Models.Layers;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Models;

public class LayerPathTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly CamModel _model;

    public LayerPathTests() => _model = CamModel.Load(OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tree_follows_torch_scopes_with_sequential_children_unrepeated()
    {
        _model.Layers.Scheme.Should().Be(NamingScheme.PyTorch);
        _model.Layers.Root.Children.Select(c => c.Name).Should().Equal("backbone", "pool", "head");
        _model.Layer("backbone.layer1").Children.Select(c => c.Name).Should().Equal("0", "1");
        _model.Layers.All.Select(l => l.Path).Should().Contain("backbone.layer1.0.conv2").And.NotContain(p => p.Contains("layer1.layer1"));
    }

    [Fact]
    public void Second_call_of_a_module_belongs_to_that_module()
    {
        var relu = _model.Layer("backbone.layer1.0.relu");
        relu.OwnOperations.Should().Equal("/backbone/layer1/layer1.0/relu/Relu", "/backbone/layer1/layer1.0/relu_1/Relu");
        relu.Outputs.Select(o => o.Name).Should().Equal("a2", "a5");
    }

    [Theory]
    [InlineData("backbone.layer1", "a7")]
    [InlineData("backbone/layer1", "a7")]
    [InlineData("backbone.layer1.0", "a5")]
    [InlineData("backbone.layer1[0]", "a5")]
    [InlineData("backbone.layer1[-1]", "a7")]
    [InlineData("backbone.layer1[-2].conv2", "a3")]
    [InlineData("backbone", "a7")]
    [InlineData("head", "logits")]
    [InlineData("/backbone/layer1/layer1.0/Add", "a4")]
    [InlineData("a6", "a6")]
    [InlineData("input", "input")]
    public void Every_path_form_resolves(string path, string tensor) =>
        _model.Layer(path).Output!.Name.Should().Be(tensor);

    [Fact]
    public void Output_shapes_are_inferred_with_the_symbolic_batch()
    {
        _model.Layer("backbone.layer1").OutputShape!.ToString().Should().Be("[N, 4, 8, 8]");
        _model.Layer("pool").OutputShape!.ToString().Should().Be("[N, 4, 1, 1]");
        _model.Layer("head").OutputShape!.ToString().Should().Be("[N, 3]");
        _model.Layer("backbone.layer1").HasSpatialOutput.Should().BeTrue();
        _model.Layer("pool").HasSpatialOutput.Should().BeFalse();
    }

    [Fact]
    public void Nested_name_at_top_level_says_where_it_exists()
    {
        var e = Assert.Throws<LayerNotFoundException>(() => _model.Layer("layer1"));
        e.Message.Should().Contain("'layer1' is not a top-level layer of 'classifier.onnx'; it exists as 'backbone.layer1'")
            .And.Contain("Top-level layers: backbone, pool, head");
        e.Nearest.Should().Contain("backbone.layer1");
    }

    [Fact]
    public void Misspelling_lists_nearest_paths_and_children()
    {
        var e = Assert.Throws<LayerNotFoundException>(() => _model.Layer("backbone.layer1.0.conv3"));
        e.Message.Should().Contain("'conv3' is not a child of 'backbone.layer1.0', and no layer of that name exists")
            .And.Contain("Children of 'backbone.layer1.0': conv1, relu, conv2");
        e.Nearest.First().Should().BeOneOf("backbone.layer1.0.conv1", "backbone.layer1.0.conv2");
    }

    [Fact]
    public void Index_out_of_range_gives_the_valid_range()
    {
        var e = Assert.Throws<LayerNotFoundException>(() => _model.Layer("backbone.layer1[-3]"));
        e.Message.Should().Contain("Index [-3] is out of range: 'backbone.layer1' has 2 child layers (valid indices -2 to 1)");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".backbone")]
    [InlineData("backbone[x]")]
    public void Malformed_paths_are_not_found_errors(string path) =>
        Assert.Throws<LayerNotFoundException>(() => _model.Layer(path)).Message.Should().Contain("Top-level layers");

    [Fact]
    public void A_path_matching_several_layers_lists_them()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Node[1].Output[0] = "backbone.layer1"; // a tensor named like a layer path
        foreach (var n in b.Graph.Node) for (int i = 0; i < n.Input.Count; i++) if (n.Input[i] == "s") n.Input[i] = "backbone.layer1";
        var model = CamModel.Load(b.Save(_dir.Path, "ambiguous.onnx"));
        var e = Assert.Throws<AmbiguousLayerPathException>(() => model.Layer("backbone.layer1"));
        e.Matches.Should().HaveCount(2);
        e.Message.Should().Contain("matches 2 layers").And.Contain("Write the full path");
    }

    [Fact]
    public void Keras_names_use_slash_paths_and_drop_the_model_scope()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Model.ProducerName = "tf2onnx";
        foreach (var n in b.Graph.Node)
            n.Name = n.Name.Replace("/backbone/", "model/resnet50/").Replace("/layer1/layer1.0/", "/conv2_block1_").Replace("/layer1/layer1.1/", "/conv2_block2_")
                .Replace("/stem/stem.0/", "/conv1_conv/").Replace("/stem/stem.1/", "/conv1_relu/").Replace("/pool/", "model/avg_pool/").Replace("/head/head.0/", "model/flatten/").Replace("/head/head.1/", "model/predictions/");
        var model = CamModel.Load(b.Save(_dir.Path, "keras.onnx"));
        model.Layers.Scheme.Should().Be(NamingScheme.Keras);
        model.Layers.Root.Children.Select(c => c.Name).Should().Equal("resnet50", "avg_pool", "flatten", "predictions");
        model.Layer("resnet50/conv2_block1_relu_1").Output!.Name.Should().Be("a5");
        model.Layer("model/resnet50/conv2_block1_conv2").Output!.Name.Should().Be("a3");
        var e = Assert.Throws<LayerNotFoundException>(() => model.Layer("conv2_block1_conv2"));
        e.Message.Should().Contain("'conv2_block1_conv2' is not a top-level layer of 'keras.onnx'; it exists as 'resnet50/conv2_block1_conv2'");
    }

    [Fact]
    public void Flat_names_make_one_layer_per_node()
    {
        var b = OnnxBuilder.NestedClassifier();
        int i = 0;
        foreach (var n in b.Graph.Node) n.Name = $"{n.OpType}_{i++}";
        var model = CamModel.Load(b.Save(_dir.Path, "flat.onnx"));
        model.Layers.Scheme.Should().Be(NamingScheme.Flat);
        model.Layers.Root.Children.Should().HaveCount(12);
        model.Layer("Relu_6").Output!.Name.Should().Be("a5");
    }
}
