namespace CamAssert.Models.Layers;

/// <summary>
/// A layer of the model as its author named it: a PyTorch module (<c>backbone.layer4.1</c>), a
/// Keras layer (<c>resnet50/conv5_block3_out</c>), or a single ONNX node or tensor. A layer
/// knows its child layers, the backend's operations it holds (ONNX nodes) and the tensors it
/// hands to the rest of the model. Backends build layers with <see cref="LayerTreeBuilder"/>.
/// </summary>
public sealed class Layer
{
    private readonly List<Layer> _children = [];
    private readonly List<string> _ownOperations = [];
    private readonly List<ValueInfo> _outputs = [];

    internal Layer(string name, Layer? parent, char separator)
    {
        Name = name;
        Parent = parent;
        Path = parent is null || parent.Parent is null && parent.Name.Length == 0 ? name : parent.Path + separator + name;
        parent?._children.Add(this);
    }

    /// <summary>
    /// A layer outside the tree standing for one framework name (an ONNX node or tensor), named
    /// exactly as in the model, holding <paramref name="operations"/> and handing on <paramref name="outputs"/>.
    /// </summary>
    public static Layer Detached(string name, IEnumerable<string> operations, IEnumerable<ValueInfo> outputs)
    {
        var layer = new Layer(name, null, '.');
        layer._ownOperations.AddRange(operations);
        layer._outputs.AddRange(outputs);
        return layer;
    }

    /// <summary>The layer's own name, the last segment of its path (<c>conv2</c>, <c>1</c>).</summary>
    public string Name { get; }

    /// <summary>The full path from the model's top level, in the model's own notation.</summary>
    public string Path { get; }

    /// <summary>The enclosing layer; null for the model itself.</summary>
    public Layer? Parent { get; }

    /// <summary>Child layers in the order they first run.</summary>
    public IReadOnlyList<Layer> Children => _children;

    /// <summary>Names of the backend's operations directly in this layer, not in a child (ONNX node names); empty where the backend has none.</summary>
    public IReadOnlyList<string> OwnOperations => _ownOperations;

    /// <summary>Names of all operations in this layer and its children, in execution order.</summary>
    public IEnumerable<string> Operations => _ownOperations.Concat(_children.SelectMany(c => c.Operations));

    /// <summary>
    /// The tensors this layer hands on: produced inside, read outside (or model outputs), in
    /// execution order. A module called twice (a shared ReLU) has one per call.
    /// </summary>
    public IReadOnlyList<ValueInfo> Outputs => _outputs;

    /// <summary>The layer's last float output: what a forward hook on the module would see on its last call.</summary>
    public ValueInfo? Output => _outputs.LastOrDefault(o => o.Type.IsFloat()) ?? _outputs.LastOrDefault();

    /// <summary>Static shape of <see cref="Output"/>, when known.</summary>
    public Shape? OutputShape => Output?.Shape;

    /// <summary>Whether the output is a 4-D map with more than one spatial position (so a CAM on it means something).</summary>
    public bool HasSpatialOutput => OutputShape is { Rank: 4 } s && (s[2].Value > 1 || s[3].Value > 1 || !s[2].IsKnown || !s[3].IsKnown);

    /// <summary>All layers below this one, depth first.</summary>
    public IEnumerable<Layer> Descendants() => _children.SelectMany(c => c.Descendants().Prepend(c));

    /// <summary>Whether <paramref name="inner"/> is this layer or lies inside it.</summary>
    public bool Contains(Layer inner)
    {
        for (Layer? l = inner; l is not null; l = l.Parent)
            if (ReferenceEquals(l, this)) return true;
        return false;
    }

    internal void AddOperation(string operation) => _ownOperations.Add(operation);

    internal void AddOutput(ValueInfo value) => _outputs.Add(value);

    /// <inheritdoc/>
    public override string ToString() => OutputShape is { } s ? $"{Path} {s}" : Path;
}
