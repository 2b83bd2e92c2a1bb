namespace CamAssert.Imaging.Png;

/// <summary>One pass of a PNG image: the sub-image of pixels (X0 + i·Dx, Y0 + j·Dy), Width × Height of them.</summary>
internal readonly record struct PngPass(int X0, int Y0, int Dx, int Dy, int Width, int Height);

/// <summary>
/// Adam7 interlacing: seven passes over 8×8 tiles, starting at columns/rows 0,4,0,2,0,1,0 /
/// 0,0,4,0,2,0,1 with steps 8,8,4,4,2,2,1 / 8,8,8,4,4,2,2. A non-interlaced image is one pass.
/// </summary>
internal static class Adam7
{
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Steps =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>The non-empty passes of an image of the header's size (one pass unless interlaced).</summary>
    public static IEnumerable<PngPass> PassesOf(PngHeader header) => Passes(header.Width, header.Height, header.Interlaced);

    /// <summary>The non-empty passes of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public static IEnumerable<PngPass> Passes(int width, int height, bool interlaced)
    {
        if (!interlaced)
        {
            yield return new PngPass(0, 0, 1, 1, width, height);
            yield break;
        }
        foreach (var (x0, y0, dx, dy) in Steps)
        {
            int w = (width - x0 + dx - 1) / dx, h = (height - y0 + dy - 1) / dy;
            if (w > 0 && h > 0) yield return new PngPass(x0, y0, dx, dy, w, h);
        }
    }
}
