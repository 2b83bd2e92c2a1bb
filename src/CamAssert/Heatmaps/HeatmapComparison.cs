namespace CamAssert.Heatmaps;

/// <summary>How two maps of the same size differ: Pearson correlation, max and mean absolute difference, IoU of their top-20 % masks.</summary>
public sealed record HeatmapComparison(double Pearson, double MaxAbsDifference, double MeanAbsDifference, double TopIoU)
{
    /// <summary>Share of pixels in the top mask used by <see cref="TopIoU"/>.</summary>
    public const double TopPercent = 20;

    /// <summary>Compares <paramref name="expected"/> and <paramref name="actual"/> (same length).</summary>
    public static HeatmapComparison Of(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"Cannot compare maps of {expected.Length} and {actual.Length} pixels; they must be the same size.");
        int n = expected.Length;
        double me = 0, ma = 0, max = 0, sum = 0;
        for (int i = 0; i < n; i++) { me += expected[i]; ma += actual[i]; double d = Math.Abs(expected[i] - actual[i]); max = Math.Max(max, d); sum += d; }
        me /= n; ma /= n;
        double cov = 0, ve = 0, va = 0;
        for (int i = 0; i < n; i++) { double de = expected[i] - me, da = actual[i] - ma; cov += de * da; ve += de * de; va += da * da; }
        double pearson = ve > 0 && va > 0 ? cov / Math.Sqrt(ve * va) : ve == va ? 1 : 0;
        var te = Localization.TopMask(expected, TopPercent);
        var ta = Localization.TopMask(actual, TopPercent);
        int inter = 0, union = 0;
        for (int i = 0; i < n; i++) { if (te[i] && ta[i]) inter++; if (te[i] || ta[i]) union++; }
        return new HeatmapComparison(pearson, max, sum / n, union > 0 ? (double)inter / union : 1);
    }
}
