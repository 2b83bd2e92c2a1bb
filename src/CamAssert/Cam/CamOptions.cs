namespace CamAssert.Cam;

/// <summary>Settings of a CAM computation beyond method, target and layer.</summary>
public sealed record CamOptions
{
    /// <summary>The defaults.</summary>
    public static CamOptions Default { get; } = new();

    /// <summary>How the layer's output lays out channels and positions (default: detected).</summary>
    public MapLayout Layout { get; init; } = MapLayout.Auto;

    /// <summary>How images become model inputs (default: RGB, [0, 1], resized to the model's input size when it differs).</summary>
    public Imaging.Preprocessing Preprocessing { get; init; } = Imaging.Preprocessing.Default;
}
