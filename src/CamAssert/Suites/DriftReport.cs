using CamAssert.Golden;
using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Suites;

/// <summary>
/// How a candidate model's maps over a set moved from the baseline's (another model, or the golden
/// maps accepted once): every target compared, the distributions the <see cref="DriftGate"/> reads,
/// and the pointing game of both.
/// </summary>
public sealed class DriftReport
{
    internal DriftReport(string baseline, string candidate, LabelledSet set, IReadOnlyList<TargetDrift> targets, SetAttention candidateAttention, GoldenSetCheck? golden = null)
    {
        (Baseline, Candidate, Set, Targets, CandidateAttention, Golden) = (baseline, candidate, set, targets, candidateAttention, golden);
        Pearson = new Distribution(targets.Select(t => t.Pearson));
        TopIoU = new Distribution(targets.Select(t => t.TopIoU));
        PeakShift = new Distribution(targets.Select(t => t.PeakShift));
        EnergyLoss = new Distribution(targets.Select(t => -t.EnergyChange));
    }

    /// <summary>
    /// Compares <paramref name="candidate"/> with <paramref name="baseline"/> over <paramref name="set"/>:
    /// each image runs through both models (one forward each for all its targets).
    /// </summary>
    public static DriftReport Between(CamModel baseline, CamModel candidate, LabelledSet set, SuiteOptions? options = null)
    {
        options ??= SuiteOptions.Default;
        SetRun.RequireClasses(baseline, set);
        SetRun.RequireClasses(candidate, set);
        var perImage = SetRun.PerImage(set, options, (index, image, pixels, targets) =>
        {
            var before = SetRun.Maps(baseline, pixels, targets, options);
            var after = SetRun.Maps(candidate, pixels, targets, options);
            var size = new MapSize(pixels.Width, pixels.Height);
            return targets.Select((t, k) => (TargetDrift.Of(index, image, t, before[k].AtImageSize(), after[k].AtImageSize(), size), TargetAttention.Of(index, image, t, after[k]))).ToArray();
        }).SelectMany(r => r).ToArray();
        return new DriftReport(baseline.Name, candidate.Name, set, perImage.Select(r => r.Item1).ToArray(), new SetAttention(candidate.Name, set, perImage.Select(r => r.Item2).ToArray()))
        {
            Maps = t => SetRun.Reload(set, t.ImageIndex, t.ClassName) is var (pixels, target)
                ? (SetRun.Maps(baseline, pixels, [target], options)[0].AtImageSize(), SetRun.Maps(candidate, pixels, [target], options)[0].AtImageSize(), pixels, target.BoxRegion)
                : default,
        };
    }

    /// <summary>Recomputes the baseline's and candidate's maps of a target, with its image; set by the constructor's callers.</summary>
    internal Func<TargetDrift, (float[] Expected, float[] Actual, Imaging.CamImage Image, Region Boxes)>? Maps { get; init; }

    /// <summary>
    /// The picture of one compared target: expected | actual | difference, each over the image (as a failing
    /// golden file's diff picture), the class's boxes outlined.
    /// </summary>
    public Imaging.CamImage Picture(TargetDrift target)
    {
        if (Maps is null) throw new InvalidOperationException("This report cannot redraw its maps.");
        var (expected, actual, image, boxes) = Maps(target);
        var outlined = Imaging.Overlay.Outline(image.ToRgb(), boxes);
        return GoldenPictures.Diff(expected, actual, image.Width, image.Height, outlined);
    }

    /// <summary>
    /// Compares <paramref name="candidate"/> with the golden maps of <paramref name="set"/> in <paramref name="golden"/>
    /// (one 16-bit PNG per image and target). Missing maps are written as received (or accepted, see
    /// <see cref="GoldenSet.Accept"/>); <see cref="Golden"/> says what happened to the files.
    /// </summary>
    /// <param name="golden">The set's golden folder.</param>
    /// <param name="candidate">The model under test.</param>
    /// <param name="set">The labelled set.</param>
    /// <param name="options">How the maps are made.</param>
    /// <param name="gate">When it fails, every map is written as received, so that <c>camassert accept</c> takes the new set whole (default <see cref="DriftGate.Default"/>).</param>
    public static DriftReport AgainstGolden(GoldenSet golden, CamModel candidate, LabelledSet set, SuiteOptions? options = null, DriftGate? gate = null) =>
        golden.Compare(candidate, set, options ?? SuiteOptions.Default, gate ?? DriftGate.Default);

    /// <summary>The baseline: a model's name, or the golden folder.</summary>
    public string Baseline { get; }

    /// <summary>The candidate model's name.</summary>
    public string Candidate { get; }

    /// <summary>The set.</summary>
    public LabelledSet Set { get; }

    /// <summary>Every target compared, in set order.</summary>
    public IReadOnlyList<TargetDrift> Targets { get; }

    /// <summary>The candidate's attention over the set, from the same maps (no extra forward).</summary>
    public SetAttention CandidateAttention { get; }

    /// <summary>For a golden baseline: missing, accepted and received files; null for a model baseline.</summary>
    public GoldenSetCheck? Golden { get; }

    /// <summary>Per-target Pearson correlations.</summary>
    public Distribution Pearson { get; }

    /// <summary>Per-target IoU of the top-20 % masks.</summary>
    public Distribution TopIoU { get; }

    /// <summary>Per-target peak shifts (share of the diagonal).</summary>
    public Distribution PeakShift { get; }

    /// <summary>Per-target loss of energy in the boxes (baseline minus candidate).</summary>
    public Distribution EnergyLoss { get; }

    /// <summary>The baseline's pointing game.</summary>
    public Proportion PointingBaseline => new(Targets.Count(t => t.PeakInBoxBaseline), Targets.Count);

    /// <summary>The candidate's pointing game.</summary>
    public Proportion PointingCandidate => new(Targets.Count(t => t.PeakInBoxCandidate), Targets.Count);

    /// <summary>Baseline's pointing game rate minus the candidate's.</summary>
    public double PointingDrop => PointingBaseline.Rate - PointingCandidate.Rate;

    /// <summary>
    /// Why this report fails <paramref name="gate"/> (empty when it passes): the gate's violations; for a
    /// golden baseline, nothing when the run accepted the maps, and the missing maps when there are any.
    /// </summary>
    public IReadOnlyList<string> Violations(DriftGate gate) => Golden switch
    {
        { Accepted: true } => [],
        { Missing.Count: > 0 } g => [$"{g.Missing.Count} golden maps are missing in {g.Directory}"],
        _ => gate.Violations(this),
    };

    /// <summary>The targets that moved most: lowest Pearson first.</summary>
    public IReadOnlyList<TargetDrift> Worst(int count) => Targets.OrderBy(t => t.Pearson).ThenBy(t => t.ImageIndex).Take(count).ToArray();

    /// <summary>"median Pearson 0.93 (p10 0.81, min 0.70); median top-20% IoU …".</summary>
    public string Summary() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"median Pearson {Pearson.Median:0.000} (p10 {Pearson.Percentile(10):0.000}, min {Pearson.Min:0.000}); median top-20% IoU {TopIoU.Median:0.000} (p10 {TopIoU.Percentile(10):0.000}); " +
        $"median peak shift {PeakShift.Median:0.000} of the diagonal; median energy-in-box loss {EnergyLoss.Median:0.000}; pointing game {PointingBaseline.Rate:0.000} → {PointingCandidate.Rate:0.000}");
}
