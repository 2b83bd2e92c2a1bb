using CamAssert.Heatmaps;

namespace CamAssert.Suites.Formats;

/// <summary>
/// An object's outline kept compact (RLE runs, polygon points, or a mask file's path and value) and
/// rasterised when scored, so that a large set holds no pixels. It is the annotated image's size.
/// </summary>
internal sealed class OutlineRegion(string name, MapSize size, Func<bool[]> rasterize) : Region
{
    public override bool[] Rasterize(int width, int height)
    {
        if (width != size.Width || height != size.Height)
            throw new ArgumentException($"The outline {name} was annotated on a {size} image, but the image is {width}×{height}. Fix the annotation's size, or the image.");
        return rasterize();
    }

    public override string ToString() => $"outline ({name})";
}
