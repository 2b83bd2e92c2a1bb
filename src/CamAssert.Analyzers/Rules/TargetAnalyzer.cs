using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Rules;

/// <summary>
/// CAM2001 (class index or name) and CAM2002 (channel index) on <c>Target.Class</c>,
/// <c>Target.Probability</c>, <c>Target.Segmentation</c> (its class against the output's channel axis) and
/// <c>Target.Channel</c> given to a CAM method of a known model,
/// and on <c>model.Should().HaveClass</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TargetAnalyzer : ManifestAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
        ImmutableArray.Create(Descriptors.ClassOutOfRange, Descriptors.ChannelOutOfRange);

    private protected override ISet<string> MethodNames { get; } = new HashSet<string>(System.StringComparer.Ordinal) { "HaveClass", "GradCam", "Cam" };

    internal override void Check(System.Action<Diagnostic> report, IInvocationOperation inv, KnownModels models, CamAssertSymbols symbols)
    {
        if (inv.TargetMethod.Name == "HaveClass" && CamAssertSymbols.Declares(symbols.CamModelAssertions, inv.TargetMethod))
        {
            if (ModelSource.LoadPath(inv.Instance, symbols) is { } f && models.TryGet(f, out var m, out _) && LayerPathAnalyzer.Arg(inv, "name") is { } arg)
                CheckClass(report, m, arg, "Class");
            return;
        }
        if (inv.TargetMethod.Name is not ("GradCam" or "Cam") || !CamAssertSymbols.Declares(symbols.CamModelExtensions, inv.TargetMethod)) return;
        if (ModelSource.LoadPath(LayerPathAnalyzer.Arg(inv, "model"), symbols) is not { } file || !models.TryGet(file, out var manifest, out var resolver)) return;
        if (LayerPathAnalyzer.Arg(inv, "target") is not { } targetArg || ModelSource.Unwrap(targetArg) is not IInvocationOperation target) return;
        if (!CamAssertSymbols.Declares(symbols.Target, target.TargetMethod)) return;

        switch (target.TargetMethod.Name)
        {
            case "Class" or "Probability" when target.Arguments.Length == 1:
                CheckClass(report, manifest, target.Arguments[0].Value, target.TargetMethod.Name);
                break;
            case "Segmentation" when target.Arguments.Length == 2:
                CheckClass(report, manifest, target.Arguments[0].Value, "Segmentation class", manifest.OutputChannels, "classes per pixel");
                break;
            case "Channel" when target.Arguments.Length == 1:
                CheckChannel(report, target.Arguments[0].Value, manifest.OutputChannels, $"the output of '{manifest.Model}'");
                break;
            case "Channel" when target.Arguments.Length == 2:
                if (ModelSource.Constant(target.Arguments[0].Value) is string path && resolver.Resolve(path) is { Found: true, Layer: { } layer })
                    CheckChannel(report, target.Arguments[1].Value, layer.Channels, $"layer '{layer.Path}' of '{manifest.Model}'");
                break;
        }
    }

    private static void CheckClass(System.Action<Diagnostic> report, ModelManifest m, IOperation arg, string kind) =>
        CheckClass(report, m, arg, kind, m.ClassCount, "classes");

    /// <summary>A class index against <paramref name="classes"/> (a classifier's class count, or a segmentation output's channel axis), a name against the labels.</summary>
    private static void CheckClass(System.Action<Diagnostic> report, ModelManifest m, IOperation arg, string kind, long? classes, string unit)
    {
        var location = ModelSource.Unwrap(arg).Syntax.GetLocation();
        switch (ModelSource.Constant(arg))
        {
            case int index when classes is { } count && (index < 0 || index >= count):
                report(Diagnostic.Create(Descriptors.ClassOutOfRange, location, $"{kind} index {index}", m.Model,
                    $"it outputs {count} {unit} (0 to {count - 1})"));
                break;
            case string name when m.Classes.Count > 0 && !m.Classes.Contains(name):
                report(Diagnostic.Create(Descriptors.ClassOutOfRange, location, $"Class '{name}'", m.Model,
                    $"its classes are {string.Join(", ", m.Classes)}"));
                break;
        }
    }

    private static void CheckChannel(System.Action<Diagnostic> report, IOperation arg, long? channels, string what)
    {
        if (ModelSource.Constant(arg) is int k && channels is { } n && (k < 0 || k >= n))
            report(Diagnostic.Create(Descriptors.ChannelOutOfRange, ModelSource.Unwrap(arg).Syntax.GetLocation(), k, what, n, n - 1));
    }
}
