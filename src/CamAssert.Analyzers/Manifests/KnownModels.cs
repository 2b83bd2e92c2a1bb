using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CamAssert.Analyzers.Manifests;

/// <summary>
/// The manifests handed to the compilation as AdditionalFiles (<c>*.camassert.json</c>), by model
/// file name. Parsed once per distinct text, so unchanged manifests cost nothing on later builds.
/// </summary>
internal sealed class KnownModels
{
    public const string Suffix = ".camassert.json";
    private static readonly ConcurrentDictionary<string, (ModelManifest? Manifest, PathResolver? Resolver)> Cache = new();
    private readonly Dictionary<string, (ModelManifest Manifest, PathResolver Resolver)> _byFile = new(StringComparer.OrdinalIgnoreCase);

    public bool Any => _byFile.Count > 0;

    public static KnownModels From(ImmutableArray<AdditionalText> files, CancellationToken cancel)
    {
        var known = new KnownModels();
        foreach (var file in files)
        {
            if (!file.Path.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)) continue;
            string? text = file.GetText(cancel)?.ToString();
            if (text is null) continue;
            var entry = Cache.GetOrAdd(text, t =>
            {
                try { var m = ModelManifest.Read(t); return (m, new PathResolver(m)); }
                catch (FormatException) { return (null, null); }
            });
            if (entry.Manifest is not null) known._byFile[entry.Manifest.Model] = (entry.Manifest, entry.Resolver!);
        }
        return known;
    }

    /// <summary>The manifest of the model loaded from <paramref name="loadPath"/>, matched by file name.</summary>
    public bool TryGet(string loadPath, out ModelManifest manifest, out PathResolver resolver)
    {
        if (_byFile.TryGetValue(Path.GetFileName(loadPath.Replace('\\', '/')), out var e)) { (manifest, resolver) = e; return true; }
        manifest = null!;
        resolver = null!;
        return false;
    }
}
