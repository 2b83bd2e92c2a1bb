using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Rules;

/// <summary>
/// The shared set-up of CamAssert's analyzers: resolve CamAssert's types and read the manifests
/// once per compilation (nothing to do when CamAssert is not referenced), then look at every invocation. <see cref="RequiresManifests"/> says whether a compilation without
/// any manifest needs analysing at all.
/// </summary>
public abstract class ManifestAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Whether the analyzer only has work when the project declares models.</summary>
    protected virtual bool RequiresManifests => true;

    /// <summary>Whether the analyzer also has work, without manifests, when the compilation references TorchSharp (whose modules it reads from source).</summary>
    private protected virtual bool ChecksModules => false;

    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (CamAssertSymbols.From(start.Compilation) is not { } symbols) return;
            var models = KnownModels.From(start.Options.AdditionalFiles, start.CancellationToken);
            if (RequiresManifests && !models.Any && !(ChecksModules && symbols.TorchSharp is not null)) return;
            start.RegisterOperationAction(c => Check(c, (IInvocationOperation)c.Operation, models, symbols), OperationKind.Invocation);
        });
    }

    /// <summary>Checks one invocation against the known models; <paramref name="symbols"/> are CamAssert's types in this compilation.</summary>
    internal abstract void Check(OperationAnalysisContext context, IInvocationOperation invocation, KnownModels models, CamAssertSymbols symbols);
}
