using System;
using System.Collections.Generic;
using System.Linq;

namespace CamAssert.Analyzers.Manifests;

/// <summary>What the build's manifest says about one model (the JSON written by <c>camassert manifest</c>).</summary>
internal sealed class ModelManifest
{
    public string Model { get; private set; } = "";
    public string Separator { get; private set; } = ".";
    public string? ModelScope { get; private set; }
    public string? DefaultLayer { get; private set; }
    public IReadOnlyList<string> Classes { get; private set; } = Array.Empty<string>();
    public IReadOnlyList<long[]?> OutputShapes { get; private set; } = Array.Empty<long[]?>();
    public IReadOnlyList<ManifestLayer> Layers { get; private set; } = Array.Empty<ManifestLayer>();
    public HashSet<string> Names { get; private set; } = new(StringComparer.Ordinal);
    public Dictionary<string, ManifestLayer> ByPath { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Reads a manifest; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ModelManifest Read(string json)
    {
        if (Json.Parse(json) is not Dictionary<string, object?> root) throw new FormatException("the manifest is not a JSON object");
        if (Number(root, "version") != 1) throw new FormatException("unsupported manifest version");
        var m = new ModelManifest
        {
            Model = Text(root, "model") ?? throw new FormatException("the manifest names no model"),
            Separator = Text(root, "separator") ?? ".",
            ModelScope = Text(root, "modelScope"),
            DefaultLayer = Text(root, "defaultLayer"),
            Classes = List(root, "classes").OfType<string>().ToArray(),
            OutputShapes = List(root, "outputs").OfType<Dictionary<string, object?>>().Select(o => Shape(o, "shape")).ToArray(),
            Layers = List(root, "layers").OfType<Dictionary<string, object?>>().Select(l => new ManifestLayer(
                Text(l, "path") ?? "", Text(l, "name") ?? "", Shape(l, "shape"), l.TryGetValue("spatial", out var s) && s is true,
                l.TryGetValue("dominates", out var d) && d is true, l.TryGetValue("channels", out var c) && c is double ch ? (long)ch : (long?)null)).ToArray(),
        };
        m.Names = new HashSet<string>(List(root, "names").OfType<string>(), StringComparer.Ordinal);
        foreach (var layer in m.Layers) m.ByPath[layer.Path] = layer;
        return m;
    }

    /// <summary>A manifest of a layer tree the analyzer derived itself: paths and names only, no shapes or classes.</summary>
    public static ModelManifest OfTree(string model, IEnumerable<ManifestLayer> layers)
    {
        var m = new ModelManifest { Model = model, Layers = layers.ToArray() };
        foreach (var layer in m.Layers) m.ByPath[layer.Path] = layer;
        return m;
    }

    private static string? Text(Dictionary<string, object?> o, string key) => o.TryGetValue(key, out var v) ? v as string : null;

    private static double Number(Dictionary<string, object?> o, string key) => o.TryGetValue(key, out var v) && v is double d ? d : -1;

    private static IEnumerable<object?> List(Dictionary<string, object?> o, string key) =>
        o.TryGetValue(key, out var v) && v is List<object?> l ? l : Enumerable.Empty<object?>();

    private static long[]? Shape(Dictionary<string, object?> o, string key) =>
        o.TryGetValue(key, out var v) && v is List<object?> l ? l.Select(x => x is double d ? (long)d : -1L).ToArray() : null;

    /// <summary>Number of classes: the labels, else the last dimension of the first output.</summary>
    public long? ClassCount => Classes.Count > 0 ? Classes.Count : OutputShapes.FirstOrDefault() is { Length: > 0 } s && s[s.Length - 1] > 0 ? s[s.Length - 1] : null;

    /// <summary>Channels of the first output (axis 1), if known.</summary>
    public long? OutputChannels => OutputShapes.FirstOrDefault() is { Length: >= 2 } s && s[1] > 0 ? s[1] : null;
}

/// <summary>One layer of the manifest.</summary>
internal sealed record ManifestLayer(string Path, string Name, long[]? Shape, bool Spatial, bool Dominates, long? Channels);
