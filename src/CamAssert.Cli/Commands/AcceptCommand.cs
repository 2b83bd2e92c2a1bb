using System.CommandLine;
using CamAssert.Golden;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert accept [DIR]</c>: moves every <c>*.received.png</c> under DIR to its <c>*.verified.png</c>.</summary>
internal static class AcceptCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Directory to search (recursively); default: ./golden, else the current directory.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("accept", "Accept received heatmaps as the new golden files.") { dir };
        command.SetAction(result => CliErrors.Run(() =>
        {
            string root = result.GetValue(dir) ?? (Directory.Exists(GoldenName.DirectoryName) ? GoldenName.DirectoryName : ".");
            if (!Directory.Exists(root)) throw new ArgumentException($"The directory '{root}' does not exist.");
            var accepted = GoldenStore.AcceptAll(root);
            foreach (var a in accepted) Console.Out.WriteLine($"accepted {a}");
            Console.Out.WriteLine(accepted.Count == 0 ? $"nothing to accept under {root}" : $"{accepted.Count} golden file(s) accepted");
            return 0;
        }));
        return command;
    }
}
