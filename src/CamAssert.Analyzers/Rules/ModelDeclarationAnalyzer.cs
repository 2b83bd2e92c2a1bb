using System.Collections.Generic;
using System.Collections.Immutable;
using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Rules;

/// <summary>CAM3001: <c>CamModel.Load("m.onnx")</c> with a literal path that no <c>&lt;CamModel&gt;</c> item declares.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelDeclarationAnalyzer : ManifestAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.UndeclaredModel);

    protected override bool RequiresManifests => false;

    private protected override ISet<string> MethodNames { get; } = new HashSet<string>(System.StringComparer.Ordinal) { "Load" };

    internal override void Check(System.Action<Diagnostic> report, IInvocationOperation inv, KnownModels models, CamAssertSymbols symbols)
    {
        if (!symbols.IsLoad(inv.TargetMethod) || ModelSource.Constant(inv.Arguments[0].Value) is not string path) return;
        if (!models.TryGet(path, out _, out _))
            report(Diagnostic.Create(Descriptors.UndeclaredModel, inv.Arguments[0].Value.Syntax.GetLocation(), path));
    }
}
