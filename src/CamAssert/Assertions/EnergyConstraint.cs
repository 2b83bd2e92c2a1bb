using CamAssert.Heatmaps;
using FluentAssertions;
using FluentAssertions.Execution;

namespace CamAssert.Assertions;

/// <summary>
/// The share of a heatmap's energy in a region, waiting for its bound. Each bound checks exactly what
/// its word says (<see cref="AtLeast"/> ≥, <see cref="MoreThan"/> &gt;, <see cref="AtMost"/> ≤,
/// <see cref="LessThan"/> &lt;); after <see cref="HeatmapAssertions.NotHaveEnergyIn"/> the same bound is negated.
/// </summary>
public sealed class EnergyConstraint
{
    private readonly HeatmapAssertions _parent;
    private readonly Region _region;
    private readonly bool _negated;

    internal EnergyConstraint(HeatmapAssertions parent, Region region, bool negated) => (_parent, _region, _negated) = (parent, region, negated);

    /// <summary>The share in the region is at least <paramref name="share"/> (0..1): ≥.</summary>
    public AndConstraint<HeatmapAssertions> AtLeast(double share, string because = "", params object[] becauseArgs) =>
        Check(share, "at least", (measured, bound) => measured >= bound, because, becauseArgs);

    /// <summary>The share in the region is more than <paramref name="share"/> (0..1): strictly &gt;.</summary>
    public AndConstraint<HeatmapAssertions> MoreThan(double share, string because = "", params object[] becauseArgs) =>
        Check(share, "more than", (measured, bound) => measured > bound, because, becauseArgs);

    /// <summary>The share in the region is at most <paramref name="share"/> (0..1): ≤.</summary>
    public AndConstraint<HeatmapAssertions> AtMost(double share, string because = "", params object[] becauseArgs) =>
        Check(share, "at most", (measured, bound) => measured <= bound, because, becauseArgs);

    /// <summary>The share in the region is less than <paramref name="share"/> (0..1): strictly &lt;.</summary>
    public AndConstraint<HeatmapAssertions> LessThan(double share, string because = "", params object[] becauseArgs) =>
        Check(share, "less than", (measured, bound) => measured < bound, because, becauseArgs);

    private AndConstraint<HeatmapAssertions> Check(double bound, string words, Func<double, double, bool> holds, string because, object[] becauseArgs)
    {
        if (!(bound >= 0 && bound <= 1))
            throw new ArgumentOutOfRangeException(nameof(bound), bound, $"An energy share is a fraction from 0 to 1, but the bound was {bound}. Write 40 % as 0.4.");
        var h = _parent.Subject;
        double measured = Localization.EnergyShare(h.AtImageSize(), _region.Rasterize(h.ImageWidth, h.ImageHeight));
        bool ok = !h.IsDegenerate && holds(measured, bound) != _negated;
        string expectation = $"{(_negated ? "not to have" : "to have")} {words} {FailureText.Percent(bound)} of its energy in {{0}}";
        string found = h.IsDegenerate ? $"the map is degenerate ({h.DegenerateReason})" : $"found {FailureText.Percent(measured)} there";
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
            .FailWith($"Expected {{context:heatmap}} {expectation}{{reason}}, but {FailureText.Escape(found)}; " + (ok ? "" : FailureText.Where(h, _region)) + ".", _region);
        return new AndConstraint<HeatmapAssertions>(_parent);
    }
}
