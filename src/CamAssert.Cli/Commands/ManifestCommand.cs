using System.CommandLine;
using CamAssert.Manifest;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert manifest MODEL [--labels FILE] --out FILE</c>: writes the model manifest the analyzer reads (the build runs this).</summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var output = new Option<string>("--out") { Description = "Where to write the manifest JSON.", Required = true };
        var command = new Command("manifest", "Write the model manifest used by the compile-time checks.") { output };
        model.AddTo(command);
        command.SetAction(result => CliErrors.Run(() =>
        {
            var manifest = ModelManifest.Of(model.Load(result));
            string path = result.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path + ".tmp", manifest.ToJson());
            File.Move(path + ".tmp", path, overwrite: true);
            return 0;
        }));
        return command;
    }
}
