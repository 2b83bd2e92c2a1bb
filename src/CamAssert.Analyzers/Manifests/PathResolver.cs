using System;
using System.Collections.Generic;
using System.Linq;
using CamAssert.Models.Layers;

namespace CamAssert.Analyzers.Manifests;

/// <summary>
/// Resolves layer paths against a manifest with the library's rules (dotted or slashed steps,
/// [i] indices from either end, exact ONNX names, an optional leading Keras model scope), and
/// explains failures the way the library's LayerNotFoundException does.
/// </summary>
internal sealed class PathResolver
{
    private readonly ModelManifest _m;
    private readonly Dictionary<string, List<ManifestLayer>> _children = new(StringComparer.Ordinal);
    private readonly ISet<string> _open, _unordered;

    /// <param name="manifest">The layers.</param>
    /// <param name="open">Paths of layers ("" for the model) that may have children the tree does not list: a step below them that is not found is not an error.</param>
    /// <param name="unordered">Paths of layers whose children's order is not known: an index step below them is not an error.</param>
    public PathResolver(ModelManifest manifest, ISet<string>? open = null, ISet<string>? unordered = null)
    {
        _m = manifest;
        _open = open ?? new HashSet<string>();
        _unordered = unordered ?? new HashSet<string>();
        foreach (var layer in manifest.Layers)
        {
            int cut = layer.Path.Length - layer.Name.Length - 1;
            string parent = cut > 0 ? layer.Path.Substring(0, cut) : "";
            if (!_children.TryGetValue(parent, out var list)) _children[parent] = list = new List<ManifestLayer>();
            list.Add(layer);
        }
    }

    /// <summary>The outcome: a layer (null for exact ONNX names and paths into parts the tree cannot see, which are valid but carry no layer facts), or the failure text and best suggestion.</summary>
    public readonly record struct Result(bool Found, ManifestLayer? Layer, string Problem, string? Suggestion);

    public Result Resolve(string text)
    {
        text = text.Trim();
        var steps = PathGrammar.Steps(text);
        if (steps is not null)
        {
            steps = PathGrammar.WithoutScope(steps, _m.ModelScope, name => Children("").Any(c => c.Name == name));
            string parent = "";
            ManifestLayer? current = null;
            for (int i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                var kids = Children(parent);
                int at = step.Name is null ? step.PositionAmong(kids.Count) : -1;
                ManifestLayer? next = step.Name is { } n ? kids.FirstOrDefault(k => k.Name == n) : at >= 0 ? kids[at] : null;
                if (next is null)
                {
                    if (_m.Names.Contains(text) || _open.Contains(parent) || step.Name is null && _unordered.Contains(parent)) return new Result(true, null, "", null);
                    if (step.Name is { } property && kids.FirstOrDefault(k => k.Name == "<" + property + ">k__BackingField") is { } backing)
                        return new Result(false, null, $"'{property}' is an auto-property, and TorchSharp registers its module under the backing field's name '{backing.Path}'; "
                            + $"use that path, or declare '{property}' as a field", backing.Path + string.Concat(steps.Skip(i + 1).Select(x => x.Name is { } n ? "." + n : x.ToString())));
                    var nearest = Nearest(text);
                    return new Result(false, null, Explain(parent, step.Name, step.Index, kids.Count, nearest), nearest.FirstOrDefault());
                }
                current = next;
                parent = next.Path;
            }
            return new Result(true, current, "", null);
        }
        return _m.Names.Contains(text) ? new Result(true, null, "", null) : new Result(false, null, $"'{text}' is not a layer path of '{_m.Model}'", Nearest(text).FirstOrDefault());
    }

    private List<ManifestLayer> Children(string parent) => _children.TryGetValue(parent, out var l) ? l : new List<ManifestLayer>();

    private string Explain(string parent, string? name, int index, int count, List<string> nearest)
    {
        string where = parent.Length == 0 ? $"a top-level layer of '{_m.Model}'" : $"a child of '{parent}'";
        string first = name is not null
            ? _m.Layers.Where(l => l.Name == name).Select(l => $"'{l.Path}'").Take(3).ToList() is { Count: > 0 } found
                ? $"'{name}' is not {where}; it exists as {string.Join(", ", found)}"
                : $"'{name}' is not {where}, and no layer of that name exists in the model"
            : $"index [{index}] is out of range: '{(parent.Length == 0 ? _m.Model : parent)}' has {count} child layers";
        return nearest.Count > 0 ? $"{first}. Nearest paths: {string.Join(", ", nearest)}" : first;
    }

    /// <summary>Valid paths nearest to <paramref name="text"/>, ranked as the library ranks them.</summary>
    public List<string> Nearest(string text) => PathGrammar.Nearest(text, _m.Layers.Select(l => (l.Path, l.Name)));
}
