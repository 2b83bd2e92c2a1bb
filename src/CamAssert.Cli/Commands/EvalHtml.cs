using System.Globalization;
using System.Text;
using CamAssert.Imaging;
using CamAssert.Suites;
using static CamAssert.Cli.Commands.ReportCommand;

namespace CamAssert.Cli.Commands;

/// <summary>
/// The self-contained HTML report of <c>camassert eval --html</c>: the gates and verdicts, the per-class
/// table, a per-image table sortable by any column (worst first on load), the worst targets' pictures
/// (expected | actual | difference for drift, the overlay with the boxes for attention), and the
/// histogram of the per-target Pearson correlations. Pictures are embedded: the file travels alone.
/// </summary>
internal static class EvalHtml
{
    public const int WorstPictures = 6;

    public static string Build(Evaluation e)
    {
        var a = e.Attention;
        var d = e.Drift;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>CamAssert eval: ").Append(E(e.Model.Name)).Append(" on ").Append(E(e.Set.Name)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:24px;background:#fafafa;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
          .Append("table{border-collapse:collapse;font-size:13px;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#eee;cursor:pointer}td:first-child,td:nth-child(2){text-align:left}")
          .Append(".pass{color:#1b7a2e;font-weight:600}.fail{color:#b00020;font-weight:600}.card{display:inline-block;background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;margin:6px;vertical-align:top;font-size:12px}")
          .Append(".card img{image-rendering:pixelated;height:160px;display:block}.path{font-family:monospace;font-size:12px;color:#555}")
          .Append("</style></head><body>");
        sb.Append($"<h1>{E(e.Model.Name)} on set '{E(e.Set.Name)}': <span class=\"{(e.Passed ? "pass\">pass" : "fail\">FAIL")}</span></h1>");
        sb.Append($"<p>{E(e.Set.ToString())}. Pointing game {E(a.PointingGame.ToString())}; energy pointing game {F(a.EnergyPointingGame)}.</p><ul>");
        if (e.Rate is { } rate)
            sb.Append($"<li>Attention gate: {E(e.Criteria.ToString())} on at least {F(rate)} of the targets{(e.EachClass ? " of each class" : "")}: {E(a.Rate(e.Criteria).ToString())} {Verdict(e.AttentionPassed)}</li>");
        if (d is not null)
            sb.Append(d.Golden is { Accepted: true } g ? $"<li>Accepted {g.Written.Count} golden maps into <span class=\"path\">{E(g.Directory)}</span>.</li>"
                : $"<li>Drift from {E(d.Baseline)}: {E(d.Summary())} {Verdict(e.DriftViolations.Count == 0)}{(e.DriftViolations.Count > 0 ? ": " + E(string.Join("; ", e.DriftViolations)) : "")}</li>");
        sb.Append("</ul>");

        sb.Append("<h2>Per class</h2><table><tr><th>class</th><th>targets</th><th>pointing game</th><th>95% Wilson</th><th>energy in box</th><th>passing</th></tr>");
        var rates = a.RatePerClass(e.Criteria).ToDictionary(r => r.ClassName, r => r.Rate);
        foreach (var c in a.PerClass)
        {
            var (lo, hi) = c.PointingGame.WilsonInterval();
            sb.Append($"<tr><td>{E(c.ClassName)}</td><td>{c.PointingGame.Trials}</td><td>{F(c.PointingGame.Rate)}</td><td>{F(lo)}–{F(hi)}</td><td>{F(c.EnergyPointingGame)}</td><td>{F(rates[c.ClassName].Rate)}</td></tr>");
        }
        sb.Append("</table>");

        if (d is { Targets.Count: > 0 }) Histogram(sb, d.Pearson, e.Gate.MinMedianPearson);
        Pictures(sb, e);
        Targets(sb, e);
        sb.Append(SortScript).Append("</body></html>");
        return sb.ToString();
    }

    private static void Targets(StringBuilder sb, Evaluation e)
    {
        var drift = e.Drift?.Targets.ToDictionary(t => (t.ImageIndex, t.ClassName));
        sb.Append("<h2>Per image</h2><p>Click a column to sort; sorted worst first.</p><table id=\"targets\"><thead><tr><th>image</th><th>class</th><th>energy in box</th><th>energy in object</th><th>peak in box</th><th>passes</th>");
        if (drift is { Count: > 0 }) sb.Append("<th data-sort=\"worst\">Pearson</th><th>top-20% IoU</th><th>peak shift</th><th>energy change</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var t in e.Attention.Targets)
        {
            sb.Append($"<tr><td>{E(t.Image)}</td><td>{E(t.ClassName)}</td><td>{F(t.EnergyInBox)}</td><td>{F(t.EnergyInObject)}</td><td>{(t.PeakInBox ? 1 : 0)}</td><td>{(e.Criteria.Passes(t) ? 1 : 0)}</td>");
            if (drift is { Count: > 0 } && drift.TryGetValue((t.ImageIndex, t.ClassName), out var x))
                sb.Append($"<td>{F(x.Pearson)}</td><td>{F(x.TopIoU)}</td><td>{F(x.PeakShift)}</td><td>{F(x.EnergyChange)}</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }

    private static void Pictures(StringBuilder sb, Evaluation e)
    {
        if (e.Drift is { Targets.Count: > 0, Maps: not null } d)
        {
            sb.Append($"<h2>The {Math.Min(WorstPictures, d.Targets.Count)} targets that moved most</h2><p>expected | actual | difference, the class's boxes outlined.</p>");
            foreach (var t in d.Worst(WorstPictures))
                Card(sb, d.Picture(t), $"{t.Name}: Pearson {F(t.Pearson)}, top-20% IoU {F(t.TopIoU)}, peak shift {F(t.PeakShift)}, energy in box {F(t.EnergyInBoxBaseline)} → {F(t.EnergyInBoxCandidate)}");
            return;
        }
        var worst = e.Attention.Worst(e.Criteria).Take(WorstPictures).ToArray();
        sb.Append($"<h2>Worst {worst.Length} targets</h2>");
        if (worst.Length == 0) sb.Append("<p>Every target passes.</p>");
        foreach (var t in worst)
        {
            var (map, target) = SetRun.MapOf(e.Model, e.Set, t.ImageIndex, t.ClassName, e.Options);
            var picture = Overlay.Enlarge(Overlay.Outline(Overlay.Render(map.AtImageSize(), map.ImageWidth, map.ImageHeight, map.Image), target.BoxRegion));
            Card(sb, picture, $"{t.Name}: energy in box {F(t.EnergyInBox)}, peak at ({t.Peak.X}, {t.Peak.Y}) {(t.PeakInBox ? "inside" : "outside")}");
        }
    }

    private static void Card(StringBuilder sb, CamImage picture, string caption) =>
        sb.Append($"<div class=\"card\"><img alt=\"{E(caption)}\" src=\"{DataUri(picture.ToPng())}\">{E(caption)}</div>");

    /// <summary>Bars of the per-target Pearson correlations in bins of 0.1 from −1 to 1, with the gate's median bound marked.</summary>
    private static void Histogram(StringBuilder sb, Distribution pearson, double bound)
    {
        var bins = new int[20];
        foreach (var v in pearson.Sorted) bins[Math.Clamp((int)Math.Floor((v + 1) * 10), 0, 19)]++;
        int max = Math.Max(1, bins.Max());
        const int w = 24, h = 120;
        sb.Append($"<h2>Drift: per-target Pearson correlation</h2><svg id=\"histogram\" width=\"{20 * w + 40}\" height=\"{h + 40}\" style=\"background:#fff;border:1px solid #ddd\">");
        for (int i = 0; i < 20; i++)
        {
            int bh = bins[i] * h / max;
            sb.Append($"<rect x=\"{20 + i * w}\" y=\"{10 + h - bh}\" width=\"{w - 2}\" height=\"{bh}\" fill=\"#3b6fb6\"><title>{F(-1 + i * 0.1)} to {F(-0.9 + i * 0.1)}: {bins[i]}</title></rect>");
        }
        double bx = 20 + (bound + 1) * 10 * w, mx = 20 + (pearson.Median + 1) * 10 * w;
        sb.Append($"<line x1=\"{X(bx)}\" x2=\"{X(bx)}\" y1=\"5\" y2=\"{h + 15}\" stroke=\"#b00020\" stroke-dasharray=\"4\"/><text x=\"{X(bx + 3)}\" y=\"28\" font-size=\"11\" fill=\"#b00020\">bound {F(bound)}</text>")
          .Append($"<line x1=\"{X(mx)}\" x2=\"{X(mx)}\" y1=\"5\" y2=\"{h + 15}\" stroke=\"#222\"/><text x=\"{X(mx + 3)}\" y=\"15\" font-size=\"11\">median {F(pearson.Median)}</text>")
          .Append($"<text x=\"20\" y=\"{h + 30}\" font-size=\"11\">−1</text><text x=\"{20 * w + 10}\" y=\"{h + 30}\" font-size=\"11\">1</text></svg>");
    }

    private const string SortScript = """
        <script>
        (function () {
          var table = document.getElementById('targets'), body = table.tBodies[0], heads = table.tHead.rows[0].cells;
          function sortBy(col, descending) {
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col] ? a.cells[col].textContent : '', y = b.cells[col] ? b.cells[col].textContent : '';
              var nx = parseFloat(x), ny = parseFloat(y), c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
              return descending ? -c : c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
            table.setAttribute('data-sorted', col + (descending ? ' desc' : ' asc'));
          }
          Array.prototype.forEach.call(heads, function (th, i) {
            th.addEventListener('click', function () { var d = th.getAttribute('data-desc') !== '1'; th.setAttribute('data-desc', d ? '1' : '0'); sortBy(i, !d); });
          });
          var worst = Array.prototype.findIndex.call(heads, function (th) { return th.getAttribute('data-sort') === 'worst'; });
          sortBy(worst >= 0 ? worst : 2, false);
        })();
        </script>
        """;

    private static string Verdict(bool passed) => passed ? "<span class=\"pass\">pass</span>" : "<span class=\"fail\">FAIL</span>";

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string X(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
