using CamAssert.Engine;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// Which layer a CAM is computed at. With none given: the last layer whose output has spatial
/// extent and through which all evidence passes (a dominator of the output), named by the
/// outermost layer with that output. A given layer is checked: one after global pooling is an
/// error; one that evidence flows around gets a warning naming the layer to use.
/// </summary>
internal static class LayerChoice
{
    public sealed record Choice(Layer Layer, string Reason, IReadOnlyList<string> Warnings);

    public static Choice Choose(CamModel model, LayerPath? requested, MapLayout layout)
    {
        var dominators = Dominators.Of(model.Graph, model.Input.Name, model.Output.Name);
        var candidates = dominators.Where(t => IsSpatial(model, t, layout)).ToList();
        if (requested is not { } path)
        {
            var tensor = candidates.LastOrDefault(t => Outermost(model, t) is not null)
                ?? throw new CamException($"Model '{model.Name}' has no layer with a spatial output that all evidence passes through, so no layer can be chosen for a CAM. Pass a layer explicitly (see `camassert layers {model.Name}`).");
            var layer = Outermost(model, tensor)!;
            return new Choice(layer, $"chosen automatically: the last layer with a spatial output ({layer.OutputShape}) that all evidence passes through", []);
        }

        var given = model.Layer(path);
        var output = given.Output?.Name ?? throw new CamException($"Layer '{given.Path}' of '{model.Name}' has no output tensor.");
        var suggestion = candidates.LastOrDefault(t => Outermost(model, t) is not null) is { } last ? Outermost(model, last)!.Path : null;
        if (!IsSpatial(model, output, layout))
            throw new CamException(
                $"Layer '{given.Path}' of '{model.Name}' has output shape {given.OutputShape?.ToString() ?? "unknown"}, with no spatial extent " +
                $"(it comes after global pooling or flattening), so a CAM at it cannot say where anything is. " +
                (suggestion is not null ? $"Use '{suggestion}', the last layer with a spatial map that all evidence passes through." : "Choose a convolutional layer before the pooling."));
        var warnings = new List<string>();
        if (!dominators.Contains(output))
        {
            var position = model.Graph.Nodes.Select((n, i) => (n, i)).Where(p => p.n.Outputs.Contains(output)).Select(p => p.i).FirstOrDefault();
            var after = candidates.FirstOrDefault(t => Outermost(model, t) is not null && model.Graph.Nodes.Select((n, i) => (n, i)).Any(p => p.i > position && p.n.Outputs.Contains(t)));
            string use = after is not null ? Outermost(model, after)?.Path ?? after : suggestion ?? "a later layer";
            warnings.Add($"Evidence flows around layer '{given.Path}': it is one branch, and other paths from the input reach the output without passing through it, so its map shows only part of the evidence. Use '{use}', which all evidence passes through.");
        }
        return new Choice(given, "given by the caller", warnings);
    }

    /// <summary>Whether a tensor is a map with more than one position in the given layout.</summary>
    internal static bool IsSpatial(CamModel model, string tensor, MapLayout layout)
    {
        var shape = model.Graph.Values.GetValueOrDefault(tensor)?.Shape;
        if (shape is null) return false;
        var grid = MapLayouts.Grid(shape.ToArray(), MapLayouts.Resolve(layout, model, shape.ToArray()));
        return grid is { } g && (g.H > 1 || g.W > 1);
    }

    private static Layer? Outermost(CamModel model, string tensor) =>
        model.Layers.All.Where(l => l.Output?.Name == tensor).MinBy(l => Depth(l));

    private static int Depth(Layer l) => l.Parent is null ? 0 : 1 + Depth(l.Parent);
}
