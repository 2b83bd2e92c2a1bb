using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// The elements of a local list of modules whose count is known at compile time: declared as an empty
/// <c>new List&lt;…&gt;()</c> (or <c>[]</c>) in the same method, then filled only by <c>list.Add(m)</c> statements,
/// each straight in the method or in <c>for (int i = A; i &lt; B; i++)</c> loops with constant bounds, before
/// the list is handed over (<c>Sequential(list)</c>, <c>ModuleList(list.ToArray())</c>). Anything else
/// (another use of the list, a condition, a loop of another kind, a <c>break</c>) makes the count unknown.
/// </summary>
internal static class KnownLists
{
    /// <summary>How many elements a list may have before it is treated as unknown.</summary>
    private const int MaxElements = 1000;

    /// <summary>The elements <paramref name="argument"/> holds, in order, or null when they cannot be known.</summary>
    public static List<IOperation>? Elements(IOperation argument)
    {
        var arg = Strip(argument);
        if (arg is IInvocationOperation { TargetMethod.Name: "ToArray" or "ToList", Arguments.Length: <= 1 } copy)
            arg = Strip(copy.Instance ?? copy.Arguments.FirstOrDefault()?.Value);
        if (arg is not ILocalReferenceOperation { Local: { } local } use || arg.SemanticModel is not { } model) return null;
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } init } declarator
            || !IsEmptyList(init)) return null;
        var body = declarator.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax);
        if (body is null || !AtTopLevel(declarator, body) || !AtTopLevel(use.Syntax, body)) return null;

        var elements = new List<IOperation>();
        var loopsSeen = new HashSet<SyntaxNode>();
        foreach (var id in body.DescendantNodes().OfType<IdentifierNameSyntax>().Where(i => i.Identifier.ValueText == local.Name))
        {
            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id).Symbol, local)) continue;
            if (id.SpanStart >= use.Syntax.SpanStart)
            {
                if (use.Syntax.Span.Contains(id.Span)) continue;
                return null;   // used again after it was handed over
            }
            if (id.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" } access
                || access.Parent is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } add
                || add.Parent is not ExpressionStatementSyntax statement
                || model.GetOperation(add) is not IInvocationOperation addOp) return null;
            long times = Repeats(statement, body, loopsSeen);
            if (times < 0 || elements.Count + times > MaxElements) return null;
            for (long k = 0; k < times; k++) elements.Add(addOp.Arguments[0].Value);
        }
        return elements;
    }

    /// <summary>Whether <paramref name="node"/> runs once per run of <paramref name="body"/>: no loop, condition, lambda or other statement around it but blocks.</summary>
    private static bool AtTopLevel(SyntaxNode node, SyntaxNode body)
    {
        for (var n = node.Parent; n is not null && n != body; n = n.Parent)
            if (n is StatementSyntax and not (BlockSyntax or ExpressionStatementSyntax or LocalDeclarationStatementSyntax)
                || n is AnonymousFunctionExpressionSyntax or ConditionalExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression or (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression })
                return false;
        return true;
    }

    private static IOperation? Strip(IOperation? op)
    {
        while (op is IConversionOperation c) op = c.Operand;
        return op;
    }

    private static bool IsEmptyList(ExpressionSyntax init) => init switch
    {
        BaseObjectCreationExpressionSyntax { Initializer: null, ArgumentList: null or { Arguments.Count: 0 } } => true,
        CollectionExpressionSyntax { Elements.Count: 0 } => true,
        _ => false,
    };

    /// <summary>
    /// How many times <paramref name="statement"/> runs: the product of the trip counts of the constant
    /// <c>for</c> loops around it up to <paramref name="body"/>; -1 when anything else lies between or a loop was already used by another <c>Add</c>.
    /// </summary>
    private static long Repeats(SyntaxNode statement, SyntaxNode body, HashSet<SyntaxNode> loopsSeen)
    {
        long times = 1;
        for (var node = statement.Parent; node is not null && node != body; node = node.Parent)
        {
            switch (node)
            {
                case BlockSyntax:
                    continue;
                case ForStatementSyntax loop when TripCount(loop) is { } n && loopsSeen.Add(loop):
                    times *= n;
                    if (times > MaxElements) return -1;
                    continue;
                default:
                    return -1;
            }
        }
        return times;
    }

    /// <summary>The trip count of <c>for (int i = A; i &lt; B; i++)</c> (or <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>) with constant A and B, whose body leaves <c>i</c> alone and has no jump; else null.</summary>
    private static long? TripCount(ForStatementSyntax loop)
    {
        if (loop.Declaration is not { Variables.Count: 1 } decl || decl.Variables[0] is not { Initializer.Value: LiteralExpressionSyntax { Token.Value: int from } } v
            || loop.Condition is not BinaryExpressionSyntax { Left: IdentifierNameSyntax left, Right: LiteralExpressionSyntax { Token.Value: int to } } cond
            || left.Identifier.ValueText != v.Identifier.ValueText || loop.Incrementors.Count != 1) return null;
        string i = v.Identifier.ValueText;
        bool stepsByOne = loop.Incrementors[0] switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax o } => o.Identifier.ValueText == i,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression, Operand: IdentifierNameSyntax o } => o.Identifier.ValueText == i,
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax o, Right: LiteralExpressionSyntax { Token.Value: 1 } } => o.Identifier.ValueText == i,
            _ => false,
        };
        if (!stepsByOne) return null;
        var inner = loop.Statement.DescendantNodesAndSelf();
        if (inner.Any(n => n is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or ReturnStatementSyntax or YieldStatementSyntax
                || n is AssignmentExpressionSyntax { Left: IdentifierNameSyntax a } && a.Identifier.ValueText == i
                || n is PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax p } && p.Identifier.ValueText == i
                || n is PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax q } && q.Identifier.ValueText == i))
            return null;
        long? count = cond.Kind() switch
        {
            SyntaxKind.LessThanExpression => (long)to - from,
            SyntaxKind.LessThanOrEqualExpression => (long)to - from + 1,
            _ => null,
        };
        return count is { } c ? System.Math.Max(0, c) : null;
    }
}
