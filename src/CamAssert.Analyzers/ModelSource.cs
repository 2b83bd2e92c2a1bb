using System;
using System.Linq;
using CamAssert.Analyzers.Modules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers;

/// <summary>
/// Finds what a model expression was made from when it can be known at compile time: the file of
/// <c>CamModel.Load("m.onnx")</c>, or what made the module of <c>TorchSharpModel.From(new MyNet(…), …)</c> (or <c>From(torchvision.models.resnet50(), …)</c>)
/// (and <c>FromStateDict</c>); the call itself, or a field, property or local initialised from it
/// (directly or through another such symbol), and <c>model.Should()</c> on any of those.
/// </summary>
internal static class ModelSource
{
    private const int MaxHops = 4;

    public static string? LoadPath(IOperation? operation, CamAssertSymbols symbols) =>
        Follow(operation, op => op is IInvocationOperation inv && symbols.IsLoad(inv.TargetMethod) ? Constant(inv.Arguments.FirstOrDefault()?.Value) as string : null, 0);

    /// <summary>
    /// What made the module given to TorchSharp's entry point: <c>new T(…)</c> or a TorchVision factory call,
    /// there or in the symbol it reads; null when not known.
    /// </summary>
    public static IOperation? Module(IOperation? operation, TorchSharpSymbols torch) =>
        Follow(operation, op => op is IInvocationOperation inv && torch.IsEntryPoint(inv.TargetMethod)
            ? Follow(inv.Arguments.FirstOrDefault(a => a.Parameter?.Name == "module")?.Value,
                m => m is IObjectCreationOperation or IInvocationOperation { TargetMethod.IsStatic: true } && torch.IsModule(m.Type) ? m : null, 0)
            : null, 0);

    /// <summary>
    /// What <paramref name="here"/> finds in <paramref name="operation"/>, or in what a field, property or local
    /// it reads was initialised with, or in the model a <c>Should()</c> wraps.
    /// </summary>
    private static T? Follow<T>(IOperation? operation, Func<IOperation, T?> here, int depth) where T : class
    {
        if (operation is null || depth > MaxHops) return null;
        operation = Unwrap(operation);
        if (here(operation) is { } found) return found;
        return operation switch
        {
            IInvocationOperation inv when inv.TargetMethod.Name == "Should" && inv.Arguments.Length == 1 => Follow(inv.Arguments[0].Value, here, depth + 1),
            IFieldReferenceOperation f => FromSymbol(f.Field, operation.SemanticModel, here, depth),
            IPropertyReferenceOperation p => FromSymbol(p.Property, operation.SemanticModel, here, depth),
            ILocalReferenceOperation l => FromSymbol(l.Local, operation.SemanticModel, here, depth),
            _ => null,
        };
    }

    private static T? FromSymbol<T>(ISymbol symbol, SemanticModel? model, Func<IOperation, T?> here, int depth) where T : class
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            ExpressionSyntax? init = syntax switch
            {
                VariableDeclaratorSyntax v => v.Initializer?.Value,
                PropertyDeclarationSyntax p => p.Initializer?.Value ?? p.ExpressionBody?.Expression,
                _ => null,
            };
            if (init is null || model is null) continue;
            var semantic = model.SyntaxTree == init.SyntaxTree ? model : model.Compilation.GetSemanticModel(init.SyntaxTree);
            if (Follow(semantic.GetOperation(init), here, depth + 1) is { } found) return found;
        }
        return null;
    }

    /// <summary>Strips implicit conversions (string → LayerPath) and parentheses.</summary>
    public static IOperation Unwrap(IOperation op)
    {
        while (op is IConversionOperation { IsImplicit: true } c) op = c.Operand;
        return op;
    }

    public static object? Constant(IOperation? op) => op is null ? null : Unwrap(op).ConstantValue is { HasValue: true } v ? v.Value : null;
}
