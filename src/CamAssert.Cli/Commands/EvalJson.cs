using System.Text.Json;
using CamAssert.Suites;

namespace CamAssert.Cli.Commands;

/// <summary>The JSON of <c>camassert eval --json</c>: every number the console and HTML show, per target too.</summary>
internal static class EvalJson
{
    public static string Write(Evaluation e)
    {
        var a = e.Attention;
        var rates = a.RatePerClass(e.Criteria).ToDictionary(r => r.ClassName, r => r.Rate);
        var d = e.Drift;
        var document = new
        {
            model = e.Model.Name,
            set = new { name = e.Set.Name, source = e.Set.Source, images = e.Set.Images.Count, targets = a.Targets.Count },
            passed = e.Passed,
            attention = new
            {
                criteria = e.Criteria.ToString(),
                rate_required = e.Rate,
                each_class = e.EachClass,
                passed = e.AttentionPassed,
                rate = Rate(a.Rate(e.Criteria)),
                pointing_game = Rate(a.PointingGame),
                energy_pointing_game = a.EnergyPointingGame,
                per_class = a.PerClass.Select(c => new { @class = c.ClassName, pointing_game = Rate(c.PointingGame), energy_pointing_game = c.EnergyPointingGame, rate = Rate(rates[c.ClassName]) }),
                targets = a.Targets.Select(t => new
                {
                    image = t.Image, @class = t.ClassName, boxes = t.Boxes.Select(b => new[] { b.X, b.Y, b.Width, b.Height }),
                    energy_in_box = t.EnergyInBox, energy_in_object = t.EnergyInObject, peak_in_box = t.PeakInBox, peak = new[] { t.Peak.X, t.Peak.Y },
                    degenerate = t.DegenerateReason, passes = e.Criteria.Passes(t),
                }),
            },
            drift = d is null ? null : new
            {
                baseline = d.Baseline,
                passed = e.DriftViolations.Count == 0,
                violations = e.DriftViolations,
                golden = d.Golden is { } g ? new { directory = g.Directory, accepted = g.Accepted, missing = g.Missing.Count, written = g.Written.Count } : null,
                pearson = Stats(d.Pearson), top_iou = Stats(d.TopIoU), peak_shift = Stats(d.PeakShift), energy_loss = Stats(d.EnergyLoss),
                pointing_baseline = d.PointingBaseline.Rate, pointing_candidate = d.PointingCandidate.Rate,
                targets = d.Targets.Select(t => new
                {
                    image = t.Image, @class = t.ClassName, pearson = t.Pearson, top_iou = t.TopIoU, peak_shift = t.PeakShift,
                    energy_in_box_baseline = t.EnergyInBoxBaseline, energy_in_box_candidate = t.EnergyInBoxCandidate,
                    peak_in_box_baseline = t.PeakInBoxBaseline, peak_in_box_candidate = t.PeakInBoxCandidate,
                }),
            },
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }

    private static object Rate(Proportion p)
    {
        var (lo, hi) = p.WilsonInterval();
        return new { rate = p.Rate, passed = p.Successes, of = p.Trials, wilson_95 = new[] { lo, hi } };
    }

    private static object? Stats(Distribution d) => d.Count == 0 ? null : new { median = d.Median, p10 = d.Percentile(10), p90 = d.Percentile(90), min = d.Min, max = d.Max };
}
