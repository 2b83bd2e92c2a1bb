namespace CamAssert.Suites;

/// <summary>Order statistics of a per-target measure over a set, percentiles interpolated linearly between order statistics (NumPy's default).</summary>
public sealed class Distribution
{
    private readonly double[] _sorted;

    /// <summary>Sorts <paramref name="values"/> (NaN is not allowed).</summary>
    public Distribution(IEnumerable<double> values) => _sorted = values.Order().ToArray();

    /// <summary>Number of values.</summary>
    public int Count => _sorted.Length;

    /// <summary>The values, ascending.</summary>
    public IReadOnlyList<double> Sorted => _sorted;

    /// <summary>The <paramref name="percent"/>-th percentile (0..100); NaN for no values.</summary>
    public double Percentile(double percent)
    {
        if (_sorted.Length == 0) return double.NaN;
        double position = Math.Clamp(percent, 0, 100) / 100 * (_sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, _sorted.Length - 1);
        return _sorted[low] + (position - low) * (_sorted[high] - _sorted[low]);
    }

    /// <summary>The median.</summary>
    public double Median => Percentile(50);

    /// <summary>The smallest value.</summary>
    public double Min => _sorted.Length > 0 ? _sorted[0] : double.NaN;

    /// <summary>The largest value.</summary>
    public double Max => _sorted.Length > 0 ? _sorted[^1] : double.NaN;
}
