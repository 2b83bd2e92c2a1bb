using CamAssert.Analyzers.Rules;

namespace CamAssert.Analyzers.Tests;

public class LayerPathAnalyzerTests
{
    private static readonly (string, string) Manifest = ("obj/camassert/nested_classifier.onnx.camassert.json", Compile.Classifier);

    private static string Snippet(string body) => $$"""
        public class Tests
        {
            static readonly CamModel Model = CamModel.Load("models/nested_classifier.onnx");
            static CamModel Other => Model;
            public void Test(Tensor input)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("""Model.Layer("backbone.layer4");""")]
    [InlineData("""Model.Layer("backbone/layer4[-1].conv2");""")]
    [InlineData("""Model.Should().HaveLayer("backbone.layer2.0");""")]
    [InlineData("""Model.GradCam(input, Target.Class(0), layer: "backbone.layer3");""")]
    [InlineData("""CamModel.Load("nested_classifier.onnx").Layer("head");""")]
    public void Valid_paths_are_quiet(string body) =>
        Compile.Diagnostics(new LayerPathAnalyzer(), Snippet(body), Manifest).Should().BeEmpty();

    [Theory]
    [InlineData("""Model.Layer("layer4");""", "'layer4' is not a top-level layer of 'nested_classifier.onnx'; it exists as 'backbone.layer4'")]
    [InlineData("""Other.Layer("backbone.layer4.2");""", "index")]
    [InlineData("""Model.Should().HaveLayer("backbone.layr4");""", "Nearest paths: backbone.layer4")]
    [InlineData("""var m = CamModel.Load("nested_classifier.onnx"); m.GradCam(input, Target.Class(0), layer: "backbone.stem.9");""", "Nearest paths")]
    public void Unknown_paths_are_CAM1001_with_where_the_name_exists(string body, string expected)
    {
        var d = Compile.Diagnostics(new LayerPathAnalyzer(), Snippet(body), Manifest).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1001");
        d.Severity.Should().Be(Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        d.GetMessage().Should().Contain(expected.Replace("index", "'2' is not a child of 'backbone.layer4'"));
        d.Properties[LayerPathAnalyzer.SuggestionKey].Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Pooled_layer_is_CAM1002_naming_the_layer_to_use()
    {
        var d = Compile.Diagnostics(new LayerPathAnalyzer(), Snippet("""Model.GradCam(input, Target.Class(0), layer: "pool");"""), Manifest).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1002");
        d.GetMessage().Should().Contain("[N, 64, 1, 1]").And.Contain("use 'backbone'");
    }

    [Fact]
    public void Branch_layer_is_CAM1003_naming_the_dominating_layer()
    {
        var code = """
            public class T
            {
                static readonly CamModel Inception = CamModel.Load("inception_v3.onnx");
                public void Test(Tensor x) => Inception.GradCam(x, Target.Class(1), layer: "Mixed_7c.branch_pool");
            }
            """;
        var d = Compile.Diagnostics(new LayerPathAnalyzer(), code, ("inception_v3.onnx.camassert.json", Compile.Inception)).Should().ContainSingle().Subject;
        d.Id.Should().Be("CAM1003");
        d.Severity.Should().Be(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        d.GetMessage().Should().Contain("use 'Mixed_7c'");
    }

    [Fact]
    public void Models_without_a_manifest_are_not_checked() =>
        Compile.Diagnostics(new LayerPathAnalyzer(), Snippet("""Model.Layer("nonsense");""")).Should().BeEmpty();
}
