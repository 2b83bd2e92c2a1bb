namespace CamAssert.Models.Layers;

/// <summary>
/// Thrown when a layer path does not resolve. The message says where the name does exist when
/// it is nested deeper, lists the nearest valid paths and the model's top-level layers.
/// </summary>
public sealed class LayerNotFoundException : Exception
{
    internal LayerNotFoundException(string message, string model, string path, IReadOnlyList<string> nearest) : base(message)
    {
        Model = model;
        Path = path;
        Nearest = nearest;
    }

    /// <summary>The model's file name.</summary>
    public string Model { get; }

    /// <summary>The path that did not resolve.</summary>
    public string Path { get; }

    /// <summary>The valid paths nearest to <see cref="Path"/>, best first.</summary>
    public IReadOnlyList<string> Nearest { get; }
}

/// <summary>Thrown when a layer path matches more than one layer; the message lists them.</summary>
public sealed class AmbiguousLayerPathException : Exception
{
    internal AmbiguousLayerPathException(string message, IReadOnlyList<string> matches) : base(message) => Matches = matches;

    /// <summary>The layers the path matched.</summary>
    public IReadOnlyList<string> Matches { get; }
}
