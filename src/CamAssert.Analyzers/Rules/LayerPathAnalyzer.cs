using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CamAssert.Analyzers.Manifests;
using CamAssert.Analyzers.Modules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Rules;

/// <summary>
/// CAM1001 (unknown path), CAM1002 (no spatial extent) and CAM1003 (a branch) on layer-path
/// literals given to <c>model.Layer</c>, <c>model.Should().HaveLayer</c> and the CAM methods' <c>layer</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LayerPathAnalyzer : ManifestAnalyzer
{
    /// <summary>Diagnostic property holding the suggested path, for the code fix.</summary>
    public const string SuggestionKey = "Suggestion";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
        ImmutableArray.Create(Descriptors.UnknownLayer, Descriptors.NotSpatial, Descriptors.NotDominating);

    private protected override bool ChecksModules => true;

    private protected override ISet<string> MethodNames { get; } = new HashSet<string>(System.StringComparer.Ordinal) { "Layer", "HaveLayer", "GradCam", "Cam", "CamBatch" };

    internal override void Check(System.Action<Diagnostic> report, IInvocationOperation inv, KnownModels models, CamAssertSymbols symbols)
    {
        var method = inv.TargetMethod;
        IOperation? modelExpr, pathArg;
        bool forCam = false;
        if (method.Name == "Layer" && CamAssertSymbols.Declares(symbols.CamModel, method)) { modelExpr = inv.Instance; pathArg = Arg(inv, "path"); }
        else if (method.Name == "HaveLayer" && CamAssertSymbols.Declares(symbols.CamModelAssertions, method)) { modelExpr = inv.Instance; pathArg = Arg(inv, "path"); }
        else if (method.Name is "GradCam" or "Cam" or "CamBatch" && CamAssertSymbols.Declares(symbols.CamModelExtensions, method)) { modelExpr = Arg(inv, "model"); pathArg = Arg(inv, "layer"); forCam = true; }
        else return;
        if (pathArg is null || ModelSource.Constant(pathArg) is not string path) return;
        ModelManifest manifest;
        PathResolver resolver;
        LayerTree? module = null;
        if (ModelSource.LoadPath(modelExpr, symbols) is { } file) { if (!models.TryGet(file, out manifest, out resolver)) return; }
        else if (symbols.TorchSharp is { } torch && ModelSource.Module(modelExpr, torch) is { } made && torch.TreeOf(made) is { } tree)
            (manifest, resolver, module) = (tree.Manifest, tree.Resolver, tree);
        else return;

        var location = ModelSource.Unwrap(pathArg).Syntax.GetLocation();
        var result = resolver.Resolve(path);
        if (!result.Found)
        {
            var props = ImmutableDictionary<string, string?>.Empty.Add(SuggestionKey, result.Suggestion);
            report(Diagnostic.Create(Descriptors.UnknownLayer, location, props, path, manifest.Model, result.Problem));
            return;
        }
        if (!forCam || result.Layer is not { } layer) return;
        if (module is not null)
        {
            // A module read from source has no shapes: no shape rule fires; CAM1003 only where its forward shows a branch.
            if (module.AroundBranch(layer.Path) is { } whole)
                report(Diagnostic.Create(Descriptors.NotDominating, location, layer.Path, manifest.Model, whole));
            return;
        }
        string use = manifest.DefaultLayer ?? "a convolutional layer before the pooling";
        if (!layer.Spatial)
            report(Diagnostic.Create(Descriptors.NotSpatial, location, layer.Path, manifest.Model, Shape(layer.Shape), use));
        else if (!layer.Dominates)
            report(Diagnostic.Create(Descriptors.NotDominating, location, layer.Path, manifest.Model, Dominating(manifest, layer) ?? use));
    }

    /// <summary>The first dominating spatial layer after <paramref name="layer"/> in manifest order that is not inside it.</summary>
    private static string? Dominating(ModelManifest m, ManifestLayer layer)
    {
        int at = m.Layers.ToList().IndexOf(layer);
        return m.Layers.Skip(at + 1).FirstOrDefault(l => l.Spatial && l.Dominates && !l.Path.StartsWith(layer.Path + m.Separator) && !layer.Path.StartsWith(l.Path + m.Separator))?.Path
            ?? m.Layers.FirstOrDefault(l => l.Spatial && l.Dominates && layer.Path.StartsWith(l.Path + m.Separator))?.Path;
    }

    internal static IOperation? Arg(IInvocationOperation inv, string name) =>
        inv.Arguments.FirstOrDefault(a => a.Parameter?.Name == name && a.ArgumentKind != ArgumentKind.DefaultValue)?.Value;

    private static string Shape(long[]? s) => s is null ? "unknown" : "[" + string.Join(", ", s.Select(d => d < 0 ? "N" : d.ToString())) + "]";
}
