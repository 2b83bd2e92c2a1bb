using System.Collections.Immutable;
using CamAssert.Analyzers.Rules;
using CamAssert.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace CamAssert.Analyzers.Tests;

public class CodeFixTests
{
    [Fact]
    public Task Unknown_path_is_replaced_with_the_suggestion() => Fixes("""
            public class Tests
            {
                static readonly CamModel Model = CamModel.Load("nested_classifier.onnx");
                public object L() => Model.Layer("layer4");
            }
            """, "layer4", "backbone.layer4", ("nested_classifier.onnx.camassert.json", Compile.Classifier));

    [Fact]
    public Task Unknown_path_of_a_TorchSharp_module_is_replaced_with_the_suggestion() => Fixes(ModuleLayerPathTests.Modules + """
            public class Tests
            {
                static readonly CamModel Model = CamAssert.TorchSharp.TorchSharpModel.From(new MyNet(), 32, 32);
                public object L() => Model.Layer("backbone.layr4");
            }
            """, "backbone.layr4", "backbone.layer4");

    [Fact]
    public Task Unknown_path_of_a_TorchVision_model_is_replaced_with_the_suggestion() => Fixes("""
            public class Tests
            {
                static readonly CamModel Model = CamAssert.TorchSharp.TorchSharpModel.From(TorchSharp.torchvision.models.resnet50(), 224, 224);
                public object L() => Model.Layer("layer5");
            }
            """, "layer5", "layer4");

    private static async Task Fixes(string code, string wrong, string right, params (string, string)[] manifests)
    {
        var diagnostic = Compile.Diagnostics(new LayerPathAnalyzer(), code, manifests).Single();

        using var workspace = new AdhocWorkspace();
        var compilation = Compile.Create(code);
        var project = workspace.AddProject("Snippet", LanguageNames.CSharp).WithMetadataReferences(compilation.References)
            .WithCompilationOptions(compilation.Options);
        var document = project.AddDocument("Tests.cs", compilation.SyntaxTrees.Single().GetText());
        var fix = new UseSuggestedLayerPath();
        var actions = new List<CodeAction>();
        var located = Diagnostic.Create(diagnostic.Descriptor, Location.Create((await document.GetSyntaxTreeAsync())!, diagnostic.Location.SourceSpan), diagnostic.Properties,
            diagnostic.GetMessage());
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, located, (a, _) => actions.Add(a), CancellationToken.None));

        actions.Should().ContainSingle().Which.Title.Should().Be($"Use '{right}'");
        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        (await changed.GetTextAsync()).ToString().Should().Contain($"Model.Layer(\"{right}\")").And.NotContain($"Model.Layer(\"{wrong}\")");
    }
}
