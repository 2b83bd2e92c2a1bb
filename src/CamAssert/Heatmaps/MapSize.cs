namespace CamAssert.Heatmaps;

/// <summary>The size of a map or an image in pixels (or, for a layer, in positions of its grid).</summary>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct MapSize(int Width, int Height)
{
    /// <summary>Number of pixels (positions): width × height.</summary>
    public int Pixels => Width * Height;

    /// <summary>Formats as <c>32×32</c>.</summary>
    public override string ToString() => $"{Width}×{Height}";
}
