using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CamAssert.Analyzers.Modules;

/// <summary>
/// The layer trees of TorchVision's factories (<c>torchvision.models.resnet50()</c> …), whose modules
/// come from a referenced assembly and build their children in loops, so no symbol shows them. Read from
/// the table shipped inside this assembly (<c>torchvision_models.txt</c>), which CamAssert.TorchSharp.Tests
/// writes from the real modules' <c>named_modules()</c> and checks against them.
/// </summary>
internal static class TorchVisionModels
{
    private const string Resource = "CamAssert.Analyzers.torchvision_models.txt";

    /// <summary>One factory: the dotted paths of its modules (depth first) and the parameters that leave them as they are.</summary>
    public sealed record Factory(string Name, IReadOnlyList<string> Paths, IReadOnlyCollection<string> Keeps);

    private static readonly Lazy<string> Table = new(Text);
    private static readonly ConcurrentDictionary<string, Factory?> Parsed = new(StringComparer.Ordinal);

    /// <summary>The factory named <paramref name="name"/>, or null when the table has none of that name. Only that factory's part of the table is parsed.</summary>
    public static Factory? Named(string name) => Parsed.GetOrAdd(name, n => Section(Table.Value, n));

    private static string Text()
    {
        using var stream = typeof(TorchVisionModels).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The analyzer assembly lacks its resource '{Resource}': rebuild CamAssert.Analyzers.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>Every factory of the shipped table, by name.</summary>
    internal static Dictionary<string, Factory> All() => Read(Table.Value);

    /// <summary>Every factory of <paramref name="text"/>, by name.</summary>
    internal static Dictionary<string, Factory> Read(string text)
    {
        text = text.Replace("\r\n", "\n");
        var result = new Dictionary<string, Factory>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
            if (line.Length > 1 && line[0] == '@' && Section(text, line.Substring(1).Split(' ')[0]) is { } f) result[f.Name] = f;
        return result;
    }

    /// <summary>
    /// Parses the part of the table about <paramref name="name"/>: <c>@name kept-parameter …</c>, then either <c>=other</c>
    /// (the same tree as another factory) or one module name a line, indented by its depth, depth first. Null when the table has no such factory.
    /// </summary>
    internal static Factory? Section(string text, string name, int hops = 0)
    {
        if (hops > 2) throw new FormatException($"torchvision_models.txt: '{name}' is reached through a chain of '=' references; each '=' must name a factory that lists its tree");
        int at = text.StartsWith("@" + name + " ", StringComparison.Ordinal) || text.StartsWith("@" + name + "\n", StringComparison.Ordinal) ? 0 : -1;
        if (at < 0)
        {
            at = text.IndexOf("\n@" + name + " ", StringComparison.Ordinal);
            if (at < 0) at = text.IndexOf("\n@" + name + "\n", StringComparison.Ordinal);
            if (at < 0) return null;
            at++;
        }
        int end = text.IndexOf("\n@", at, StringComparison.Ordinal);
        var lines = text.Substring(at, (end < 0 ? text.Length : end) - at).Split('\n');
        var header = lines[0].Substring(1).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        var keeps = new HashSet<string>(header.Skip(1), StringComparer.Ordinal);
        if (lines.Length > 1 && lines[1].StartsWith("=", StringComparison.Ordinal))
        {
            string other = lines[1].Substring(1).Trim();
            var same = other != name ? Section(text, other, hops + 1) : null;
            return same is null ? throw new FormatException($"torchvision_models.txt: '{name}' refers to '{other}', which the table does not list")
                : new Factory(name, same.Paths, keeps);
        }
        var paths = new List<string>();
        var stack = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int depth = line.Length - line.TrimStart(' ').Length;
            if (depth > stack.Count) throw new FormatException($"torchvision_models.txt: '{line.Trim()}' under '{name}' is indented deeper than its parent");
            stack.RemoveRange(depth, stack.Count - depth);
            stack.Add(line.Trim());
            paths.Add(string.Join(".", stack));
        }
        return new Factory(name, paths, keeps);
    }
}
