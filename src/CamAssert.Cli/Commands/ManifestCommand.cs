using System.CommandLine;
using CamAssert.Manifest;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert manifest MODEL [--labels FILE] --out FILE</c>: writes the model manifest the analyzer reads (the build runs this).</summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path of the .onnx model." };
        var labels = new Option<string?>("--labels") { Description = "A labels file: one class name per line." };
        var output = new Option<string>("--out") { Description = "Where to write the manifest JSON.", Required = true };
        var command = new Command("manifest", "Write the model manifest used by the compile-time checks.") { model, labels, output };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var names = result.GetValue(labels) is { } file ? File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray() : null;
            var manifest = ModelManifest.Of(CamModel.Load(result.GetValue(model)!, names));
            string path = result.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path + ".tmp", manifest.ToJson());
            File.Move(path + ".tmp", path, overwrite: true);
            return 0;
        }));
        return command;
    }
}
