using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using CamAssert.Analyzers.Manifests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// TorchSharp's types as the compilation sees them, resolved once per compilation, and the layer
/// trees of the module types met so far. Null when the compilation references neither TorchSharp's
/// <c>Module</c> nor CamAssert's <c>TorchSharpModel</c>: then no module is checked.
/// </summary>
internal sealed class TorchSharpSymbols
{
    private readonly ConcurrentDictionary<INamedTypeSymbol, LayerTree?> _trees = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, LayerTree> _factoryTrees = new(System.StringComparer.Ordinal);

    private TorchSharpSymbols(Compilation compilation, IAssemblySymbol torchSharp, INamedTypeSymbol module, INamedTypeSymbol entry)
    {
        Compilation = compilation;
        Module = module;
        TorchSharpModel = entry;
        Nn = ReferencedTypes.Type(torchSharp, "TorchSharp.torch+nn");
        ComponentName = ReferencedTypes.Type(torchSharp, "TorchSharp.Utils.ComponentNameAttribute");
        TorchVision = ReferencedTypes.Type(ReferencedTypes.Assembly(compilation, "TorchVision"), "TorchSharp.torchvision+models");
    }

    public Compilation Compilation { get; }

    /// <summary><c>TorchSharp.torch.nn.Module</c>, the base of every module.</summary>
    public INamedTypeSymbol Module { get; }

    /// <summary><c>CamAssert.TorchSharp.TorchSharpModel</c>.</summary>
    public INamedTypeSymbol TorchSharpModel { get; }

    /// <summary><c>TorchSharp.torch.nn</c>, which holds the <c>Sequential</c> factories; or null.</summary>
    public INamedTypeSymbol? Nn { get; }

    /// <summary><c>TorchSharp.Utils.ComponentNameAttribute</c>, which renames a field's component; or null.</summary>
    public INamedTypeSymbol? ComponentName { get; }

    /// <summary><c>TorchSharp.torchvision.models</c>, which holds TorchVision's factories; or null when TorchVision is not referenced.</summary>
    public INamedTypeSymbol? TorchVision { get; }

    /// <summary>The symbols of <paramref name="compilation"/>, resolved once for it (the analyzers and the generator share them, and the trees built).</summary>
    public static TorchSharpSymbols? From(Compilation compilation) => PerCompilation.GetValue(compilation, c => new Box(Resolve(c))).Symbols;

    private static readonly ConditionalWeakTable<Compilation, Box> PerCompilation = new();

    private sealed class Box(TorchSharpSymbols? symbols)
    {
        public TorchSharpSymbols? Symbols { get; } = symbols;
    }

    private static TorchSharpSymbols? Resolve(Compilation compilation)
    {
        // CamAssert.TorchSharp first: without it nothing is checked, and TorchSharp (a large assembly) is not opened.
        if (ReferencedTypes.Type(ReferencedTypes.Assembly(compilation, "CamAssert.TorchSharp"), "CamAssert.TorchSharp.TorchSharpModel") is not { } entry) return null;
        var torchSharp = ReferencedTypes.Assembly(compilation, "TorchSharp");
        return ReferencedTypes.Type(torchSharp, "TorchSharp.torch+nn+Module") is { } module ? new TorchSharpSymbols(compilation, torchSharp!, module, entry) : null;
    }

    /// <summary>Whether <paramref name="method"/> is <c>TorchSharpModel.From</c> or <c>FromStateDict</c>, which take the module as <c>module</c>.</summary>
    public bool IsEntryPoint(IMethodSymbol method) =>
        method.Name is "From" or "FromStateDict" && CamAssertSymbols.Declares(TorchSharpModel, method);


    /// <summary>Whether <paramref name="method"/> is <c>nn.Sequential(…)</c>, <c>nn.ModuleList(…)</c> or <c>nn.ModuleDict(…)</c>, which take their children as arguments.</summary>
    public bool IsContainer(IMethodSymbol method) => method.Name is "Sequential" or "ModuleList" or "ModuleDict" && CamAssertSymbols.Declares(Nn, method);

    /// <summary>Whether <paramref name="type"/> is TorchSharp's <c>ModuleList&lt;T&gt;</c> or <c>ModuleDict&lt;T&gt;</c>, whose children may be added by <c>Add</c>.</summary>
    public bool IsListType(INamedTypeSymbol type) =>
        type.Name is "ModuleList" or "ModuleDict" && type.ContainingNamespace?.ToDisplayString() == "TorchSharp.Modules" && IsModule(type);

    /// <summary>Whether <paramref name="type"/> is <c>Module</c> or derives from it.</summary>
    public bool IsModule(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, Module)) return true;
        return false;
    }

    /// <summary>Whether <paramref name="type"/> is TorchSharp's <c>Module</c> or one of its generic <c>Module&lt;…&gt;</c> bases, which hold no submodule fields.</summary>
    public bool IsModuleBase(INamedTypeSymbol type) =>
        type.Name == "Module" && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition.ContainingType, Module.ContainingType);

    /// <summary>The layer tree of <paramref name="type"/>, built once per compilation; null when its structure cannot be seen.</summary>
    public LayerTree? TreeOf(INamedTypeSymbol type) => _trees.GetOrAdd(type, t => ModuleTreeBuilder.Build(t, this));

    /// <summary>
    /// The layer tree of the module <paramref name="made"/> creates: <c>new T(…)</c> of a module class, or a
    /// TorchVision factory call (see <see cref="FactoryOf"/>), or a literal <c>nn.Sequential(…)</c>; null when its structure cannot be seen.
    /// </summary>
    public LayerTree? TreeOf(IOperation made) => made switch
    {
        IObjectCreationOperation { Type: INamedTypeSymbol type } => TreeOf(type),
        IInvocationOperation call when FactoryOf(call) is { } factory => _factoryTrees.GetOrAdd(factory.Name, _ => ModuleTreeBuilder.Build(factory, this)),
        IInvocationOperation call when IsContainer(call.TargetMethod) => ModuleTreeBuilder.Build(call, this),
        _ => null,
    };

    /// <summary>
    /// The TorchVision factory <paramref name="call"/> builds its module with, when the shipped table lists it and
    /// every argument given is one seen to leave the layer names as they are (<c>num_classes</c>, <c>weights_file</c> …); else null.
    /// </summary>
    public TorchVisionModels.Factory? FactoryOf(IInvocationOperation call) =>
        CamAssertSymbols.Declares(TorchVision, call.TargetMethod) && TorchVisionModels.Named(call.TargetMethod.Name) is { } factory
        && call.Arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue || a.Parameter is { } p && factory.Keeps.Contains(p.Name))
            ? factory : null;

    /// <summary>The name a <c>[ComponentName(Name = "…")]</c> attribute gives <paramref name="field"/>, or null.</summary>
    public string? RenamedAs(ISymbol field) =>
        ComponentName is null ? null
            : field.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, ComponentName))?
                .NamedArguments.FirstOrDefault(n => n.Key == "Name").Value.Value as string;
}

/// <summary>
/// A layer tree the analyzer derived itself (from a module type or TorchVision's table), with its resolver and the
/// paths of the layers their parent's <c>forward</c> is seen to run as a branch (see <see cref="ForwardFlow"/>).
/// </summary>
internal sealed record LayerTree(ModelManifest Manifest, PathResolver Resolver, ISet<string> Branches)
{
    /// <summary>
    /// When <paramref name="path"/> is, or lies inside, a branch: the layer all of whose evidence passes through it (the branch's
    /// parent). Null when no branch is seen on the way, or the branch is a top-level layer (no parent to name).
    /// </summary>
    public string? AroundBranch(string path)
    {
        var steps = path.Split('.');
        for (int i = 1; i <= steps.Length; i++)
            if (Branches.Contains(string.Join(".", steps.Take(i)))) return i > 1 ? string.Join(".", steps.Take(i - 1)) : null;
        return null;
    }
}
