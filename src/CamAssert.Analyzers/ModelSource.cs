using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers;

/// <summary>
/// Finds which model file an expression holds when it can be known at compile time:
/// <c>CamModel.Load("m.onnx")</c> itself, or a field, property or local initialised from it
/// (directly or through another such symbol), and <c>model.Should()</c> on any of those.
/// </summary>
internal static class ModelSource
{
    public static string? LoadPath(IOperation? operation, CamAssertSymbols symbols, int depth = 0)
    {
        if (operation is null || depth > 4) return null;
        operation = Unwrap(operation);
        switch (operation)
        {
            case IInvocationOperation inv when symbols.IsLoad(inv.TargetMethod):
                return Constant(inv.Arguments.FirstOrDefault()?.Value) as string;
            case IInvocationOperation inv when inv.TargetMethod.Name == "Should" && inv.Arguments.Length == 1:
                return LoadPath(inv.Arguments[0].Value, symbols, depth + 1);
            case IFieldReferenceOperation f: return FromSymbol(f.Field, operation.SemanticModel, symbols, depth);
            case IPropertyReferenceOperation p: return FromSymbol(p.Property, operation.SemanticModel, symbols, depth);
            case ILocalReferenceOperation l: return FromSymbol(l.Local, operation.SemanticModel, symbols, depth);
            default: return null;
        }
    }

    private static string? FromSymbol(ISymbol symbol, SemanticModel? model, CamAssertSymbols symbols, int depth)
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
            if (LoadPath(semantic.GetOperation(init), symbols, depth + 1) is { } path) return path;
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
