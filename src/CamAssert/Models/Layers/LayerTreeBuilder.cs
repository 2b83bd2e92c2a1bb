namespace CamAssert.Models.Layers;

/// <summary>
/// How a backend builds its <see cref="LayerTree"/>: children in the order they first run, the
/// operations each layer holds, and the tensors each layer hands on. Used once, at load; the
/// tree it builds never changes afterwards.
/// </summary>
public sealed class LayerTreeBuilder
{
    private readonly char _separator;
    private readonly NamingScheme _scheme;
    private readonly string? _modelScope;
    private bool _built;

    /// <summary>Starts a tree whose paths follow <paramref name="scheme"/>.</summary>
    /// <param name="scheme">PyTorch (dotted paths), Keras (slashed) or Flat.</param>
    /// <param name="modelScope">A scope every path may start with and that stands for the model itself (a Keras model's name), or null.</param>
    public LayerTreeBuilder(NamingScheme scheme, string? modelScope = null)
    {
        _scheme = scheme;
        _modelScope = modelScope;
        _separator = scheme == NamingScheme.Keras ? '/' : '.';
        Root = new Layer("", null, _separator);
    }

    /// <summary>The model itself; its children are the top-level layers.</summary>
    public Layer Root { get; }

    /// <summary>The child of <paramref name="parent"/> named <paramref name="name"/>: the existing one, or a new last child.</summary>
    public Layer Child(Layer parent, string name)
    {
        CheckOpen();
        return parent.Children.FirstOrDefault(c => c.Name == name) ?? new Layer(name, parent, _separator);
    }

    /// <summary>The layer at <paramref name="names"/> below the root (one name per level), made where missing.</summary>
    public Layer At(IEnumerable<string> names) => names.Aggregate(Root, Child);

    /// <summary>Records that <paramref name="operation"/> (an ONNX node name, say) belongs directly to <paramref name="layer"/>.</summary>
    public void AddOperation(Layer layer, string operation)
    {
        CheckOpen();
        layer.AddOperation(operation);
    }

    /// <summary>Records that <paramref name="layer"/> hands <paramref name="output"/> on (in execution order).</summary>
    public void AddOutput(Layer layer, ValueInfo output)
    {
        CheckOpen();
        layer.AddOutput(output);
    }

    /// <summary>The finished tree; the builder takes no more changes.</summary>
    public LayerTree Build()
    {
        CheckOpen();
        _built = true;
        return new LayerTree(Root, _scheme, _modelScope);
    }

    private void CheckOpen()
    {
        if (_built) throw new InvalidOperationException("The layer tree is already built; a LayerTreeBuilder builds one tree.");
    }
}
