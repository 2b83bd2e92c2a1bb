using CamAssert.Engine;

namespace CamAssert.Models.Layers;

/// <summary>The model's layers as a tree recovered from node names, with lookup by path.</summary>
public sealed class LayerTree
{
    private readonly Dictionary<Layer, (int Enter, int Exit)> _span = new(ReferenceEqualityComparer.Instance);

    private LayerTree(Layer root, NamingScheme scheme, string? modelName)
    {
        Root = root;
        Scheme = scheme;
        ModelName = modelName;
    }

    /// <summary>The model itself; its children are the top-level layers.</summary>
    public Layer Root { get; }

    /// <summary>How the exporter named scopes.</summary>
    public NamingScheme Scheme { get; }

    /// <summary>The separator of paths in this model's notation: '.' for PyTorch, '/' for Keras.</summary>
    public char Separator => Scheme == NamingScheme.Keras ? '/' : '.';

    /// <summary>The Keras model name every node was scoped under (<c>model</c>), if any.</summary>
    public string? ModelName { get; }

    /// <summary>Every layer, depth first.</summary>
    public IEnumerable<Layer> All => Root.Descendants();

    /// <summary>Builds the tree of <paramref name="graph"/>.</summary>
    public static LayerTree Build(Graph graph, string producer)
    {
        var names = graph.Nodes.Select(n => n.Name).ToList();
        var scheme = ScopeNames.Detect(names, producer);
        string? kerasRoot = scheme == NamingScheme.Keras ? ScopeNames.KerasRoot(names) : null;
        char sep = scheme == NamingScheme.Keras ? '/' : '.';
        var root = new Layer("", null, sep);
        var tree = new LayerTree(root, scheme, kerasRoot);
        var layerOf = new Dictionary<Node, Layer>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            var layer = root;
            foreach (var segment in ScopeNames.Modules(node.Name, scheme, kerasRoot))
            {
                var parent = layer;
                // torch suffixes the second call of a module with _1 ("relu_1"); Keras layer names may end in _1 on their own.
                string name = scheme == NamingScheme.PyTorch
                    ? ScopeNames.RepeatedCallOf(segment, s => parent.Children.Any(c => c.Name == s)) ?? segment
                    : segment;
                layer = parent.Children.FirstOrDefault(c => c.Name == name) ?? new Layer(name, parent, sep);
            }
            layer.AddNode(node);
            layerOf[node] = layer;
        }
        tree.Number(root, 0);
        tree.AssignOutputs(graph, layerOf);
        return tree;
    }

    private int Number(Layer layer, int counter)
    {
        int enter = counter++;
        foreach (var c in layer.Children) counter = Number(c, counter);
        _span[layer] = (enter, counter);
        return counter;
    }

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or lies inside it.</summary>
    public bool Contains(Layer outer, Layer inner)
    {
        var (a, b) = (_span[outer], _span[inner]);
        return a.Enter <= b.Enter && b.Exit <= a.Exit;
    }

    private void AssignOutputs(Graph graph, Dictionary<Node, Layer> layerOf)
    {
        foreach (var node in graph.Nodes)
            foreach (var tensor in node.Outputs.Where(t => t.Length > 0))
            {
                var readers = graph.Consumers(tensor).Select(c => layerOf[c]).ToList();
                bool graphOutput = graph.IsOutput(tensor);
                var info = graph.Values.GetValueOrDefault(tensor) ?? new ValueInfo(tensor, DataType.Float32, null);
                for (var layer = layerOf[node]; layer.Parent is not null; layer = layer.Parent)
                    if (graphOutput || readers.Any(r => !Contains(layer, r)))
                        layer.AddOutput(info);
            }
    }
}
