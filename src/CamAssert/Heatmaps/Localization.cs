namespace CamAssert.Heatmaps;

/// <summary>
/// Localisation metrics of a map (row-major, non-negative) against a region mask of the same
/// size: energy share (energy-based pointing game), pointing game, the Grad-CAM paper's box
/// IoU, centre of mass and the share of the top pixels inside.
/// </summary>
public static class Localization
{
    /// <summary>Σ map inside / Σ map; 0 for an all-zero map.</summary>
    public static double EnergyShare(ReadOnlySpan<float> map, ReadOnlySpan<bool> inside)
    {
        double total = 0, within = 0;
        for (int i = 0; i < map.Length; i++)
        {
            total += map[i];
            if (inside[i]) within += map[i];
        }
        return total > 0 ? within / total : 0;
    }

    /// <summary>Positions (x, y) of the map's maximum; all of them when several pixels tie.</summary>
    public static IReadOnlyList<(int X, int Y)> Peaks(ReadOnlySpan<float> map, int width)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(map);
        var r = new List<(int, int)>();
        for (int i = 0; i < map.Length; i++) if (map[i] == max) r.Add((i % width, i / width));
        return r;
    }

    /// <summary>Pointing game: a hit when a maximum of the map lies inside (with ties, any tied maximum counts).</summary>
    public static bool PeakInside(ReadOnlySpan<float> map, ReadOnlySpan<bool> inside, int width)
    {
        foreach (var (x, y) in Peaks(map, width)) if (inside[y * width + x]) return true;
        return false;
    }

    /// <summary>
    /// The Grad-CAM paper's localisation box: pixels ≥ <paramref name="threshold"/>·max, the
    /// bounding box of the largest 8-connected component. Null for an all-zero map.
    /// </summary>
    public static (int X, int Y, int Width, int Height)? LargestComponentBox(ReadOnlySpan<float> map, int width, int height, double threshold = 0.15)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(map);
        if (!(max > 0)) return null;
        var on = new bool[map.Length];
        for (int i = 0; i < map.Length; i++) on[i] = map[i] >= threshold * max;
        var label = new int[map.Length];
        var stack = new Stack<int>();
        (int X, int Y, int W, int H)? best = null;
        int bestSize = 0, next = 0;
        for (int start = 0; start < map.Length; start++)
        {
            if (!on[start] || label[start] != 0) continue;
            next++;
            int size = 0, x0 = width, y0 = height, x1 = -1, y1 = -1;
            stack.Push(start);
            label[start] = next;
            while (stack.Count > 0)
            {
                int p = stack.Pop(), px = p % width, py = p / width;
                size++;
                (x0, y0, x1, y1) = (Math.Min(x0, px), Math.Min(y0, py), Math.Max(x1, px), Math.Max(y1, py));
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = px + dx, ny = py + dy;
                        if ((uint)nx >= (uint)width || (uint)ny >= (uint)height) continue;
                        int q = ny * width + nx;
                        if (on[q] && label[q] == 0) { label[q] = next; stack.Push(q); }
                    }
            }
            if (size > bestSize) { bestSize = size; best = (x0, y0, x1 - x0 + 1, y1 - y0 + 1); }
        }
        return best;
    }

    /// <summary>Intersection over union of two boxes.</summary>
    public static double BoxIoU((int X, int Y, int Width, int Height) a, (int X, int Y, int Width, int Height) b)
    {
        int ix = Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X));
        int iy = Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y));
        double inter = (double)ix * iy, union = (double)a.Width * a.Height + (double)b.Width * b.Height - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>The map-weighted mean position (x, y); the image centre for an all-zero map.</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<float> map, int width)
    {
        int height = map.Length / width;
        double total = 0, sx = 0, sy = 0;
        for (int i = 0; i < map.Length; i++) { total += map[i]; sx += map[i] * (i % width); sy += map[i] * (i / width); }
        return total > 0 ? (sx / total, sy / total) : ((width - 1) / 2.0, (height - 1) / 2.0);
    }

    /// <summary>Share of the top <paramref name="percent"/> % of pixels (by value, ties broken by position) that lie inside.</summary>
    public static double TopShareInside(ReadOnlySpan<float> map, ReadOnlySpan<bool> inside, double percent)
    {
        var top = TopMask(map, percent);
        int count = 0, within = 0;
        for (int i = 0; i < top.Length; i++) if (top[i]) { count++; if (inside[i]) within++; }
        return count > 0 ? (double)within / count : 0;
    }

    /// <summary>Mask of the top <paramref name="percent"/> % pixels (at least one), stable order for ties.</summary>
    public static bool[] TopMask(ReadOnlySpan<float> map, double percent)
    {
        int n = Math.Max(1, (int)Math.Round(map.Length * percent / 100));
        var order = Enumerable.Range(0, map.Length).ToArray();
        var values = map.ToArray();
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var mask = new bool[map.Length];
        for (int i = 0; i < n; i++) mask[order[i]] = true;
        return mask;
    }

    /// <summary>Names where (x, y) lies in a width×height image: "top-left", "centre", "bottom", ….</summary>
    public static string Describe(double x, double y, int width, int height)
    {
        string v = y < height / 3.0 ? "top" : y >= 2 * height / 3.0 ? "bottom" : "";
        string h = x < width / 3.0 ? "left" : x >= 2 * width / 3.0 ? "right" : "";
        return v.Length + h.Length == 0 ? "centre" : v.Length > 0 && h.Length > 0 ? $"{v}-{h}" : v + h;
    }
}
