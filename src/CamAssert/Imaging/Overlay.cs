using CamAssert.Heatmaps;

namespace CamAssert.Imaging;

/// <summary>Pictures a person looks at: a heatmap over its image, region outlines, panels side by side.</summary>
public static class Overlay
{
    /// <summary>
    /// The heatmap (values in [0, 1], <paramref name="width"/>×<paramref name="height"/>, row-major)
    /// coloured by <paramref name="colorMap"/> (jet by default) over <paramref name="image"/>:
    /// <c>clip((1 − alpha) · image + alpha · colour, 0, 1)</c>, the blend of pytorch-grad-cam's
    /// show_cam_on_image (image_weight = 1 − alpha). The image is made RGB and resized (bilinear)
    /// to the map's size when they differ. Without an image, the coloured map alone.
    /// Optionally outlines the rectangle <paramref name="box"/> (see <see cref="Outline(CamImage, int, int, int, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The map's length is not width × height.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Alpha is outside [0, 1].</exception>
    public static CamImage Render(float[] map, int width, int height, CamImage? image = null, ColorMap? colorMap = null, float alpha = 0.5f,
        (int X, int Y, int Width, int Height)? box = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (width < 1 || height < 1 || map.Length != (long)width * height)
            throw new ArgumentException($"Cannot render the heatmap: it has {map.Length} values, but {width}×{height} needs {(long)Math.Max(0, width) * Math.Max(0, height)} (and at least 1×1).", nameof(map));
        if (!(alpha is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Cannot render the heatmap: alpha is {alpha}, but it is the weight of the colour map, from 0 (image only) to 1 (map only). 0.5 is usual.");
        colorMap ??= ColorMap.Jet;
        var background = image is null ? null : Resample.Image(image.ToRgb(), width, height).Pixels;
        float a = background is null ? 1f : alpha;
        var rgb = new float[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            var (r, g, b) = colorMap.Map(map[i]);
            rgb[i * 3] = Blend(background?[i * 3], r, a);
            rgb[i * 3 + 1] = Blend(background?[i * 3 + 1], g, a);
            rgb[i * 3 + 2] = Blend(background?[i * 3 + 2], b, a);
        }
        var picture = new CamImage(width, height, 3, rgb);
        return box is { } r0 ? Outline(picture, r0.X, r0.Y, r0.Width, r0.Height) : picture;
    }

    /// <summary>As <see cref="Render(float[], int, int, CamImage?, ColorMap?, float, ValueTuple{int, int, int, int}?)"/> for a map indexed [y, x] (height × width, as NumPy's H × W).</summary>
    public static CamImage Render(float[,] map, CamImage? image = null, ColorMap? colorMap = null, float alpha = 0.5f,
        (int X, int Y, int Width, int Height)? box = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        int height = map.GetLength(0), width = map.GetLength(1);
        var flat = new float[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                flat[y * width + x] = map[y, x];
        return Render(flat, width, height, image, colorMap, alpha, box);
    }

    /// <summary>A copy of <paramref name="image"/> (as RGB) with the region's outline drawn (see <see cref="Outline(CamImage, int, int, int, int)"/>).</summary>
    public static CamImage Outline(CamImage image, Region region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var inside = region.Rasterize(image.Width, image.Height);
        return Outline(image, (x, y) => inside[y * image.Width + x]);
    }

    /// <summary>
    /// A copy of <paramref name="image"/> (as RGB) with the rectangle's border drawn: its edge
    /// pixels white, and the pixels just outside it black, so the line shows on any background.
    /// The rectangle is clipped to the image.
    /// </summary>
    public static CamImage Outline(CamImage image, int x, int y, int width, int height) =>
        Outline(image, (px, py) => px >= x && px - x < width && py >= y && py - y < height);

    /// <summary>
    /// Panels left to right, tops aligned, with a 4-pixel gap, on a dark grey background (for
    /// expected | actual | difference). Panels are made RGB.
    /// </summary>
    /// <exception cref="ArgumentException">No panel is given.</exception>
    public static CamImage SideBySide(params CamImage[] panels)
    {
        const int gap = 4;
        const float background = 0.2f;
        if (panels is null || panels.Length == 0) throw new ArgumentException("SideBySide needs at least one panel.", nameof(panels));
        var rgb = panels.Select(p => p.ToRgb()).ToArray();
        int width = rgb.Sum(p => p.Width) + gap * (rgb.Length - 1), height = rgb.Max(p => p.Height);
        var pixels = new float[width * height * 3];
        Array.Fill(pixels, background);
        int x0 = 0;
        foreach (var p in rgb)
        {
            for (int y = 0; y < p.Height; y++)
                Array.Copy(p.Pixels, y * p.Width * 3, pixels, (y * width + x0) * 3, p.Width * 3);
            x0 += p.Width + gap;
        }
        return new CamImage(width, height, 3, pixels);
    }

    /// <summary>The image scaled up by a whole factor (nearest neighbour, pixels stay crisp) until it is at least <paramref name="minHeight"/> tall.</summary>
    public static CamImage Enlarge(CamImage image, int minHeight = 192)
    {
        int k = Math.Max(1, (minHeight + image.Height - 1) / image.Height);
        if (k == 1) return image;
        int w = image.Width * k, h = image.Height * k, c = image.Channels;
        var pixels = new float[w * h * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Array.Copy(image.Pixels, ((y / k) * image.Width + x / k) * c, pixels, (y * w + x) * c, c);
        return new CamImage(w, h, c, pixels, image.Source, image.BitDepth);
    }

    private static float Blend(float? background, float color, float alpha) =>
        Math.Clamp(background is { } b ? (1 - alpha) * b + alpha * color : color, 0f, 1f);

    /// <summary>White on the inside border of the set, black on the pixels just outside it.</summary>
    private static CamImage Outline(CamImage image, Func<int, int, bool> inside)
    {
        var rgb = image.ToRgb();
        int w = rgb.Width, h = rgb.Height;
        var pixels = (float[])rgb.Pixels.Clone();
        bool In(int x, int y) => (uint)x < (uint)w && (uint)y < (uint)h && inside(x, y);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (!In(x, y) || In(x - 1, y) && In(x + 1, y) && In(x, y - 1) && In(x, y + 1)) continue;
                pixels.AsSpan((y * w + x) * 3, 3).Fill(1f);
                foreach (var (nx, ny) in new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) })
                    if ((uint)nx < (uint)w && (uint)ny < (uint)h && !In(nx, ny)) pixels.AsSpan((ny * w + nx) * 3, 3).Clear();
            }
        return new CamImage(w, h, 3, pixels);
    }
}
