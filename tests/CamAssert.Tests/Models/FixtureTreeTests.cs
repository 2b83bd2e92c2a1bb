using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Models;
using CamAssert.Models.Layers;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Models;

/// <summary>
/// Layer trees of real torch 1.13 exports against the module shapes PyTorch's forward hooks saw
/// (tests/fixtures/trees, made by tools/make_tree_fixtures.py).
/// </summary>
public class FixtureTreeTests
{
    private static readonly Dictionary<string, CamModel> Loaded = new();

    internal static CamModel Model(string file)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(file, out var m)) return m;
            string path = file.EndsWith(".gz") ? Fixtures.Unzipped(Path.Combine("trees", file)) : Fixtures.Path_("trees", file);
            return Loaded[file] = CamModel.Load(path);
        }
    }

    public static TheoryData<string> Files() => new(Expected().Keys);

    private static Dictionary<string, Dictionary<string, long[]>> Expected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("trees", "expected_shapes.json")));
        return doc.RootElement.EnumerateObject().ToDictionary(m => m.Name,
            m => m.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetInt64()).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_module_with_nodes_is_a_layer_with_pytorchs_output_shape(string file)
    {
        var model = Model(file);
        var expected = Expected()[file];
        var layers = model.Layers.All.ToDictionary(l => l.Path);
        int matched = 0;
        foreach (var (path, shape) in expected)
        {
            if (!layers.TryGetValue(path, out var layer)) continue; // folded away (BatchNorm into Conv) or no nodes (Dropout, Identity)
            var ours = layer.OutputShape?.ToArray();
            ours.Should().NotBeNull("layer {0} of {1} has an inferred shape", path, file);
            ours!.Select((d, i) => d < 0 ? shape[i] : d).Should().Equal(shape, "layer {0} of {1} has PyTorch's output shape", path, file);
            matched++;
        }
        matched.Should().BeGreaterThan(expected.Count / 2, "most modules of {0} survive export as layers", file);
        layers.Keys.Where(p => !expected.ContainsKey(p)).Should().BeEmpty("every layer of {0} is a module PyTorch knows", file);
    }

    [Fact]
    public void ResNet50_has_layer4_with_its_blocks()
    {
        var model = Model("resnet50.onnx.gz");
        model.Layer("layer4").OutputShape!.ToString().Should().Be("[1, 2048, 7, 7]");
        model.Layer("layer4").Descendants().Select(l => l.Path).Should().Contain("layer4.2.conv3");
        model.Layer("layer4[-1]").Path.Should().Be("layer4.2");
        model.Layer("layer4.2.conv3").OutputShape!.ToString().Should().Be("[1, 2048, 7, 7]");
    }

    [Fact]
    public void Inception_v3_has_Mixed_7c_and_its_branches()
    {
        var model = Model("inception_v3.onnx.gz");
        model.Layer("Mixed_7c").OutputShape!.ToString().Should().Be("[1, 2048, 8, 8]");
        model.Layer("Mixed_7c.branch_pool").OutputShape!.ToString().Should().Be("[1, 192, 8, 8]");
    }

    [Theory]
    [InlineData("resnet50.onnx.gz", "layer4")]
    [InlineData("inception_v3.onnx.gz", "Mixed_7c")]
    [InlineData("mobilenet_v2.onnx.gz", "features")]
    [InlineData("densenet121.onnx.gz", "features")]
    [InlineData("nested_classifier.onnx", "backbone")]
    public void Default_cam_layer_is_the_last_dominating_spatial_layer(string file, string layer) =>
        LayerChoice.Choose(Model(file), null, MapLayout.Auto).Layer.Path.Should().Be(layer);

    [Fact]
    public void Inception_branch_warns_and_pooled_layer_errors()
    {
        var model = Model("inception_v3.onnx.gz");
        LayerChoice.Choose(model, "Mixed_7c.branch_pool", MapLayout.Auto).Warnings.Should().ContainSingle()
            .Which.Should().Contain("Evidence flows around layer 'Mixed_7c.branch_pool'").And.Contain("Use 'Mixed_7c'");
        Assert.Throws<CamException>(() => LayerChoice.Choose(model, "avgpool", MapLayout.Auto)).Message.Should().Contain("Use 'Mixed_7c'");
    }

    [Fact]
    public void Keras_named_model_resolves_slash_paths_and_explains_nested_names()
    {
        var model = Model("nested_classifier_keras.onnx");
        model.Layers.Scheme.Should().Be(NamingScheme.Keras);
        model.Layers.Root.Children.Select(c => c.Name).Should().Equal("resnet50", "avg_pool", "flatten", "predictions");
        model.Layer("resnet50/conv5_block2_out").OutputShape!.ToString().Should().Be("[N, 64, 8, 8]");
        var e = Assert.Throws<LayerNotFoundException>(() => model.Layer("conv5_block2_out"));
        e.Message.Should().Contain("'conv5_block2_out' is not a top-level layer of 'nested_classifier_keras.onnx'; it exists as 'resnet50/conv5_block2_out'");
        e.Nearest.Should().Contain("resnet50/conv5_block2_out");
    }

    [Fact]
    public void Both_namings_of_the_nested_classifier_compute_the_same_logits()
    {
        var input = CamAssert.Models.Tensor.FromFloats([1, 3, 64, 64], Enumerable.Range(0, 3 * 64 * 64).Select(i => (float)Math.Sin(i)).ToArray());
        Model("nested_classifier.onnx").Run(input).F.Should().Equal(Model("nested_classifier_keras.onnx").Run(input).F);
        Model("nested_classifier.onnx").Labels.Should().Equal("circle", "square", "triangle");
    }
}
