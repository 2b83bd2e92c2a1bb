using System.Globalization;
using CamAssert.Suites;

namespace CamAssert.Assertions;

/// <summary>What a failed drift gate says: the bounds broken, the distributions, the worst targets with their pictures.</summary>
internal static class DriftFailureText
{
    public const int WorstShown = 5;

    public static string Found(DriftReport report, IReadOnlyList<string> violations)
    {
        if (report.Golden is { Missing.Count: > 0 } g && report.Targets.Count == 0)
            return $"there are no golden maps yet: {g.Missing.Count} missing in {g.Directory} (written as .received.png). Review them, then accept with `camassert accept {g.Directory}` or by running the tests with CAMASSERT_ACCEPT=1.";
        string text = $"{string.Join("; ", violations)}. Over {report.Targets.Count} targets: {report.Summary()}. ";
        if (report.Golden is { Missing.Count: > 0 } missing) text += $"{missing.Missing.Count} golden maps are missing (written as received). ";
        text += $"Worst {Math.Min(WorstShown, report.Targets.Count)}: " + string.Join("; ", report.Worst(WorstShown).Select(t => Describe(report, t))) + ".";
        if (report.Golden is { } golden)
            text += $" Every map was written as .received.png in {golden.Directory}; if the new attention is intended, accept it with `camassert accept {golden.Directory}` or CAMASSERT_ACCEPT=1.";
        return text;
    }

    private static string Describe(DriftReport report, TargetDrift t)
    {
        string s = string.Create(CultureInfo.InvariantCulture,
            $"{t.Name}: Pearson {t.Pearson:0.000}, top-20% IoU {t.TopIoU:0.000}, peak shift {t.PeakShift:0.000}, energy in box {FailureText.Percent(t.EnergyInBoxBaseline)} → {FailureText.Percent(t.EnergyInBoxCandidate)}");
        try
        {
            string path = Path.Combine(FailureArtifacts.Directory, Golden.GoldenName.Sanitise($"drift_{report.Set.Name}_{GoldenSet.NameOf(t.Image, t.ClassName)}_{Environment.ProcessId}") + ".diff.png");
            report.Picture(t).Save(path);
            s += $" (expected | actual | difference: {path})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or Imaging.ImageFormatException) { }
        return s;
    }
}
