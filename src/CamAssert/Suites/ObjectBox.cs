using CamAssert.Heatmaps;

namespace CamAssert.Suites;

/// <summary>An object's box in pixels of its image: columns X..X+Width−1, rows Y..Y+Height−1.</summary>
/// <param name="X">Leftmost column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct ObjectBox(int X, int Y, int Width, int Height)
{
    /// <summary>The box as a region.</summary>
    public Region ToRegion() => Region.Box(X, Y, Width, Height);

    /// <summary>Whether the box lies inside a <paramref name="size"/> image and has an area.</summary>
    public bool FitsIn(MapSize size) => Width > 0 && Height > 0 && X >= 0 && Y >= 0 && (long)X + Width <= size.Width && (long)Y + Height <= size.Height;

    /// <summary>Formats as <c>box (x 3, y 4, 16×16)</c>, as regions are described.</summary>
    public override string ToString() => $"box (x {X}, y {Y}, {Width}×{Height})";

    /// <summary>
    /// The pixel box covering the continuous rectangle [x, x + w) × [y, y + h) (COCO's and YOLO's boxes):
    /// a pixel is covered when the rectangle reaches over its centre, so whole-pixel boxes map to themselves.
    /// </summary>
    public static ObjectBox Covering(double x, double y, double w, double h)
    {
        int x0 = (int)Math.Round(x, MidpointRounding.AwayFromZero), y0 = (int)Math.Round(y, MidpointRounding.AwayFromZero);
        int x1 = (int)Math.Round(x + w, MidpointRounding.AwayFromZero), y1 = (int)Math.Round(y + h, MidpointRounding.AwayFromZero);
        return new ObjectBox(x0, y0, Math.Max(x1 - x0, w > 0 ? 1 : 0), Math.Max(y1 - y0, h > 0 ? 1 : 0));
    }
}
