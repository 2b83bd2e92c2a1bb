using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CamAssert.Models.Layers;

// Shared with CamAssert.Analyzers (linked source, netstandard2.0), so run-time resolution and
// compile-time checks read paths, step into children and rank suggestions the same way.
/// <summary>
/// The layer-path grammar: steps separated by '.' or '/', <c>[i]</c> indices counted from either
/// end, an optional leading model scope; and the ranking of "nearest paths" suggestions.
/// </summary>
internal static class PathGrammar
{
    /// <summary>How many nearest paths a message lists.</summary>
    public const int Suggestions = 5;

    /// <summary>One step of a path: a child by name, or a child by position (negative counts from the end).</summary>
    public readonly struct Step
    {
        public Step(string? name, int index)
        {
            Name = name;
            Index = index;
        }

        /// <summary>The child's name; null for an index step.</summary>
        public string? Name { get; }

        /// <summary>The child's position when <see cref="Name"/> is null.</summary>
        public int Index { get; }

        /// <summary>The position among <paramref name="count"/> children this index step means, or -1 when out of range.</summary>
        public int PositionAmong(int count) => Index >= -count && Index < count ? (Index < 0 ? count + Index : Index) : -1;

        public override string ToString() => Name ?? "[" + Index.ToString(CultureInfo.InvariantCulture) + "]";
    }

    /// <summary>Splits <paramref name="text"/> into steps; null when it is not of the path form at all.</summary>
    public static List<Step>? Steps(string? text)
    {
        string t = (text ?? "").Trim();
        if (t.Length == 0) return null;
        var steps = new List<Step>();
        int i = 0;
        while (i < t.Length)
        {
            if (t[i] is '.' or '/') { if (i == 0 || i == t.Length - 1) return null; i++; continue; }
            if (t[i] == '[')
            {
                int close = t.IndexOf(']', i);
                if (close < 0 || !int.TryParse(t.Substring(i + 1, close - i - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
                    return null;
                steps.Add(new Step(null, index));
                i = close + 1;
                continue;
            }
            int end = t.IndexOfAny(new[] { '.', '/', '[' }, i);
            if (end < 0) end = t.Length;
            steps.Add(new Step(t.Substring(i, end - i), 0));
            i = end;
        }
        return steps;
    }

    /// <summary>
    /// Drops a leading <paramref name="scope"/> (a Keras model's own name: <c>model/resnet50/…</c>)
    /// when the path has more steps and no top-level layer has that name.
    /// </summary>
    public static List<Step> WithoutScope(List<Step> steps, string? scope, Func<string, bool> isTopLevel) =>
        scope is not null && steps.Count > 1 && steps[0].Name == scope && !isTopLevel(scope) ? steps.Skip(1).ToList() : steps;

    /// <summary>
    /// The paths nearest to <paramref name="text"/>: by edit distance against the whole path or
    /// the layer's own name ('/' read as '.', case ignored), within max(3, length / 2), best first.
    /// </summary>
    public static List<string> Nearest(string text, IEnumerable<(string Path, string Name)> layers)
    {
        // Plain loops and one reference-type sort: the analyzer runs this cold in every compiler process, where each
        // LINQ operator over a value tuple is JIT-compiled first (tens of milliseconds for one CAM1001).
        string target = Normal(text);
        int limit = Math.Max(3, target.Length / 2);
        var close = new List<Candidate>();
        foreach (var (path, name) in layers)
        {
            string p = Normal(path), n = Normal(name);
            int distance = Math.Min(EditDistance.Of(target, p), EditDistance.Of(target, n));
            if (distance <= limit) close.Add(new Candidate(path, distance, Math.Min(NumberGap(target, p), NumberGap(target, n))));
        }
        close.Sort(Candidate.Rank);
        var nearest = new List<string>(Math.Min(Suggestions, close.Count));
        for (int i = 0; i < close.Count && i < Suggestions; i++) nearest.Add(close[i].Path);
        return nearest;
    }

    /// <summary>A path within reach of the text: closest first, then the nearest numbers, then the shortest, then in ordinal order.</summary>
    private sealed class Candidate(string path, int distance, long gap)
    {
        public string Path { get; } = path;

        public static int Rank(Candidate a, Candidate b)
        {
            int c = a._distance.CompareTo(b._distance);
            if (c == 0) c = a._gap.CompareTo(b._gap);
            if (c == 0) c = a.Path.Length.CompareTo(b.Path.Length);
            return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
        }

        private readonly int _distance = distance;
        private readonly long _gap = gap;
    }

    /// <summary>
    /// When <paramref name="a"/> and <paramref name="b"/> differ only in their numbers (<c>layer5</c>, <c>layer4</c>),
    /// how far apart those numbers are, so the nearest number ranks first among equally close paths; otherwise the most.
    /// </summary>
    private static long NumberGap(string a, string b)
    {
        var (skeletonA, numbersA) = Numbers(a);
        var (skeletonB, numbersB) = Numbers(b);
        if (skeletonA != skeletonB || numbersA.Count != numbersB.Count) return long.MaxValue;
        long gap = 0;
        for (int i = 0; i < numbersA.Count; i++) gap += Math.Abs(numbersA[i] - numbersB[i]);
        return gap;
    }

    /// <summary><paramref name="s"/> with each run of digits replaced by '#', and those runs' values (capped, so no overflow).</summary>
    private static (string Skeleton, List<long> Numbers) Numbers(string s)
    {
        var skeleton = new System.Text.StringBuilder(s.Length);
        var numbers = new List<long>();
        for (int i = 0; i < s.Length;)
        {
            if (!char.IsDigit(s[i])) { skeleton.Append(s[i++]); continue; }
            long value = 0;
            for (; i < s.Length && char.IsDigit(s[i]); i++) value = Math.Min(value * 10 + (s[i] - '0'), 1_000_000_000L);
            skeleton.Append('#');
            numbers.Add(value);
        }
        return (skeleton.ToString(), numbers);
    }

    private static string Normal(string s) => s.Replace('/', '.').ToLowerInvariant();
}
