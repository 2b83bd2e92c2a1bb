using CamAssert.Cam;
using CamAssert.Heatmaps;

namespace CamAssert.Assertions;

/// <summary>The sentences failure messages share: what the map is, and where its attention actually is.</summary>
internal static class FailureText
{
    /// <summary>"gradcam of class 'circle' at 'backbone' in shapes.onnx".</summary>
    public static string Describe(Heatmap h) => $"it is the {h.Method.Name()} map of {h.Target} at layer '{h.Layer}' in {h.Model}";

    /// <summary>Where the attention is: peak, centre of mass, describe; plus the overlay file when one could be written.</summary>
    public static string Where(Heatmap h, Heatmaps.Region? region)
    {
        if (h.IsDegenerate) return Escape($"the map is degenerate: {h.DegenerateReason}; {Describe(h)}");
        var map = h.AtImageSize();
        var (px, py) = Localization.Peaks(map, h.ImageWidth)[0];
        var (cx, cy) = Localization.CentreOfMass(map, h.ImageWidth);
        string text = $"the peak is at ({px}, {py}), {Localization.Describe(px, py, h.ImageWidth, h.ImageHeight)}; the centre of mass is at ({cx:0}, {cy:0}), {Localization.Describe(cx, cy, h.ImageWidth, h.ImageHeight)}; {Describe(h)}";
        if (FailureArtifacts.WriteOverlay(h, region) is { } path) text += $"; overlay: {path}";
        return Escape(text);
    }

    public static string Channels(Heatmap h, IEnumerable<int> channels) =>
        string.Join(", ", channels.Select(c => $"{c} ({Percent(h.ChannelShares[c], 1)})"));

    /// <summary>A share as "42%" or "22.5%", the same in every culture.</summary>
    public static string Percent(double share, int decimals = 0) =>
        (share * 100).ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>Free sentences continued after "…, but ": the first letter in lower case ("There is no…" → "there is no…").</summary>
    public static string Continuing(string sentences) => sentences.Length == 0 ? sentences : char.ToLowerInvariant(sentences[0]) + sentences[1..];

    /// <summary>A clause as a sentence of its own: the first letter in upper case ("it is the…" → "It is the…").</summary>
    public static string Sentence(string clause) => clause.Length == 0 ? clause : char.ToUpperInvariant(clause[0]) + clause[1..];

    /// <summary>FluentAssertions reads {…} as placeholders; double them in free text.</summary>
    public static string Escape(string s) => s.Replace("{", "{{").Replace("}", "}}");
}
