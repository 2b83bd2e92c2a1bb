using CamAssert.Models.Backends;

namespace CamAssert.Models.Layers;

/// <summary>Resolves <see cref="LayerPath"/>s against a backend's layer tree and its exact framework names.</summary>
internal sealed class LayerResolver(ModelBackend backend)
{
    private LayerTree Tree => backend.Layers;

    private string Model => backend.Name;

    public Layer Resolve(LayerPath path)
    {
        string text = (path.Text ?? "").Trim();
        var matches = new List<Layer>();
        if (TryWalk(path, out var walked, out _)) matches.Add(walked!);
        matches.AddRange(backend.ExactMatches(text, walked));

        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            var listed = matches.Select(m => m.Path).ToList();
            throw new AmbiguousLayerPathException(
                $"Layer path '{text}' matches {matches.Count} layers of '{Model}': {string.Join(", ", listed.Select(l => $"'{l}'"))}. " +
                "Write the full path of the one you mean.", listed);
        }
        TryWalk(path, out _, out var failure);
        throw NotFound(text, failure);
    }

    /// <summary>Walks the tree step by step; on failure, says which step failed under which layer.</summary>
    private bool TryWalk(LayerPath path, out Layer? layer, out (Layer Parent, PathGrammar.Step Step)? failure)
    {
        layer = null;
        failure = null;
        var steps = path.Steps();
        if (steps is null) return false;
        // Keras users often include the model's own name: "model/resnet50/...".
        steps = PathGrammar.WithoutScope(steps.ToList(), Tree.ModelName, name => Tree.Root.Children.Any(c => c.Name == name));
        var current = Tree.Root;
        foreach (var step in steps)
        {
            Layer? next = step.Name is { } name
                ? current.Children.FirstOrDefault(c => c.Name == name)
                : step.PositionAmong(current.Children.Count) is >= 0 and var at ? current.Children[at] : null;
            if (next is null) { failure = (current, step); return false; }
            current = next;
        }
        layer = current;
        return true;
    }

    private LayerNotFoundException NotFound(string text, (Layer Parent, PathGrammar.Step Step)? failure)
    {
        var all = Tree.All.ToList();
        var lines = new List<string> { $"Layer '{text}' was not found in '{Model}'." };
        if (failure is var (parent, step))
        {
            bool top = parent.Parent is null;
            string where = top ? $"a top-level layer of '{Model}'" : $"a child of '{parent.Path}'";
            if (step.Name is { } name)
            {
                var elsewhere = all.Where(l => l.Name == name).Select(l => l.Path).Take(PathGrammar.Suggestions).ToList();
                lines.Add(elsewhere.Count > 0
                    ? $"'{name}' is not {where}; it exists as {string.Join(", ", elsewhere.Select(e => $"'{e}'"))}."
                    : $"'{name}' is not {where}, and no layer of that name exists anywhere in the model.");
            }
            else
                lines.Add($"Index {step} is out of range: '{(top ? Model : parent.Path)}' has {parent.Children.Count} child layers (valid indices {-parent.Children.Count} to {parent.Children.Count - 1}).");
            if (!top) lines.Add($"Children of '{parent.Path}': {List(parent.Children.Select(c => c.Name))}.");
        }
        var nearest = Nearest(text, all);
        if (nearest.Count > 0) lines.Add($"Nearest paths: {List(nearest)}.");
        lines.Add($"Top-level layers: {List(Tree.Root.Children.Select(c => c.Name))}.");
        lines.Add($"Use one of these, or run `camassert layers {Model}` to see the whole Tree.");
        return new LayerNotFoundException(string.Join(Environment.NewLine, lines), Model, text, nearest);
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        const int max = 12;
        return string.Join(", ", list.Take(max)) + (list.Count > max ? $", … ({list.Count - max} more)" : "");
    }

    private static List<string> Nearest(string text, List<Layer> all) => PathGrammar.Nearest(text, all.Select(l => (l.Path, l.Name)));
}
