using CamAssert.Imaging;

namespace CamAssert.Cam;

/// <summary>
/// Captum's visualisation scaling of an attribution (<c>_normalize_attr(attr, "absolute_value", 2, reduction_axis=2)</c>,
/// or with sign "positive"): the channels summed per pixel, |·| (or negative sums set to 0), divided by the threshold where the cumulative sum of the sorted values first
/// reaches 98 % of their total, clipped to 1. In double.
/// </summary>
internal static class AttributionMaps
{
    /// <summary>The H×W map of one image's <paramref name="values"/> (C channels in <paramref name="layout"/>), or why there is none.</summary>
    /// <param name="positive">Captum's sign "positive" instead of "absolute_value": negative sums count as 0 (what Captum shows for Occlusion).</param>
    public static (float[] Map, string? Degenerate) Normalize(float[] values, TensorLayout layout, int channels, int pixels, double outlierPercent = 2, bool positive = false)
    {
        var combined = new double[pixels];
        for (int p = 0; p < pixels; p++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++)
                sum += values[layout == TensorLayout.Nhwc ? p * channels + c : c * pixels + p];
            combined[p] = positive ? Math.Max(sum, 0) : Math.Abs(sum);
        }
        double threshold = CumulativeSumThreshold(combined, 100.0 - outlierPercent);
        var map = new float[pixels];
        if (!(threshold > 0))
            return (map, positive ? "the attribution has no positive value (no perturbation lowers the target's score)" : "the attribution is zero everywhere (the target's score does not depend on the input here)");
        for (int p = 0; p < pixels; p++) map[p] = (float)Math.Min(combined[p] / threshold, 1);
        return (map, null);
    }

    /// <summary>Captum's _cumulative_sum_threshold: the first sorted value whose cumulative sum reaches percentile % of the total.</summary>
    private static double CumulativeSumThreshold(double[] values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var sums = new double[sorted.Length];
        double running = 0;
        for (int i = 0; i < sorted.Length; i++) sums[i] = running += sorted[i];
        double bound = sums[^1] * 0.01 * percentile;
        for (int i = 0; i < sorted.Length; i++)
            if (sums[i] >= bound) return sorted[i];
        return sorted[^1];
    }
}
