using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// Which submodules a module's <c>forward(x)</c> runs as a branch: the tensor reaches the output along a path that
/// does not pass through that submodule (a residual <c>x + conv(x)</c>, a concat of parallel branches). Read only
/// from a plain <c>forward</c>: one tensor parameter, an expression body or a block of local declarations,
/// assignments to locals and a return, each submodule called once by <c>field.forward(…)</c> or <c>field.call(…)</c>.
/// Anything else (a condition, a loop, a lambda, a call to another method of the class) means unknown: nothing is said.
/// Values that are not tensors (<c>x.shape</c>, <c>x.size(0)</c>), <c>zeros_like(x)</c> and <c>x.detach()</c> carry no evidence and are not followed.
/// </summary>
internal static class ForwardFlow
{
    /// <summary>The names of the fields that <paramref name="type"/>'s <c>forward</c> runs as branches; empty when unknown or none.</summary>
    public static HashSet<string> Branches(INamedTypeSymbol type, TorchSharpSymbols ts)
    {
        var none = new HashSet<string>();
        var forward = type.GetMembers("forward").OfType<IMethodSymbol>().Where(m => m.Parameters.Length == 1 && !m.IsStatic).ToList();
        if (forward.Count != 1 || !IsTensor(forward[0].Parameters[0].Type, ts) || forward[0].DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax syntax)
            return none;
        var model = ts.Compilation.GetSemanticModel(syntax.SyntaxTree);
        var flow = new Graph(ts, forward[0].Parameters[0]);
        IOperation? output = null;
        if (syntax.ExpressionBody is { } body) output = model.GetOperation(body.Expression);
        else if (syntax.Body is { } block)
        {
            foreach (var statement in block.Statements)
            {
                var op = model.GetOperation(statement);
                if (op is IReturnOperation { ReturnedValue: { } value } && statement == block.Statements.Last()) output = value;
                else if (op is IVariableDeclarationGroupOperation group && group.Declarations.SelectMany(d => d.Declarators).All(d => d.Initializer is not null))
                    foreach (var d in group.Declarations.SelectMany(d => d.Declarators)) { if (!flow.Assign(d.Symbol, d.Initializer!.Value)) return none; }
                else if (op is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assign })
                { if (!flow.Assign(local.Local, assign.Value)) return none; }
                else return none;
            }
        }
        if (output is null || flow.Node(output) is not { } result || !flow.Ok || !flow.Reaches(result, null)) return none;
        return new HashSet<string>(flow.Calls.Where(c => c.Value.Count == 1 && flow.Reaches(result, c.Value[0])).Select(c => c.Key));
    }

    /// <summary>Tensor functions whose result carries no gradient from their argument.</summary>
    private static readonly HashSet<string> NoGradient = new(System.StringComparer.Ordinal)
        { "zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like", "randint_like", "detach", "detach_" };

    private static bool IsTensor(ITypeSymbol? type, TorchSharpSymbols ts) => type?.Name == "Tensor" && type.ContainingType?.ToDisplayString() == "TorchSharp.torch";

    /// <summary>Values as nodes, each with the nodes it is computed from; submodule calls as their own nodes.</summary>
    private sealed class Graph(TorchSharpSymbols ts, IParameterSymbol input)
    {
        private readonly Dictionary<ILocalSymbol, Node> _locals = new(SymbolEqualityComparer.Default);
        private readonly Node _input = new();

        public Dictionary<string, List<Node>> Calls { get; } = new();
        public bool Ok { get; private set; } = true;

        public bool Assign(ILocalSymbol local, IOperation value)
        {
            if (Node(value) is not { } node) return false;
            _locals[local] = node;
            return Ok;
        }

        /// <summary>The node of <paramref name="op"/>, or null (and not Ok) when its flow cannot be read.</summary>
        public Node? Node(IOperation op)
        {
            switch (op)
            {
                case IParameterReferenceOperation p when SymbolEqualityComparer.Default.Equals(p.Parameter, input):
                    return _input;
                case ILocalReferenceOperation l:
                    return _locals.TryGetValue(l.Local, out var n) ? n : Fail();
                case IAnonymousFunctionOperation or IDelegateCreationOperation or IAssignmentOperation or IConditionalOperation or ICoalesceOperation:
                    return Fail();
                case IInvocationOperation call when call.Instance is IFieldReferenceOperation { Instance: IInstanceReferenceOperation } or IPropertyReferenceOperation { Instance: IInstanceReferenceOperation }
                                                   && ts.IsModule(call.Instance.Type):
                    if (call.TargetMethod.Name is not ("forward" or "call")) return Fail();
                    var member = call.Instance is IFieldReferenceOperation f ? (ISymbol)f.Field : ((IPropertyReferenceOperation)call.Instance).Property;
                    var node = From(call.Arguments.Select(a => a.Value));
                    if (node is null) return null;
                    string name = ts.RenamedAs(member) ?? (member is IPropertySymbol ? $"<{member.Name}>k__BackingField" : member.Name);
                    if (!Calls.TryGetValue(name, out var list)) Calls[name] = list = new List<Node>();
                    list.Add(node);
                    return node;
                case IInvocationOperation call when NoGradient.Contains(call.TargetMethod.Name):
                    return new Node();   // a new tensor of the same shape, or a detached copy: no evidence flows through it
                case IInvocationOperation call when call.Instance is IInstanceReferenceOperation || call.TargetMethod.ContainingType.Equals(input.ContainingType, SymbolEqualityComparer.Default):
                    return Fail();   // another method of this class: it may run submodules
                default:
                    return From(op.ChildOperations);
            }
        }

        /// <summary>A node computed from the tensor values among <paramref name="operands"/> (non-tensor values such as shapes are left out).</summary>
        private Node? From(IEnumerable<IOperation> operands)
        {
            var node = new Node();
            foreach (var operand in operands)
            {
                if (operand.Type is { } t && !CarriesTensor(t)) continue;
                if (Node(operand) is not { } from) return null;
                node.From.Add(from);
            }
            return node;
        }

        private bool CarriesTensor(ITypeSymbol t) =>
            IsTensor(t, ts) || t is IArrayTypeSymbol a && CarriesTensor(a.ElementType)
            || t is INamedTypeSymbol { IsGenericType: true } g && g.TypeArguments.Any(CarriesTensor)
            || t.SpecialType == SpecialType.System_Object || t.TypeKind is TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic;

        private Node? Fail()
        {
            Ok = false;
            return null;
        }

        /// <summary>Whether <paramref name="output"/> is computed from the input along a path that avoids <paramref name="avoid"/>.</summary>
        public bool Reaches(Node output, Node? avoid)
        {
            var seen = new HashSet<Node>();
            var stack = new Stack<Node>();
            stack.Push(output);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (n == avoid || !seen.Add(n)) continue;
                if (n == _input) return true;
                foreach (var m in n.From) stack.Push(m);
            }
            return false;
        }
    }

    /// <summary>One value of <c>forward</c>.</summary>
    private sealed class Node
    {
        public List<Node> From { get; } = new();
    }
}
