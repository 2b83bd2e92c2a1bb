namespace CamAssert.Suites.Formats;

/// <summary>
/// Rasterises COCO polygons (x1, y1, x2, y2, … in pixel coordinates, pixel (c, r) spanning
/// [c, c+1) × [r, r+1)): a pixel is inside when its centre is, by the even-odd rule; several
/// polygons of one object are united. Boundary pixels can differ from pycocotools' rasteriser,
/// which is not a centre test; interiors agree.
/// </summary>
internal static class PolygonMask
{
    public static bool[] Rasterize(IReadOnlyList<double[]> polygons, int width, int height)
    {
        var mask = new bool[width * height];
        foreach (var poly in polygons)
        {
            int n = poly.Length / 2;
            for (int r = 0; r < height; r++)
            {
                double y = r + 0.5;
                var crossings = new List<double>();
                for (int i = 0, j = n - 1; i < n; j = i++)
                {
                    double yi = poly[2 * i + 1], yj = poly[2 * j + 1];
                    if ((yi > y) != (yj > y))
                        crossings.Add(poly[2 * j] + (y - yj) * (poly[2 * i] - poly[2 * j]) / (yi - yj));
                }
                crossings.Sort();
                for (int k = 0; k + 1 < crossings.Count; k += 2)
                {
                    int c0 = Math.Max(0, (int)Math.Ceiling(crossings[k] - 0.5)), c1 = Math.Min(width - 1, (int)Math.Ceiling(crossings[k + 1] - 0.5) - 1);
                    for (int c = c0; c <= c1; c++) mask[r * width + c] = true;
                }
            }
        }
        return mask;
    }
}
