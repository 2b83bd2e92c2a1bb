using CamAssert.Models;
using CamAssert.Models.Layers;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// The layer tree of an ONNX graph, recovered from the module scopes exporters write into node
/// names, and the exact node and tensor names that are layer paths too.
/// </summary>
internal static class OnnxLayers
{
    /// <summary>Builds the tree of <paramref name="graph"/>; <paramref name="producer"/> names the exporter.</summary>
    public static LayerTree Build(Graph graph, string producer)
    {
        var names = graph.Nodes.Select(n => n.Name).ToList();
        var scheme = ScopeNames.Detect(names, producer);
        string? kerasRoot = scheme == NamingScheme.Keras ? ScopeNames.KerasRoot(names) : null;
        var builder = new LayerTreeBuilder(scheme, kerasRoot);
        var layerOf = new Dictionary<Node, Layer>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            var layer = builder.Root;
            foreach (var segment in ScopeNames.Modules(node.Name, scheme, kerasRoot))
            {
                var parent = layer;
                // torch suffixes the second call of a module with _1 ("relu_1"); Keras layer names may end in _1 on their own.
                string name = scheme == NamingScheme.PyTorch
                    ? ScopeNames.RepeatedCallOf(segment, s => parent.Children.Any(c => c.Name == s)) ?? segment
                    : segment;
                layer = builder.Child(parent, name);
            }
            builder.AddOperation(layer, node.Name);
            layerOf[node] = layer;
        }
        foreach (var node in graph.Nodes)
            foreach (var tensor in node.Outputs.Where(t => t.Length > 0))
            {
                var readers = graph.Consumers(tensor).Select(c => layerOf[c]).ToList();
                bool graphOutput = graph.IsOutput(tensor);
                var info = Info(graph, tensor);
                for (var layer = layerOf[node]; layer.Parent is not null; layer = layer.Parent)
                    if (graphOutput || readers.Any(r => !layer.Contains(r)))
                        builder.AddOutput(layer, info);
            }
        return builder.Build();
    }

    /// <summary>
    /// The layers an exact node name, tensor name or graph input name stands for, leaving out
    /// the one the tree walk already reached (<paramref name="walked"/>).
    /// </summary>
    public static IReadOnlyList<Layer> ExactMatches(Graph graph, string text, Layer? walked)
    {
        var matches = new List<Layer>();
        if (walked is not null) matches.Add(walked);
        if (graph.Nodes.FirstOrDefault(n => n.Name == text) is { } node && !matches.Any(m => m.Operations.SequenceEqual([node.Name])))
            matches.Add(Layer.Detached(text, [node.Name], node.Outputs.Where(o => o.Length > 0).Select(o => Info(graph, o))));
        if (graph.Producer(text) is { } producer && !matches.Any(m => m.Output?.Name == text))
            matches.Add(Layer.Detached(text, [producer.Name], [Info(graph, text)]));
        else if (graph.Inputs.FirstOrDefault(i => i.Name == text) is { } input && matches.Count == 0)
            matches.Add(Layer.Detached(text, [], [input]));
        if (walked is not null) matches.RemoveAt(0);
        return matches;
    }

    /// <summary>Every node and tensor name of the graph, sorted.</summary>
    public static IReadOnlyCollection<string> ExactNames(Graph graph) =>
        graph.Nodes.Select(n => n.Name).Concat(graph.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static ValueInfo Info(Graph graph, string tensor) => graph.Values.GetValueOrDefault(tensor) ?? new ValueInfo(tensor, DataType.Float32, null);
}
