using System.Globalization;

namespace CamAssert.Suites;

/// <summary>A rate measured on a set: <see cref="Successes"/> of <see cref="Trials"/>, with its Wilson score interval.</summary>
/// <param name="Successes">How many passed.</param>
/// <param name="Trials">How many were scored.</param>
public readonly record struct Proportion(int Successes, int Trials)
{
    /// <summary>Successes / trials; 0 when nothing was scored.</summary>
    public double Rate => Trials > 0 ? (double)Successes / Trials : 0;

    /// <summary>
    /// The Wilson score interval at confidence <paramref name="z"/> (1.96: 95 %): the range of true rates
    /// the measurement is consistent with, sound for small sets and rates near 0 or 1 where the normal
    /// approximation is not. (0, 1) when nothing was scored.
    /// </summary>
    public (double Low, double High) WilsonInterval(double z = 1.96)
    {
        if (Trials == 0) return (0, 1);
        double n = Trials, p = Rate, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>"80.6% (29 of 36; 95% Wilson interval 65.0%–90.2%)".</summary>
    public override string ToString()
    {
        var (lo, hi) = WilsonInterval();
        return $"{Percent(Rate)} ({Successes} of {Trials}; 95% Wilson interval {Percent(lo)}–{Percent(hi)})";
    }

    internal static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
