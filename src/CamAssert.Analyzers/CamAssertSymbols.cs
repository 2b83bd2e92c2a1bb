using CamAssert.Analyzers.Modules;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers;

/// <summary>
/// CamAssert's types as the compilation sees them, resolved once per compilation; the rules
/// compare symbols, never type names. Null when the compilation does not reference CamAssert.
/// </summary>
internal sealed class CamAssertSymbols
{
    private CamAssertSymbols(INamedTypeSymbol camModel, INamedTypeSymbol? assertions, INamedTypeSymbol? extensions, INamedTypeSymbol? target, TorchSharpSymbols? torch)
    {
        TorchSharp = torch;
        CamModel = camModel;
        CamModelAssertions = assertions;
        CamModelExtensions = extensions;
        Target = target;
    }

    /// <summary><c>CamAssert.Models.CamModel</c>.</summary>
    public INamedTypeSymbol CamModel { get; }

    /// <summary><c>CamAssert.Assertions.CamModelAssertions</c>, or null.</summary>
    public INamedTypeSymbol? CamModelAssertions { get; }

    /// <summary><c>CamAssert.CamModelExtensions</c> (the CAM methods), or null.</summary>
    public INamedTypeSymbol? CamModelExtensions { get; }

    /// <summary><c>CamAssert.Cam.Target</c>, or null.</summary>
    public INamedTypeSymbol? Target { get; }

    /// <summary>TorchSharp's types and the module trees met so far, or null when the compilation does not reference TorchSharp and CamAssert.TorchSharp.</summary>
    public TorchSharpSymbols? TorchSharp { get; }

    /// <summary>Resolves the symbols in <paramref name="compilation"/>; null when it does not reference CamAssert.</summary>
    public static CamAssertSymbols? From(Compilation compilation)
    {
        var camAssert = ReferencedTypes.Assembly(compilation, "CamAssert");
        return ReferencedTypes.Type(camAssert, "CamAssert.Models.CamModel") is { } model
            ? new CamAssertSymbols(model,
                ReferencedTypes.Type(camAssert, "CamAssert.Assertions.CamModelAssertions"),
                ReferencedTypes.Type(camAssert, "CamAssert.CamModelExtensions"),
                ReferencedTypes.Type(camAssert, "CamAssert.Cam.Target"),
                TorchSharpSymbols.From(compilation))
            : null;
    }

    /// <summary>Whether <paramref name="method"/> is declared by <paramref name="type"/>.</summary>
    public static bool Declares(INamedTypeSymbol? type, IMethodSymbol method) =>
        type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

    /// <summary>Whether <paramref name="method"/> is <c>CamModel.Load</c>.</summary>
    public bool IsLoad(IMethodSymbol method) => method.Name == "Load" && Declares(CamModel, method);
}
