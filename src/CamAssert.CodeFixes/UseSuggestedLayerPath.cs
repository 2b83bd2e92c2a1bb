using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CamAssert.CodeFixes;

/// <summary>CAM1001: replaces an unknown layer path literal with the nearest valid path the analyzer suggests.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedLayerPath)), Shared]
public sealed class UseSuggestedLayerPath : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CAM1001");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(Analyzers.Rules.LayerPathAnalyzer.SuggestionKey, out var suggestion) || string.IsNullOrEmpty(suggestion)) continue;
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal) continue;
            context.RegisterCodeFix(CodeAction.Create($"Use '{suggestion}'", _ =>
            {
                var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(suggestion!)).WithTriviaFrom(literal);
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement)));
            }, equivalenceKey: "CAM1001:" + suggestion), diagnostic);
        }
    }
}
