namespace CamAssert.Heatmaps;

/// <summary>
/// A region of the image, in pixel coordinates of the image the heatmap is compared at (x is
/// the column, y the row). Boxes, relative boxes and masks combine with union, intersection
/// and complement. A box that reaches past the image's edge is clipped to the image (a box
/// grown by a margin near an edge is fine); only a region with no pixel inside the image is an error.
/// </summary>
public abstract class Region
{
    /// <summary>A box from its top-left corner and size: columns x..x+width−1, rows y..y+height−1.</summary>
    public static Region Box(int x, int y, int width, int height) => new BoxRegion(x, y, width, height);

    /// <summary>A box from corners with exclusive ends: columns x0..x1−1, rows y0..y1−1.</summary>
    public static Region FromCorners(int x0, int y0, int x1, int y1) => new BoxRegion(x0, y0, x1 - x0, y1 - y0);

    /// <summary>A box relative to the image size, each value in [0, 1] (e.g. the top-left quarter: 0, 0, 0.5, 0.5).</summary>
    public static Region Relative(double x, double y, double width, double height) => new RelativeRegion(x, y, width, height);

    /// <summary>A mask given pixel by pixel (true inside), of the image's size.</summary>
    public static Region Mask(bool[] inside, int width, int height, string? name = null) => new MaskRegion(inside, width, height, name ?? "mask");

    /// <summary>
    /// A mask from an image file of the image's size (PNG or any format <see cref="Imaging.CamImage.Load"/>
    /// reads; a lossless one, since JPEG blurs edges): a pixel is inside where the mask is bright
    /// (gray or red channel above one half) and, when the file has alpha, opaque.
    /// </summary>
    /// <exception cref="Imaging.ImageFormatException">The file is missing, damaged or in no format CamAssert reads.</exception>
    public static Region Mask(string pngPath)
    {
        var image = Imaging.CamImage.Load(pngPath);
        int c = image.Channels;
        bool alpha = c is 2 or 4;
        var inside = new bool[image.Width * image.Height];
        for (int i = 0; i < inside.Length; i++)
            inside[i] = image.Pixels[i * c] > 0.5f && (!alpha || image.Pixels[i * c + c - 1] > 0.5f);
        return new MaskRegion(inside, image.Width, image.Height, Path.GetFileName(pngPath));
    }

    /// <summary>Pixels in either region.</summary>
    public Region Union(Region other) => new Combined(this, other, "∪", (a, b) => a || b);

    /// <summary>Pixels in both regions.</summary>
    public Region Intersect(Region other) => new Combined(this, other, "∩", (a, b) => a && b);

    /// <summary>Pixels outside this region.</summary>
    public Region Complement() => new Complemented(this);

    /// <summary>The region as a row-major mask over a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    /// <exception cref="ArgumentException">The region has no pixel inside the image (or a mask is not the image's size); the message gives both.</exception>
    public abstract bool[] Rasterize(int width, int height);

    /// <summary>The smallest box holding the region on a <paramref name="width"/>×<paramref name="height"/> image, or null when empty.</summary>
    public (int X, int Y, int Width, int Height)? Bounds(int width, int height)
    {
        var m = Rasterize(width, height);
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (m[y * width + x]) { x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y); }
        return x1 < 0 ? null : (x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private sealed class BoxRegion(int x, int y, int w, int h) : Region
    {
        public override bool[] Rasterize(int width, int height)
        {
            if (w <= 0 || h <= 0)
                throw new ArgumentException($"Region {this} has no area. Give a box with a positive width and height.");
            int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
            int x1 = (int)Math.Min((long)x + w, width), y1 = (int)Math.Min((long)y + h, height);
            if (x0 >= x1 || y0 >= y1)
                throw new ArgumentException($"Region {this} has no pixel inside the {width}×{height} image. Give a box that overlaps columns 0 to {width - 1} and rows 0 to {height - 1}.");
            var m = new bool[width * height];
            for (int r = y0; r < y1; r++) m.AsSpan(r * width + x0, x1 - x0).Fill(true);
            return m;
        }

        public override string ToString() => $"box (x {x}, y {y}, {w}×{h})";
    }

    private sealed class RelativeRegion(double x, double y, double w, double h) : Region
    {
        public override bool[] Rasterize(int width, int height)
        {
            if (!(w > 0 && h > 0))
                throw new ArgumentException($"Region {this} has no area. Give a relative box with a positive width and height (fractions of the image).");
            if (!(x < 1 && y < 1 && x + w > 0 && y + h > 0))
                throw new ArgumentException($"Region {this} has no pixel inside the image: relative boxes are fractions of the image, so they must overlap 0..1 in x and in y.");
            int x0 = (int)Math.Round(x * width), y0 = (int)Math.Round(y * height);
            int x1 = Math.Max(x0 + 1, (int)Math.Round((x + w) * width)), y1 = Math.Max(y0 + 1, (int)Math.Round((y + h) * height));
            return new BoxRegion(x0, y0, x1 - x0, y1 - y0).Rasterize(width, height);
        }

        public override string ToString() => $"relative box (x {x:0.###}, y {y:0.###}, {w:0.###}×{h:0.###})";
    }

    private sealed class MaskRegion(bool[] inside, int w, int h, string name) : Region
    {
        public override bool[] Rasterize(int width, int height)
        {
            if (inside.Length != w * h) throw new ArgumentException($"Mask '{name}' has {inside.Length} values for {w}×{h}; give one per pixel.");
            if (w == width && h == height) return (bool[])inside.Clone();
            throw new ArgumentException($"Mask '{name}' is {w}×{h} but the image is {width}×{height}. Make the mask the image's size.");
        }

        public override string ToString() => $"mask '{name}'";
    }

    private sealed class Combined(Region a, Region b, string symbol, Func<bool, bool, bool> op) : Region
    {
        public override bool[] Rasterize(int width, int height)
        {
            var (ma, mb) = (a.Rasterize(width, height), b.Rasterize(width, height));
            return ma.Select((v, i) => op(v, mb[i])).ToArray();
        }

        public override string ToString() => $"({a} {symbol} {b})";
    }

    private sealed class Complemented(Region inner) : Region
    {
        public override bool[] Rasterize(int width, int height) => inner.Rasterize(width, height).Select(v => !v).ToArray();

        public override string ToString() => $"outside {inner}";
    }
}
