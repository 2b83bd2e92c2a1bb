using System.Globalization;

namespace CamAssert.Suites;

/// <summary>
/// How far a set's maps may drift from the accepted ones and still pass: bounds on distributions over
/// the set, not on pixels, because a benign retrain moves single maps a lot. The defaults are calibrated
/// on the shapes fixtures (docs/GOLDEN.md): every pair of benign retrains passes with margin, the
/// shortcut twin on its cued images fails.
/// </summary>
public sealed record DriftGate
{
    /// <summary>The calibrated defaults.</summary>
    public static DriftGate Default { get; } = new();

    /// <summary>Smallest allowed median Pearson correlation (default 0.75).</summary>
    public double MinMedianPearson { get; init; } = 0.75;

    /// <summary>Smallest allowed 10th percentile of the Pearson correlation (default 0.4): few maps may turn away.</summary>
    public double MinP10Pearson { get; init; } = 0.4;

    /// <summary>Smallest allowed median IoU of the top-20 % masks (default 0.5).</summary>
    public double MinMedianTopIoU { get; init; } = 0.5;

    /// <summary>Largest allowed median peak shift, as a share of the image diagonal (default 0.15).</summary>
    public double MaxMedianPeakShift { get; init; } = 0.15;

    /// <summary>Largest allowed median loss of energy in the boxes, baseline minus candidate (default 0.15).</summary>
    public double MaxMedianEnergyLoss { get; init; } = 0.15;

    /// <summary>Largest allowed drop of the pointing game rate, baseline minus candidate (default 0.25).</summary>
    public double MaxPointingDrop { get; init; } = 0.25;

    /// <summary>The bounds <paramref name="report"/> breaks, each with the measured value (empty when it passes).</summary>
    public IReadOnlyList<string> Violations(DriftReport report)
    {
        var r = new List<string>();
        if (report.Targets.Count == 0) { r.Add("no target was compared"); return r; }
        Check(r, report.Pearson.Median >= MinMedianPearson, $"median Pearson {F(report.Pearson.Median)} < {F(MinMedianPearson)}");
        Check(r, report.Pearson.Percentile(10) >= MinP10Pearson, $"10th-percentile Pearson {F(report.Pearson.Percentile(10))} < {F(MinP10Pearson)}");
        Check(r, report.TopIoU.Median >= MinMedianTopIoU, $"median top-20% IoU {F(report.TopIoU.Median)} < {F(MinMedianTopIoU)}");
        Check(r, report.PeakShift.Median <= MaxMedianPeakShift, $"median peak shift {F(report.PeakShift.Median)} of the diagonal > {F(MaxMedianPeakShift)}");
        Check(r, report.EnergyLoss.Median <= MaxMedianEnergyLoss, $"median energy-in-box loss {F(report.EnergyLoss.Median)} > {F(MaxMedianEnergyLoss)}");
        Check(r, report.PointingDrop <= MaxPointingDrop, $"pointing game dropped {F(report.PointingDrop)} ({F(report.PointingBaseline.Rate)} → {F(report.PointingCandidate.Rate)}) > {F(MaxPointingDrop)}");
        return r;
    }

    private static void Check(List<string> violations, bool holds, string text)
    {
        if (!holds) violations.Add(text);
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
