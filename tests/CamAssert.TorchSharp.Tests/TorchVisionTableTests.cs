using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// The analyzer's table of TorchVision's layer trees is what TorchVision really builds: the quick test
/// rebuilds a few small factories' trees, the slow one (CI) the whole table with every parameter tried.
/// <c>CAMASSERT_REGENERATE=1</c> (never on CI) writes the table anew instead of failing.
/// </summary>
public class TorchVisionTableTests
{
    private static string Committed => File.ReadAllText(TorchVisionTable.CommittedPath).Replace("\r\n", "\n");

    [Fact]
    public void Small_factories_have_the_committed_trees()
    {
        foreach (var name in new[] { "resnet18", "mobilenet_v2", "mobilenet_v3_small" })
        {
            var factory = TorchVisionTable.Factories().Single(f => f.Name == name);
            var names = TorchVisionTable.InTreeOrder(TorchVisionTable.Names(factory, TorchVisionTable.Defaults(factory)));
            var committed = Section(name);
            committed.Should().Equal(names, "the table's tree of {0} must be named_modules() of the real module; regenerate it with CAMASSERT_REGENERATE=1", name);
        }
    }

    [SlowFact]
    public void The_committed_table_is_what_TorchVision_builds()
    {
        string built = TorchVisionTable.Build(TorchVisionTable.Factories());
        if (built != Committed && Environment.GetEnvironmentVariable("CAMASSERT_REGENERATE") == "1" && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
            File.WriteAllText(TorchVisionTable.CommittedPath, built);
        Committed.Should().Be(built, "src/CamAssert.Analyzers/Modules/torchvision_models.txt must list what TorchVision builds; regenerate it with CAMASSERT_REGENERATE=1");
    }

    /// <summary>The dotted paths the committed table lists for <paramref name="factory"/> (following '=' to the factory it shares names with).</summary>
    private static List<string> Section(string factory)
    {
        var lines = Committed.Split('\n');
        int at = Array.FindIndex(lines, l => l == "@" + factory || l.StartsWith("@" + factory + " ", StringComparison.Ordinal));
        at.Should().BeGreaterThanOrEqualTo(0, "the table lists {0}", factory);
        if (lines[at + 1].StartsWith('=')) return Section(lines[at + 1][1..]);
        var paths = new List<string>();
        var stack = new List<string>();
        foreach (var line in lines.Skip(at + 1).TakeWhile(l => l.Length > 0 && l[0] != '@'))
        {
            int depth = line.Length - line.TrimStart(' ').Length;
            stack.RemoveRange(depth, stack.Count - depth);
            stack.Add(line.Trim());
            paths.Add(string.Join('.', stack));
        }
        return paths;
    }
}
