using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>
/// A computation graph: nodes in topological order, the weights (initializers), the graph's
/// inputs and outputs, and every tensor's static type and shape as far as it can be inferred.
/// </summary>
internal sealed class Graph
{
    /// <summary>Creates a graph; <paramref name="nodes"/> must be in topological order.</summary>
    public Graph(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Tensor> initializers,
        IReadOnlyList<ValueInfo> inputs, IReadOnlyList<ValueInfo> outputs, IReadOnlyDictionary<string, ValueInfo> values)
    {
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
        Values = values;
        var producer = new Dictionary<string, Node>();
        var consumers = new Dictionary<string, List<Node>>();
        foreach (var node in nodes)
        {
            foreach (var o in node.Outputs) if (o.Length > 0) producer[o] = node;
            foreach (var i in node.Inputs)
                if (i.Length > 0)
                {
                    if (!consumers.TryGetValue(i, out var list)) consumers[i] = list = [];
                    if (list.Count == 0 || list[^1] != node) list.Add(node);
                }
        }
        _producer = producer;
        _consumers = consumers;
    }

    private readonly Dictionary<string, Node> _producer;
    private readonly Dictionary<string, List<Node>> _consumers;

    /// <summary>Nodes in an order where every node comes after the producers of its inputs.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>Constant tensors (weights) by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Initializers { get; }

    /// <summary>The inputs a caller feeds (initializers excluded).</summary>
    public IReadOnlyList<ValueInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<ValueInfo> Outputs { get; }

    /// <summary>Static type and shape of every tensor whose type is known.</summary>
    public IReadOnlyDictionary<string, ValueInfo> Values { get; }

    /// <summary>The node producing <paramref name="tensor"/>, or null for inputs and initializers.</summary>
    public Node? Producer(string tensor) => _producer.GetValueOrDefault(tensor);

    /// <summary>The nodes reading <paramref name="tensor"/>, in graph order.</summary>
    public IReadOnlyList<Node> Consumers(string tensor) =>
        _consumers.TryGetValue(tensor, out var list) ? list : [];

    /// <summary>Whether <paramref name="tensor"/> is a graph output.</summary>
    public bool IsOutput(string tensor) => Outputs.Any(o => o.Name == tensor);
}
