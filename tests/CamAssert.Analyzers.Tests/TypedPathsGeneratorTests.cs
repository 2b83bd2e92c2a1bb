using CamAssert.Analyzers.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CamAssert.Analyzers.Tests;

public class TypedPathsGeneratorTests
{
    private static (Compilation Output, GeneratorDriverRunResult Run) Generate(string code)
    {
        var compilation = Compile.Create(code);
        var driver = CSharpGeneratorDriver.Create([new TypedPathsGenerator().AsSourceGenerator()],
            [new Compile.InMemoryText("obj/camassert/nested_classifier.onnx.camassert.json", Compile.Classifier)]);
        driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (output, driver.GetRunResult());
    }

    [Fact]
    public void Typed_members_compile_and_convert_to_layer_paths()
    {
        var (output, run) = Generate("""
            public class Tests
            {
                static readonly CamModel Model = CamModel.Load(CamModels.Nested_classifier.File);
                public object Use(Tensor x) => Model.GradCam(x, Target.Class(CamModels.Nested_classifier.Classes.Square), layer: CamModels.Nested_classifier.Layers.Backbone.Layer4);
                public CamAssert.Models.Layers.LayerPath Deep => CamModels.Nested_classifier.Layers.Backbone.Layer4._1.Conv2;
            }
            """);
        run.Diagnostics.Should().BeEmpty();
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty();
        var source = run.Results.Single().GeneratedSources.Single().SourceText.ToString();
        source.Should().Contain("\"backbone.layer4.1.conv2\"").And.Contain("public const string Circle = \"circle\";").And.Contain("[N, 64, 8, 8]");
    }

    [Fact]
    public void A_misspelled_typed_member_is_a_compile_error()
    {
        var (output, _) = Generate("""
            public class Tests
            {
                public CamAssert.Models.Layers.LayerPath P => CamModels.Nested_classifier.Layers.Backbone.Layr4;
            }
            """);
        output.GetDiagnostics().Should().Contain(d => d.Id == "CS1061" && d.GetMessage().Contains("Layr4"));
    }

    [Theory]
    [InlineData("layer4", "Layer4")]
    [InlineData("0", "_0")]
    [InlineData("conv5_block3_out", "Conv5_block3_out")]
    [InlineData("Mixed_7c", "Mixed_7c")]
    [InlineData("my-layer.x", "My_layer_x")]
    public void Names_become_identifiers(string name, string identifier) =>
        TypedPathsGenerator.Identifier(name).Should().Be(identifier);

    [Fact]
    public void Module_classes_get_typed_paths_of_the_layers_the_analyzer_reads()
    {
        var (output, run) = Generate(ModuleLayerPathTests.Modules + """
            public class Tests
            {
                static readonly CamModel Model = TorchSharpModel.From(new MyNet(), 32, 32);
                public object Use(CamAssert.Models.Tensor x) => Model.GradCam(x, Target.Class(0), layer: CamModels.MyNet.Layers.Backbone.Layer4._1.Conv1);
                public CamAssert.Models.Layers.LayerPath Head => CamModels.MyNet.Layers.M_head._2;
                public CamAssert.Models.Layers.LayerPath Block => CamModels.Block.Layers.Conv2;
            }
            """);
        run.Diagnostics.Should().BeEmpty();
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty("the typed members exist");
        var source = run.Results.Single().GeneratedSources.Single(s => s.HintName == "CamModels.Module.MyNet.g.cs").SourceText.ToString();
        source.Should().Contain("\"backbone.layer4.1.conv1\"").And.Contain("\"m_head.2\"").And.NotContain("_extra.", "a part the analyzer cannot see has no members")
            .And.NotContain("const string File", "a module class is no file");
    }

    [Fact]
    public void A_misspelled_module_member_is_a_compile_error()
    {
        var (output, _) = Generate(ModuleLayerPathTests.Modules + """
            public class Tests
            {
                public CamAssert.Models.Layers.LayerPath P => CamModels.MyNet.Layers.Backbone.Layr4;
            }
            """);
        output.GetDiagnostics().Should().Contain(d => d.Id == "CS1061" && d.GetMessage().Contains("Layr4"));
    }
}
