using System;
using System.Collections.Generic;
using System.Threading;
using System.Collections.Immutable;
using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Rules;

/// <summary>
/// The shared set-up of CamAssert's analyzers: resolve CamAssert's types and read the manifests
/// once per compilation (nothing to do when CamAssert is not referenced), then look at the invocations whose
/// method is named one of <see cref="MethodNames"/>. The name is read from the syntax first, so only those
/// calls ever ask the semantic model for an operation (an operation action would build the operation tree of
/// every method body). <see cref="RequiresManifests"/> says whether a compilation without any manifest needs analysing at all.
/// </summary>
public abstract class ManifestAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Whether the analyzer only has work when the project declares models.</summary>
    protected virtual bool RequiresManifests => true;

    /// <summary>Whether the analyzer also has work, without manifests, when the compilation references TorchSharp (whose modules it reads from source).</summary>
    private protected virtual bool ChecksModules => false;

    /// <summary>The names of the methods whose calls the analyzer checks; calls of any other name are skipped before any semantic work.</summary>
    private protected abstract ISet<string> MethodNames { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is resolved until a call of a checked name is met: a compilation without one costs a syntax walk.
            var compilation = start.Compilation;
            var options = start.Options;
            var state = new Lazy<(KnownModels Models, CamAssertSymbols Symbols)?>(() =>
            {
                if (CamAssertSymbols.From(compilation) is not { } symbols) return null;
                var models = KnownModels.From(options.AdditionalFiles, default);
                return RequiresManifests && !models.Any && !(ChecksModules && symbols.TorchSharp is not null) ? null : (models, symbols);
            }, LazyThreadSafetyMode.ExecutionAndPublication);
            var names = MethodNames;
            start.RegisterSyntaxNodeAction(c =>
            {
                var call = (InvocationExpressionSyntax)c.Node;
                if (NameOf(call.Expression) is not { } name || !names.Contains(name) || state.Value is not { } s) return;
                if (c.SemanticModel.GetOperation(call, c.CancellationToken) is IInvocationOperation inv)
                    Check(c.ReportDiagnostic, inv, s.Models, s.Symbols);
            }, SyntaxKind.InvocationExpression);
        });
    }

    /// <summary>The name of the method an invocation's expression calls (<c>a.M</c>, <c>M</c>, <c>a?.M</c>, <c>M&lt;T&gt;</c>), or null.</summary>
    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        MemberBindingExpressionSyntax b => b.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Checks one invocation against the known models; <paramref name="symbols"/> are CamAssert's types in this compilation.</summary>
    internal abstract void Check(System.Action<Diagnostic> report, IInvocationOperation invocation, KnownModels models, CamAssertSymbols symbols);
}
