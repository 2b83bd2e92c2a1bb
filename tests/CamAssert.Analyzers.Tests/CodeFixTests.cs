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
    public async Task Unknown_path_is_replaced_with_the_suggestion()
    {
        const string code = """
            public class Tests
            {
                static readonly CamModel Model = CamModel.Load("nested_classifier.onnx");
                public object L() => Model.Layer("layer4");
            }
            """;
        var diagnostic = Compile.Diagnostics(new LayerPathAnalyzer(), code, ("nested_classifier.onnx.camassert.json", Compile.Classifier)).Single();

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

        actions.Should().ContainSingle().Which.Title.Should().Be("Use 'backbone.layer4'");
        var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        (await changed.GetTextAsync()).ToString().Should().Contain("Model.Layer(\"backbone.layer4\")").And.NotContain("Model.Layer(\"layer4\")");
    }
}
