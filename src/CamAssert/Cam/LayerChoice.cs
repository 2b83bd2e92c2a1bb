using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// Which layer a CAM is computed at. With none given: the last layer whose output has spatial
/// extent and through which all evidence passes (as the backend's <see cref="EvidenceFlow"/>
/// reports), named by the outermost layer with that output. A given layer is checked: one after
/// global pooling is an error; one that evidence flows around gets a warning naming the layer to use.
/// </summary>
internal static class LayerChoice
{
    public sealed record Choice(Layer Layer, string Reason, IReadOnlyList<string> Warnings);

    public static Choice Choose(CamModel model, LayerPath? requested, MapLayout layout)
    {
        var flow = model.Backend.Evidence;
        // Spatial outputs all evidence passes through, each named by its outermost layer, in execution order.
        var candidates = flow is null ? [] : flow.Bottlenecks
            .Select(t => Outermost(model, t)).OfType<Layer>().Where(l => IsSpatial(model, l.OutputShape, layout)).ToList();
        if (requested is not { } path)
        {
            if (flow is null) return Unknown(model, layout);
            var layer = candidates.LastOrDefault()
                ?? throw new CamException($"Model '{model.Name}' has no layer with a spatial output that all evidence passes through, so no layer can be chosen for a CAM. Pass a layer explicitly (see `camassert layers {model.Name}`).");
            return new Choice(layer, $"chosen automatically: the last layer with a spatial output ({layer.OutputShape}) that all evidence passes through", []);
        }

        var given = model.Layer(path);
        var output = given.Output?.Name ?? throw new CamException($"Layer '{given.Path}' of '{model.Name}' has no output tensor.");
        var suggestion = candidates.LastOrDefault()?.Path;
        if (!IsSpatial(model, given.OutputShape, layout))
            throw new CamException(
                $"Layer '{given.Path}' of '{model.Name}' has output shape {given.OutputShape?.ToString() ?? "unknown"}, with no spatial extent " +
                $"(it comes after global pooling or flattening), so a CAM at it cannot say where anything is. " +
                (suggestion is not null ? $"Use '{suggestion}', the last layer with a spatial map that all evidence passes through." : "Choose a convolutional layer before the pooling."));
        var warnings = new List<string>();
        if (flow is not null && !flow.PassesAll(output))
        {
            int position = Math.Max(0, flow.PositionOf(output));
            string use = candidates.FirstOrDefault(c => flow.PositionOf(c.Output!.Name) > position)?.Path ?? suggestion ?? "a later layer";
            warnings.Add($"Evidence flows around layer '{given.Path}': it is one branch, and other paths from the input reach the output without passing through it, so its map shows only part of the evidence. Use '{use}', which all evidence passes through.");
        }
        return new Choice(given, "given by the caller", warnings);
    }

    /// <summary>No flow known: the last spatial layer of the tree, with a warning naming the other candidates.</summary>
    private static Choice Unknown(CamModel model, MapLayout layout)
    {
        var spatial = model.Layers.All.Where(l => l.Children.Count == 0 && IsSpatial(model, l.OutputShape, layout)).ToList();
        var layer = spatial.LastOrDefault()
            ?? throw new CamException($"Model '{model.Name}' has no layer with a spatial output, so no layer can be chosen for a CAM. Pass a layer explicitly (see `camassert layers {model.Name}`).");
        var others = spatial.Take(spatial.Count - 1).TakeLast(3).Select(l => $"'{l.Path}'");
        return new Choice(layer, $"chosen automatically: the last layer with a spatial output ({layer.OutputShape})",
            [$"The backend of '{model.Name}' cannot tell which layers all evidence passes through, so '{layer.Path}' may be one branch. Check it, or pass a layer explicitly" +
             (others.Any() ? $" (other candidates: {string.Join(", ", others)})." : ".")]);
    }

    /// <summary>Whether an output of <paramref name="shape"/> is a map with more than one position in the given layout.</summary>
    internal static bool IsSpatial(CamModel model, Shape? shape, MapLayout layout)
    {
        if (shape is null) return false;
        var grid = MapLayouts.Grid(shape.ToArray(), MapLayouts.Resolve(layout, model.Input, shape.ToArray()));
        return grid is { } g && (g.H > 1 || g.W > 1);
    }

    private static Layer? Outermost(CamModel model, string tensor) =>
        model.Layers.All.Where(l => l.Output?.Name == tensor).MinBy(l => Depth(l));

    private static int Depth(Layer l) => l.Parent is null ? 0 : 1 + Depth(l.Parent);
}
