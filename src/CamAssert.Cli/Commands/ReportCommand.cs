using System.CommandLine;
using System.Net;
using System.Text;
using CamAssert.Golden;
using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Cli.Commands;

/// <summary>
/// <c>camassert report [DIR] [--out report.html]</c>: one self-contained HTML page with every
/// failing golden (expected | actual | difference, metrics, provenance) and every overlay written
/// by a failed assertion under DIR. Pictures are embedded, so the file can be attached to a CI run.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Directory to search recursively (default: the current directory).", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--out") { Description = "The HTML file to write.", DefaultValueFactory = _ => "camassert-report.html" };
        var command = new Command("report", "Write one HTML page with every failing golden heatmap and failure overlay.") { dir, output };
        command.SetAction(result => CliErrors.Run(() =>
        {
            string root = result.GetValue(dir) ?? ".";
            if (!Directory.Exists(root)) throw new ArgumentException($"The directory '{root}' does not exist.");
            var (html, goldens, overlays) = Build(root);
            string path = result.GetValue(output)!;
            File.WriteAllText(path, html);
            Console.Out.WriteLine($"{goldens} failing golden file(s), {overlays} failure overlay(s): {Path.GetFullPath(path)}");
            return 0;
        }));
        return command;
    }

    internal static (string Html, int Goldens, int Overlays) Build(string root)
    {
        var received = Directory.EnumerateFiles(root, "*" + GoldenStore.ReceivedSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var overlays = Directory.EnumerateFiles(root, "*.overlay.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>CamAssert report</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:24px;background:#fafafa;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:32px}")
          .Append(".card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:12px 0}.card img{image-rendering:pixelated;height:192px;border:1px solid #ccc}")
          .Append("table{border-collapse:collapse;font-size:13px}td{padding:2px 10px 2px 0;vertical-align:top}.bad{color:#b00020;font-weight:600}.path{font-family:monospace;font-size:12px;color:#555}")
          .Append("</style></head><body>");
        sb.Append($"<h1>CamAssert report</h1><p>{received.Count} failing golden heatmap(s), {overlays.Count} failure overlay(s) under <span class=\"path\">{E(Path.GetFullPath(root))}</span>.</p>");
        sb.Append("<h2>Golden heatmaps that changed or are new</h2>");
        if (received.Count == 0) sb.Append("<p>None.</p>");
        foreach (var r in received) Golden(sb, r);
        sb.Append("<h2>Failed attention assertions</h2>");
        if (overlays.Count == 0) sb.Append("<p>None.</p>");
        foreach (var o in overlays) OverlayCard(sb, o);
        sb.Append("</body></html>");
        return (sb.ToString(), received.Count, overlays.Count);
    }

    private static void Golden(StringBuilder sb, string received)
    {
        string baseName = received[..^GoldenStore.ReceivedSuffix.Length];
        string verified = baseName + GoldenStore.VerifiedSuffix, diff = baseName + GoldenStore.DiffSuffix;
        sb.Append($"<div class=\"card\"><b>{E(Path.GetFileName(baseName))}</b><br>");
        if (File.Exists(diff)) sb.Append($"<p>expected | actual | difference</p><img alt=\"expected, actual and difference\" src=\"{DataUri(diff)}\">");
        else sb.Append($"<img alt=\"received\" src=\"{DataUri(received)}\">");
        sb.Append("<table>");
        try
        {
            var actual = GoldenFile.Read(received);
            foreach (var (k, v) in actual.Metadata.OrderBy(p => p.Key)) sb.Append($"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>");
            if (File.Exists(verified))
            {
                var expected = GoldenFile.Read(verified);
                if (expected.Values.Length == actual.Values.Length)
                {
                    var c = HeatmapComparison.Of(expected.Values, actual.Values);
                    var violations = GoldenTolerance.Default.Violations(c);
                    sb.Append($"<tr><td>Pearson</td><td>{c.Pearson:0.####}</td></tr><tr><td>max |difference|</td><td>{c.MaxAbsDifference:0.####}</td></tr>")
                      .Append($"<tr><td>mean |difference|</td><td>{c.MeanAbsDifference:0.####}</td></tr><tr><td>top-20% IoU</td><td>{c.TopIoU:0.###}</td></tr>")
                      .Append($"<tr><td>verdict</td><td class=\"bad\">{E(violations.Count == 0 ? "within the default tolerance" : string.Join("; ", violations))}</td></tr>");
                }
                else sb.Append($"<tr><td>verdict</td><td class=\"bad\">size changed: {expected.Width}×{expected.Height} → {actual.Width}×{actual.Height}</td></tr>");
                if (expected.Metadata.TryGetValue(GoldenFile.Keys.ModelSha256, out var before) && actual.Metadata.TryGetValue(GoldenFile.Keys.ModelSha256, out var after) && before != after)
                    sb.Append("<tr><td>model</td><td class=\"bad\">the model file changed since the golden was accepted</td></tr>");
            }
            else sb.Append("<tr><td>verdict</td><td class=\"bad\">new: no verified golden file yet</td></tr>");
        }
        catch (ImageFormatException e) { sb.Append($"<tr><td>error</td><td class=\"bad\">{E(e.Message)}</td></tr>"); }
        sb.Append($"<tr><td>received</td><td class=\"path\">{E(received)}</td></tr><tr><td>accept with</td><td class=\"path\">camassert accept {E(Path.GetDirectoryName(received) ?? ".")}</td></tr></table></div>");
    }

    private static void OverlayCard(StringBuilder sb, string overlay)
    {
        sb.Append($"<div class=\"card\"><img alt=\"heatmap overlay\" src=\"{DataUri(overlay)}\"><table>");
        try
        {
            foreach (var (k, v) in CamImage.Load(overlay).Text.OrderBy(p => p.Key)) sb.Append($"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>");
        }
        catch (ImageFormatException e) { sb.Append($"<tr><td>error</td><td class=\"bad\">{E(e.Message)}</td></tr>"); }
        sb.Append($"<tr><td>file</td><td class=\"path\">{E(overlay)}</td></tr></table></div>");
    }

    internal static string DataUri(string png) => DataUri(File.ReadAllBytes(png));

    internal static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    internal static string E(string s) => WebUtility.HtmlEncode(s);
}
