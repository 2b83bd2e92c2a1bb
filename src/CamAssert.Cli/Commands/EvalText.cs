using System.Globalization;
using CamAssert.Suites;
using Spectre.Console;

namespace CamAssert.Cli.Commands;

/// <summary>The console summary of <c>camassert eval</c>: attention per class, the gates and their verdicts, the worst targets.</summary>
internal static class EvalText
{
    public static void Write(Evaluation e)
    {
        var a = e.Attention;
        var o = Console.Out;
        o.WriteLine($"set:       {e.Set}");
        o.WriteLine($"model:     {e.Model.Name}");
        o.WriteLine($"attention: pointing game {a.PointingGame}; energy pointing game {F(a.EnergyPointingGame)}");
        var table = new Table().AddColumns(new[] { "class", "targets", "pointing game [95% Wilson]", "energy in box", $"pass: {e.Criteria}" }.Select(h => new TableColumn(Markup.Escape(h))).ToArray());
        var rates = a.RatePerClass(e.Criteria).ToDictionary(r => r.ClassName, r => r.Rate);
        foreach (var c in a.PerClass)
            table.AddRow(Markup.Escape(c.ClassName), c.PointingGame.Trials.ToString(CultureInfo.InvariantCulture), Markup.Escape(Cell(c.PointingGame)), F(c.EnergyPointingGame), Markup.Escape(Cell(rates[c.ClassName])));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(o), Interactive = InteractionSupport.No });
        if (Console.IsOutputRedirected) console.Profile.Width = 160; // a log, not a terminal: no wrapping at 80 columns
        console.Write(table);
        if (e.Rate is { } rate)
            o.WriteLine($"gate:      {e.Criteria} on at least {P(rate)} of the targets{(e.EachClass ? " of each class" : "")}: {a.Rate(e.Criteria)}: {(e.AttentionPassed ? "pass" : "FAIL")}" +
                (e.EachClass && a.ClassesBelow(e.Criteria, rate).Count > 0 ? $" (below: {string.Join(", ", a.ClassesBelow(e.Criteria, rate))})" : ""));
        if (e.Drift is { } d)
        {
            if (d.Golden is { Accepted: true } g) o.WriteLine($"golden:    accepted {g.Written.Count} maps into {g.Directory}");
            else
            {
                o.WriteLine($"drift:     from {d.Baseline}: {d.Summary()}");
                o.WriteLine($"gate:      drift: {(e.DriftViolations.Count == 0 ? "pass" : "FAIL: " + string.Join("; ", e.DriftViolations))}");
                foreach (var t in d.Worst(5))
                    o.WriteLine($"  {t.Name}: Pearson {F(t.Pearson)}, top-20% IoU {F(t.TopIoU)}, peak shift {F(t.PeakShift)}, energy in box {F(t.EnergyInBoxBaseline)} → {F(t.EnergyInBoxCandidate)}");
                if (e.DriftViolations.Count > 0 && d.Golden is { } gs) o.WriteLine($"           maps written as .received.png; accept the new model's maps with `camassert accept {gs.Directory}`");
            }
        }
        if (e.Rate is not null && !e.AttentionPassed)
            foreach (var t in a.Worst(e.Criteria).Take(5))
                o.WriteLine($"  {t.Name}: energy in box {F(t.EnergyInBox)}, peak at ({t.Peak.X}, {t.Peak.Y}) {(t.PeakInBox ? "inside" : "outside")}{(t.DegenerateReason is null ? "" : ", degenerate")}");
        o.WriteLine(e.Passed ? "result:    pass" : "result:    FAIL");
    }

    /// <summary>"66.7% 8/12 [39.1–86.2]": rate, counts, 95 % Wilson interval, narrow enough for a table cell.</summary>
    private static string Cell(Proportion p)
    {
        var (lo, hi) = p.WilsonInterval();
        return FormattableString.Invariant($"{p.Rate * 100:0.0}% {p.Successes}/{p.Trials} [{lo * 100:0.0}–{hi * 100:0.0}]");
    }

    internal static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
