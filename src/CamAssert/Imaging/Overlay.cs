using CamAssert.Heatmaps;

namespace CamAssert.Imaging;

/// <summary>Pictures a person looks at: a heatmap over its image, region outlines, panels side by side.</summary>
public static class Overlay
{
    /// <summary>
    /// The heatmap (values in [0, 1], <paramref name="width"/>×<paramref name="height"/>) coloured
    /// by <paramref name="colorMap"/> over <paramref name="image"/> (resized to the map's size when
    /// they differ): (1 − alpha)·image + alpha·colour, as pytorch-grad-cam's show_cam_on_image.
    /// Without an image, the coloured map alone.
    /// </summary>
    public static CamImage Render(float[] map, int width, int height, CamImage? image = null, ColorMap? colorMap = null, float alpha = 0.5f)
    {
        if (map.Length != width * height) throw new ArgumentException($"The map has {map.Length} values, not {width}×{height}.");
        colorMap ??= ColorMap.Jet;
        var background = image is null ? null : Fit(image.ToRgb(), width, height);
        var rgb = new float[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            var (r, g, b) = colorMap.Map(map[i]);
            float a = background is null ? 1 : alpha;
            rgb[i * 3] = Math.Clamp((1 - a) * (background?.Pixels[i * 3] ?? 0) + a * r, 0, 1);
            rgb[i * 3 + 1] = Math.Clamp((1 - a) * (background?.Pixels[i * 3 + 1] ?? 0) + a * g, 0, 1);
            rgb[i * 3 + 2] = Math.Clamp((1 - a) * (background?.Pixels[i * 3 + 2] ?? 0) + a * b, 0, 1);
        }
        return new CamImage(width, height, 3, rgb);
    }

    /// <summary>A copy of <paramref name="image"/> with the region's outline drawn in white over black.</summary>
    public static CamImage Outline(CamImage image, Region region)
    {
        var rgb = image.ToRgb();
        var pixels = (float[])rgb.Pixels.Clone();
        var inside = region.Rasterize(rgb.Width, rgb.Height);
        bool In(int x, int y) => (uint)x < (uint)rgb.Width && (uint)y < (uint)rgb.Height && inside[y * rgb.Width + x];
        for (int y = 0; y < rgb.Height; y++)
            for (int x = 0; x < rgb.Width; x++)
            {
                if (!In(x, y) || In(x - 1, y) && In(x + 1, y) && In(x, y - 1) && In(x, y + 1)) continue;
                pixels.AsSpan((y * rgb.Width + x) * 3, 3).Fill(1f);
                // A dark line just outside keeps the outline visible on light images.
                foreach (var (nx, ny) in new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) })
                    if ((uint)nx < (uint)rgb.Width && (uint)ny < (uint)rgb.Height && !In(nx, ny)) pixels.AsSpan((ny * rgb.Width + nx) * 3, 3).Clear();
            }
        return new CamImage(rgb.Width, rgb.Height, 3, pixels);
    }

    /// <summary>Panels left to right with a 4-pixel gap, on a dark grey background (for expected | actual | difference).</summary>
    public static CamImage SideBySide(params CamImage[] panels)
    {
        const int gap = 4;
        var rgb = panels.Select(p => p.ToRgb()).ToArray();
        int width = rgb.Sum(p => p.Width) + gap * (rgb.Length - 1), height = rgb.Max(p => p.Height);
        var pixels = Enumerable.Repeat(0.2f, width * height * 3).ToArray();
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
        return new CamImage(w, h, c, pixels, image.Source);
    }

    /// <summary>The image resized (bilinear) to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static CamImage Fit(CamImage image, int width, int height)
    {
        if (image.Width == width && image.Height == height) return image;
        int c = image.Channels;
        var result = new float[width * height * c];
        var plane = new float[image.Width * image.Height];
        for (int ch = 0; ch < c; ch++)
        {
            for (int i = 0; i < plane.Length; i++) plane[i] = image.Pixels[i * c + ch];
            var resized = Resample.Bilinear(plane, image.Height, image.Width, height, width);
            for (int i = 0; i < resized.Length; i++) result[i * c + ch] = resized[i];
        }
        return new CamImage(width, height, c, result, image.Source);
    }
}
