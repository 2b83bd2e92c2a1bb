using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Assertions;

public class ModelAssertionTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly CamModel _model;

    public ModelAssertionTests() => _model = CamModel.Load(OnnxBuilder.NestedClassifier().Save(_dir.Path, "classifier.onnx"), ["circle", "square", "triangle"]);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HaveLayer_gives_the_layer_to_chain_on() =>
        _model.Should().HaveLayer("backbone.layer1").Which.Should().HaveSpatialOutput().And.HaveOutputShape("[N, 4, 8, 8]");

    [Fact]
    public void Missing_layer_fails_with_the_resolver_message()
    {
        var act = () => _model.Should().HaveLayer("layer1");
        act.Should().Throw<Exception>().Which.Message.Should().Contain("to have layer \"layer1\"").And.Contain("it exists as 'backbone.layer1'");
    }

    [Fact]
    public void Pooled_layer_is_not_spatial()
    {
        var act = () => _model.Layer("pool").Should().HaveSpatialOutput("CAMs need a map");
        act.Should().Throw<Exception>().Which.Message.Should().Contain("because CAMs need a map, but its output shape is [N, 4, 1, 1]");
    }

    [Fact]
    public void HaveClass_lists_the_classes()
    {
        _model.Should().HaveClass("square");
        var act = () => _model.Should().HaveClass("hexagon");
        act.Should().Throw<Exception>().Which.Message.Should().Contain("circle, square, triangle");
    }
}
