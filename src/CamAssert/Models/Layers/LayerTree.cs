namespace CamAssert.Models.Layers;

/// <summary>The model's layers as a tree, as its backend reports them (see <see cref="LayerTreeBuilder"/>).</summary>
public sealed class LayerTree
{
    internal LayerTree(Layer root, NamingScheme scheme, string? modelName)
    {
        Root = root;
        Scheme = scheme;
        ModelName = modelName;
    }

    /// <summary>The model itself; its children are the top-level layers.</summary>
    public Layer Root { get; }

    /// <summary>How paths are written: PyTorch (dotted), Keras (slashed) or Flat.</summary>
    public NamingScheme Scheme { get; }

    /// <summary>The separator of paths in this model's notation: '.' for PyTorch, '/' for Keras.</summary>
    public char Separator => Scheme == NamingScheme.Keras ? '/' : '.';

    /// <summary>The Keras model name every node was scoped under (<c>model</c>), if any; paths may start with it.</summary>
    public string? ModelName { get; }

    /// <summary>Every layer, depth first.</summary>
    public IEnumerable<Layer> All => Root.Descendants();

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or lies inside it.</summary>
    public bool Contains(Layer outer, Layer inner) => outer.Contains(inner);
}
