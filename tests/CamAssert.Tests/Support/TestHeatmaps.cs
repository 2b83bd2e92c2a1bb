using CamAssert.Cam;
using CamAssert.Heatmaps;

namespace CamAssert.Tests.Support;

/// <summary>Heatmaps with known values, for tests of metrics and assertions.</summary>
internal static class TestHeatmaps
{
    /// <summary>A w×h map that is a Gaussian blob centred at (cx, cy) with the given spread.</summary>
    public static Heatmap Blob(int w, int h, double cx, double cy, double sigma = 3, double[]? contributions = null)
    {
        var v = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                v[y * w + x] = (float)Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * sigma * sigma));
        float max = v.Max();
        for (int i = 0; i < v.Length; i++) v[i] /= max;
        return From(v, w, h, contributions);
    }

    public static Heatmap From(float[] values, int w, int h, double[]? contributions = null, string? degenerate = null) =>
        new(new HeatmapSource("shapes.onnx", "backbone", "given by the caller", "class 'circle'", CamMethod.GradCam, []),
            values, new MapSize(w, h), values, new MapSize(w, h), null, contributions ?? [1, 0], degenerate);
}
