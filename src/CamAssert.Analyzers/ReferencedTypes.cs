using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers;

/// <summary>
/// Looks a type up in the one referenced assembly that declares it. <see cref="Compilation.GetTypeByMetadataName"/>
/// searches every reference (about 200 in a test project), loading each one's namespaces; on a cold compiler that
/// cost is the largest part of the analyzer's time. Asking the named assembly touches only that one.
/// </summary>
internal static class ReferencedTypes
{
    /// <summary>The assembly named <paramref name="assemblyName"/> that <paramref name="compilation"/> references (or compiles), or null.</summary>
    public static IAssemblySymbol? Assembly(Compilation compilation, string assemblyName)
    {
        if (compilation.Assembly.Name == assemblyName) return compilation.Assembly;
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            if (assembly.Name == assemblyName) return assembly;
        return null;
    }

    /// <summary>The type <paramref name="metadataName"/> of <paramref name="assembly"/>, or null when there is no such assembly or type.</summary>
    public static INamedTypeSymbol? Type(IAssemblySymbol? assembly, string metadataName) => assembly?.GetTypeByMetadataName(metadataName);
}
