using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// The values a type's own source assigns to its instance fields and properties: their
/// initializers and every assignment (<c>f = …</c>, <c>this.f = …</c>, <c>f ??= …</c>) in its members,
/// so a field set in two places is seen to have two values.
/// Keyed by the field or property's original definition.
/// </summary>
internal static class ModuleAssignments
{
    public static Dictionary<ISymbol, List<IOperation>> Of(INamedTypeSymbol type, Compilation compilation)
    {
        var found = new Dictionary<ISymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        foreach (var reference in type.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var node in syntax.DescendantNodes(n => n == syntax || n is not TypeDeclarationSyntax))
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax { Initializer: { } init, Parent.Parent: FieldDeclarationSyntax } v:
                        Add(found, model.GetDeclaredSymbol(v), model.GetOperation(init.Value));
                        break;
                    case PropertyDeclarationSyntax { Initializer: { } init } p:
                        Add(found, model.GetDeclaredSymbol(p), model.GetOperation(init.Value));
                        break;
                    case AssignmentExpressionSyntax when model.GetOperation(node) is IAssignmentOperation assignment:
                        Add(found, Member(assignment.Target), assignment.Value);
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>The field or property of this instance that <paramref name="target"/> names, or null.</summary>
    private static ISymbol? Member(IOperation target) => target switch
    {
        IFieldReferenceOperation { Instance: IInstanceReferenceOperation } f => f.Field,
        IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } p => p.Property,
        _ => null,
    };

    private static void Add(Dictionary<ISymbol, List<IOperation>> found, ISymbol? member, IOperation? value)
    {
        if (member is null || value is null) return;
        member = member.OriginalDefinition;
        if (!found.TryGetValue(member, out var list)) found[member] = list = new List<IOperation>();
        list.Add(value);
    }
}
