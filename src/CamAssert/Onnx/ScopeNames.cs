using CamAssert.Models;
using System.Text.RegularExpressions;
using CamAssert.Models.Layers;

namespace CamAssert.Onnx;

/// <summary>Reads module scopes out of node names.</summary>
internal static partial class ScopeNames
{
    /// <summary>Decides the scheme from the exporter and the names.</summary>
    public static NamingScheme Detect(IReadOnlyCollection<string> nodeNames, string producer)
    {
        if (producer.StartsWith("tf2onnx", StringComparison.OrdinalIgnoreCase) || producer.StartsWith("keras2onnx", StringComparison.OrdinalIgnoreCase))
            return NamingScheme.Keras;
        int scoped = nodeNames.Count(n => n.StartsWith('/') && n.IndexOf('/', 1) > 0);
        if (scoped > 0) return NamingScheme.PyTorch;
        return nodeNames.Any(n => n.Contains('/')) ? NamingScheme.Keras : NamingScheme.Flat;
    }

    /// <summary>The module path of a node (empty for nodes at the model's top level), one name per level.</summary>
    public static string[] Modules(string nodeName, NamingScheme scheme, string? keraRoot)
    {
        switch (scheme)
        {
            case NamingScheme.PyTorch:
            {
                if (!nodeName.StartsWith('/')) return [];
                var parts = nodeName.Split('/')[1..^1];
                var names = new string[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                    // torch repeats the parent's scope in Sequential children: "layer4/layer4.1" is module "1" of layer4.
                    names[i] = i > 0 && parts[i].StartsWith(parts[i - 1] + ".", StringComparison.Ordinal) ? parts[i][(parts[i - 1].Length + 1)..] : parts[i];
                return names;
            }
            case NamingScheme.Keras:
            {
                var parts = nodeName.Split('/')[..^1].SkipWhile(p => p.StartsWith("StatefulPartitionedCall", StringComparison.Ordinal)).ToArray();
                return keraRoot is not null && parts.Length > 0 && parts[0] == keraRoot ? parts[1..] : parts;
            }
            default:
                return [nodeName];
        }
    }

    /// <summary>The Keras model name every scoped node starts with, if there is one (it stands for the model itself).</summary>
    public static string? KerasRoot(IEnumerable<string> nodeNames)
    {
        var firsts = nodeNames.Select(n => n.Split('/')).Where(p => p.Length > 1)
            .Select(p => p.SkipWhile(s => s.StartsWith("StatefulPartitionedCall", StringComparison.Ordinal)).FirstOrDefault())
            .Distinct().ToList();
        return firsts.Count == 1 && firsts[0] is { Length: > 0 } root ? root : null;
    }

    /// <summary>If <paramref name="segment"/> is the n-th call of a module already seen (<c>relu_1</c> after <c>relu</c>), that module's name.</summary>
    public static string? RepeatedCallOf(string segment, Func<string, bool> siblingExists)
    {
        var m = RepeatSuffix().Match(segment);
        return m.Success && siblingExists(m.Groups[1].Value) ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^(.+)_\d+$")]
    private static partial Regex RepeatSuffix();
}
