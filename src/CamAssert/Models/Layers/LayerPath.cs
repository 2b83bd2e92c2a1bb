using System.Globalization;

namespace CamAssert.Models.Layers;

/// <summary>
/// A path to a layer as a user writes it: dotted (<c>backbone.layer4.1.conv2</c>), slashed
/// (<c>resnet50/conv5_block3_out</c>), with indices (<c>layer4[-1]</c>, <c>features[3]</c>), or an
/// exact ONNX node or tensor name. Strings convert implicitly.
/// </summary>
public readonly record struct LayerPath(string Text)
{
    /// <summary>Wraps a path string.</summary>
    public static implicit operator LayerPath(string text) => new(text);

    /// <summary>One step of a path: a child by name, or a child by position (negative counts from the end).</summary>
    internal readonly record struct Step(string? Name, int Index)
    {
        public override string ToString() => Name ?? $"[{Index}]";
    }

    /// <summary>Splits the path into steps; null when it is not of the path form at all.</summary>
    internal IReadOnlyList<Step>? Steps()
    {
        var steps = new List<Step>();
        int i = 0;
        string t = (Text ?? "").Trim();
        if (t.Length == 0) return null;
        while (i < t.Length)
        {
            if (t[i] is '.' or '/') { if (i == 0 || i == t.Length - 1) return null; i++; continue; }
            if (t[i] == '[')
            {
                int close = t.IndexOf(']', i);
                if (close < 0 || !int.TryParse(t.AsSpan(i + 1, close - i - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
                    return null;
                steps.Add(new Step(null, index));
                i = close + 1;
                continue;
            }
            int end = t.IndexOfAny(['.', '/', '['], i);
            if (end < 0) end = t.Length;
            steps.Add(new Step(t[i..end], 0));
            i = end;
        }
        return steps;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
