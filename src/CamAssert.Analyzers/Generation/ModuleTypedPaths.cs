using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using CamAssert.Analyzers.Manifests;
using CamAssert.Analyzers.Modules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CamAssert.Analyzers.Generation;

/// <summary>
/// Typed layer paths for the TorchSharp module classes of the project: for each non-generic, non-abstract class
/// deriving from <c>Module</c> whose tree the analyzer can read (<see cref="ModuleTreeBuilder"/>),
/// <c>CamModels.MyNet.Layers.Backbone.Layer4</c> converts to the <c>LayerPath</c> "backbone.layer4". Only the layers the
/// analyzer sees get members; a path into an opaque part is still written as a string.
/// Classes of the same name in different namespaces get <c>MyNet</c>, <c>MyNet_2</c> … in order of their full names.
/// </summary>
internal static class ModuleTypedPaths
{
    /// <summary>One module class's layers, as plain text so the generator's cache compares it by value.</summary>
    private sealed record Table(string Name, string FullName, string Layers);

    public static void Register(IncrementalGeneratorInitializationContext context)
    {
        var tables = context.SyntaxProvider.CreateSyntaxProvider(
                (node, _) => node is ClassDeclarationSyntax { BaseList: not null, TypeParameterList: null } c && !c.Modifiers.Any(SyntaxKind.AbstractKeyword),
                (ctx, cancel) => Read(ctx.SemanticModel, (ClassDeclarationSyntax)ctx.Node, cancel))
            .Where(t => t is not null)
            .Collect();
        context.RegisterSourceOutput(tables, (spc, all) =>
        {
            var used = new HashSet<string>();
            foreach (var t in all.Distinct().OrderBy(t => t!.FullName, System.StringComparer.Ordinal))
            {
                string id = TypedPathsGenerator.Unique(TypedPathsGenerator.Identifier(t!.Name), used);
                var layers = t.Layers.Split('\n').Select(l => l.Split('\t')).Select(p => new ManifestLayer(p[0], p[1], null, false, false, null));
                spc.AddSource($"CamModels.Module.{id}.g.cs", SourceText.From(TypedPathsGenerator.Emit(ModelManifest.OfTree(t.Name, layers), t.FullName, id), Encoding.UTF8));
            }
        });
    }

    private static Table? Read(SemanticModel model, ClassDeclarationSyntax syntax, System.Threading.CancellationToken cancel)
    {
        // TorchSharp's symbols first (resolved once per compilation): without TorchSharp no class is bound at all.
        if (TorchSharpSymbols.From(model.Compilation) is not { } ts) return null;
        if (model.GetDeclaredSymbol(syntax, cancel) is not INamedTypeSymbol type || type.ContainingType is not null && type.DeclaredAccessibility == Accessibility.Private) return null;
        if (!ts.IsModule(type) || ts.TreeOf(type) is not { } tree || tree.Manifest.Layers.Count == 0) return null;
        // Each partial declaration gives the same table; Distinct() keeps one.
        return new Table(type.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", ""),
            string.Join("\n", tree.Manifest.Layers.Select(l => l.Path + "\t" + l.Name)));
    }
}
