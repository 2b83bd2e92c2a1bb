using System;
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

    private static readonly Lazy<Dictionary<string, Factory>> Table = new(() => Read(Text()));

    /// <summary>The factory named <paramref name="name"/>, or null when the table has none of that name.</summary>
    public static Factory? Named(string name) => Table.Value.TryGetValue(name, out var f) ? f : null;

    private static string Text()
    {
        using var stream = typeof(TorchVisionModels).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The analyzer assembly lacks its resource '{Resource}': rebuild CamAssert.Analyzers.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Parses the table: <c>@factory kept-parameter …</c>, then either <c>=other</c> (the same tree as
    /// another factory) or one module name a line, indented by its depth, depth first.
    /// </summary>
    internal static Dictionary<string, Factory> Read(string text)
    {
        var result = new Dictionary<string, Factory>(StringComparer.Ordinal);
        string[]? header = null;
        List<string>? paths = null;
        var stack = new List<string>();
        void Close()
        {
            if (header is null) return;
            result[header[0]] = new Factory(header[0], paths!, new HashSet<string>(header.Skip(1), StringComparer.Ordinal));
        }
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '@')
            {
                Close();
                header = line.Substring(1).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                paths = new List<string>();
                stack.Clear();
            }
            else if (line[0] == '=' && header is not null)
                paths = result.TryGetValue(line.Substring(1), out var same) ? same.Paths.ToList()
                    : throw new FormatException($"torchvision_models.txt: '{header[0]}' refers to '{line.Substring(1)}', which comes later or not at all");
            else if (paths is not null)
            {
                int depth = line.Length - line.TrimStart(' ').Length;
                if (depth > stack.Count) throw new FormatException($"torchvision_models.txt: '{line.Trim()}' under '{header![0]}' is indented deeper than its parent");
                stack.RemoveRange(depth, stack.Count - depth);
                stack.Add(line.Trim());
                paths.Add(string.Join(".", stack));
            }
        }
        Close();
        return result;
    }
}
