using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// Derives a TorchSharp module's layer tree from its type's symbols, as <c>RegisterComponents()</c>
/// names the submodules at run time: each instance field (base classes' too) whose type derives from
/// <c>Module</c>, by its field name as declared (a leading <c>_</c> or <c>m_</c> is kept; an
/// auto-property's is its backing field's, <c>&lt;Name&gt;k__BackingField</c>; <c>[ComponentName]</c>
/// renames), and <c>nn.Sequential(("name", m), …)</c> / <c>nn.Sequential(m, …)</c> children assigned
/// in the source. Whatever cannot be seen is marked open, so paths into it are never reported:
/// a field of a plain <c>Module</c> or metadata-only type, children built in a loop or by a helper,
/// classes that register modules by hand or override <c>RegisterComponents</c>.
/// </summary>
internal sealed class ModuleTreeBuilder
{
    /// <summary>How deep the tree is followed; deeper parts are open (deep generic nesting, long chains).</summary>
    public const int MaxDepth = 24;

    /// <summary>How many layers a tree may list; the rest is open.</summary>
    public const int MaxLayers = 4000;

    private readonly TorchSharpSymbols _ts;
    private readonly List<ManifestLayer> _layers = new();
    private readonly HashSet<string> _open = new(), _unordered = new(), _branches = new();
    private readonly Dictionary<INamedTypeSymbol, Dictionary<ISymbol, List<IOperation>>> _assigned = new(SymbolEqualityComparer.Default);

    private ModuleTreeBuilder(TorchSharpSymbols ts) => _ts = ts;

    /// <summary>The tree of <paramref name="root"/>; null when the type's source is not visible or it is no module.</summary>
    public static LayerTree? Build(INamedTypeSymbol root, TorchSharpSymbols ts)
    {
        if (!ts.IsModule(root) || root.DeclaringSyntaxReferences.IsEmpty || root.IsAbstract) return null;
        var b = new ModuleTreeBuilder(ts);
        b.AddType(root, "", 0, ImmutableHashSet.Create<INamedTypeSymbol>(SymbolEqualityComparer.Default));
        if (b._open.Contains("") && b._layers.Count == 0) return null;
        return b.Tree(root.Name);
    }

    /// <summary>The tree of the module a TorchVision <paramref name="factory"/> builds, named after the call.</summary>
    public static LayerTree Build(TorchVisionModels.Factory factory, TorchSharpSymbols ts)
    {
        var b = new ModuleTreeBuilder(ts);
        b.AddFactory(factory, "");
        return b.Tree($"torchvision.models.{factory.Name}()");
    }

    /// <summary>The tree of a container made by <paramref name="call"/> (<c>nn.Sequential(…)</c> given straight to the entry point); null when its children cannot be seen.</summary>
    public static LayerTree? Build(IInvocationOperation call, TorchSharpSymbols ts)
    {
        var b = new ModuleTreeBuilder(ts);
        b.AddChildren(call.Arguments, call.Syntax, "", 0, ImmutableHashSet.Create<INamedTypeSymbol>(SymbolEqualityComparer.Default));
        return b._open.Contains("") ? null : b.Tree($"nn.{call.TargetMethod.Name}(…)");
    }

    private LayerTree Tree(string model)
    {
        var manifest = ModelManifest.OfTree(model, _layers);
        return new LayerTree(manifest, new PathResolver(manifest, _open, _unordered), _branches);
    }

    /// <summary>
    /// Adds the modules of a TorchVision factory's table under <paramref name="path"/>. A module whose children are
    /// not all numbered keeps them in TorchSharp's field order, which the table does not promise: index steps there are not checked.
    /// </summary>
    private void AddFactory(TorchVisionModels.Factory factory, string path)
    {
        if (_layers.Count + factory.Paths.Count > MaxLayers) { _open.Add(path); return; }
        foreach (var p in factory.Paths)
        {
            int cut = p.LastIndexOf('.');
            string name = p.Substring(cut + 1), parent = cut < 0 ? path : Join(path, p.Substring(0, cut));
            _layers.Add(new ManifestLayer(Join(path, p), name, null, false, false, null));
            if (!name.All(char.IsDigit)) _unordered.Add(parent);
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private void AddType(INamedTypeSymbol type, string path, int depth, ImmutableHashSet<INamedTypeSymbol> visiting)
    {
        if (depth >= MaxDepth || _layers.Count >= MaxLayers || visiting.Contains(type)) { _open.Add(path); return; }
        visiting = visiting.Add(type);
        _unordered.Add(path);
        foreach (var branch in ForwardFlow.Branches(type, _ts)) _branches.Add(Join(path, branch));
        var seen = new HashSet<string>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            if (_ts.IsModuleBase(t)) return;
            if (t.DeclaringSyntaxReferences.IsEmpty || RegistersByHand(t)) { _open.Add(path); return; }
            foreach (var field in t.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst) continue;
                if (!seen.Add(field.Name)) continue;
                if (!_ts.IsModule(field.Type))
                {
                    if (MayHoldModule(field.Type)) _open.Add(path);
                    continue;
                }
                var value = SoleValue(t, field);
                if (value is not null && IsNull(value)) continue; // RegisterComponents skips a field that holds null
                string name = _ts.RenamedAs(field) ?? field.Name;
                string child = path.Length == 0 ? name : path + "." + name;
                _layers.Add(new ManifestLayer(child, name, null, false, false, null));
                AddValue(value, child, depth + 1, visiting);
            }
        }
    }

    /// <summary>Adds what <paramref name="value"/> (the module assigned to the layer at <paramref name="path"/>) holds.</summary>
    private void AddValue(IOperation? value, string path, int depth, ImmutableHashSet<INamedTypeSymbol> visiting)
    {
        value = value is null ? null : ModelSource.Unwrap(value);
        if (value is IObjectCreationOperation { Type: INamedTypeSymbol list } made && _ts.IsListType(list)) AddList(made.Arguments, made.Syntax, path, depth, visiting);
        else if (value is IObjectCreationOperation { Type: INamedTypeSymbol type } && _ts.IsModule(type)) AddType(type, path, depth, visiting);
        else if (value is IInvocationOperation { TargetMethod.Name: "ModuleList" or "ModuleDict" } listCall && _ts.IsContainer(listCall.TargetMethod)) AddList(listCall.Arguments, listCall.Syntax, path, depth, visiting);
        else if (value is IInvocationOperation inv && _ts.IsContainer(inv.TargetMethod)) AddChildren(inv.Arguments, inv.Syntax, path, depth, visiting);
        else if (value is IInvocationOperation call && _ts.FactoryOf(call) is { } factory) AddFactory(factory, path);
        else _open.Add(path);
    }

    /// <summary>
    /// Children of a ModuleList or ModuleDict: as <see cref="AddChildren"/>, but their order is unknown (the run-time order is the order
    /// they first run, which <c>forward</c> chooses, not the list's), so index steps there are not checked; names (<c>blocks.1</c>) are.
    /// </summary>
    private void AddList(ImmutableArray<IArgumentOperation> args, SyntaxNode syntax, string path, int depth, ImmutableHashSet<INamedTypeSymbol> visiting)
    {
        _unordered.Add(path);
        AddChildren(args, syntax, path, depth, visiting);
    }

    /// <summary>
    /// Children of <c>nn.Sequential(…)</c>, <c>nn.ModuleList(…)</c> or <c>nn.ModuleDict(…)</c>: given as a literal list, named by
    /// their string literals or numbered from 0; or a local list whose count is known (<see cref="KnownLists"/>), numbered.
    /// </summary>
    private void AddChildren(ImmutableArray<IArgumentOperation> args, SyntaxNode syntax, string path, int depth, ImmutableHashSet<INamedTypeSymbol> visiting)
    {
        var given = args.Length == 1 ? ModelSource.Unwrap(args[0].Value) : null;
        var elements = given is IArrayCreationOperation { Initializer: { } list } ? list.ElementValues.Select(ModelSource.Unwrap).ToList()
            : given is not null ? KnownLists.Elements(given)?.Select(ModelSource.Unwrap).ToList() : null;
        if (depth >= MaxDepth || elements is null || MayGrow(syntax))
        {
            _open.Add(path);
            return;
        }
        var children = new List<(string Name, IOperation Module)>();
        foreach (var element in elements)
        {
            if (element is ITupleOperation { Elements.Length: 2 } tuple)
            {
                if (ModelSource.Constant(tuple.Elements[0]) is not string name) { _open.Add(path); return; }
                children.Add((name, tuple.Elements[1]));
            }
            else if (_ts.IsModule(element.Type)) children.Add((children.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), element));
            else { _open.Add(path); return; }
        }
        foreach (var (name, module) in children)
        {
            string child = Join(path, name);
            _layers.Add(new ManifestLayer(child, name, null, false, false, null));
            AddValue(module, child, depth + 1, visiting);
        }
    }

    /// <summary>The one value assigned to <paramref name="field"/> (its initializer or a constructor's assignment), or null when there are none or several.</summary>
    private IOperation? SoleValue(INamedTypeSymbol type, IFieldSymbol field)
    {
        if (!_assigned.TryGetValue(type, out var byMember)) _assigned[type] = byMember = ModuleAssignments.Of(type, _ts.Compilation);
        var key = ((ISymbol?)field.AssociatedSymbol ?? field).OriginalDefinition;
        return byMember.TryGetValue(key, out var values) && values.Count == 1 ? values[0] : null;
    }

    /// <summary>Names of the methods that add children to a Sequential (<c>append</c> …) or a ModuleList/ModuleDict (<c>Add</c> …).</summary>
    private static readonly HashSet<string> Growing = new(System.StringComparer.Ordinal) { "append", "insert", "extend", "Add", "Insert", "AddRange", "Remove", "RemoveAt", "Clear" };

    /// <summary>
    /// Whether the class that builds a container at <paramref name="syntax"/> could change its children later: calls <c>append</c>, <c>insert</c>
    /// or <c>extend</c> anywhere, or <c>Add</c>, <c>Insert</c>, <c>Remove</c> … on a ModuleList or ModuleDict.
    /// </summary>
    private bool MayGrow(SyntaxNode syntax)
    {
        if (syntax.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().LastOrDefault() is not { } type) return true;
        SemanticModel? model = null;
        foreach (var access in type.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax>())
        {
            string name = access.Name.Identifier.ValueText;
            if (!Growing.Contains(name)) continue;
            if (name is "append" or "insert" or "extend") return true;
            model ??= _ts.Compilation.GetSemanticModel(access.SyntaxTree);
            if (model.GetTypeInfo(access.Expression).Type is INamedTypeSymbol t && _ts.IsListType(t)) return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="value"/> is <c>null</c>, <c>null!</c> or <c>default</c>.</summary>
    private static bool IsNull(IOperation value)
    {
        var v = ModelSource.Unwrap(value);
        if (v is IConversionOperation c) v = ModelSource.Unwrap(c.Operand);
        return v.ConstantValue is { HasValue: true, Value: null } || v is IDefaultValueOperation;
    }

    /// <summary>Whether a field of <paramref name="type"/> (which is not a module type) could still hold a module at run time.</summary>
    private static bool MayHoldModule(ITypeSymbol type) =>
        type.TypeKind is TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object;

    /// <summary>Whether <paramref name="type"/> names modules itself: calls <c>register_module</c> or overrides <c>RegisterComponents</c>.</summary>
    private static bool RegistersByHand(INamedTypeSymbol type) =>
        type.GetMembers("RegisterComponents").Any(m => m.IsOverride)
        || type.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == "register_module"));
}
