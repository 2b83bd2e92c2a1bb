using System.CommandLine;
using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert predict MODEL INPUT [--labels FILE] [--top K] [--json] [--npy out.npy]</c>: run the model and print the top classes.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = new Argument<string>("input") { Description = "The image (PNG, JPEG, BMP, GIF, WebP, TIFF, PBM/PGM/PPM or TGA; RGB / 255, resized to the model's input), or a float32 .npy tensor used as it is." };
        var top = new Option<int>("--top") { Description = "How many classes to print.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print the top classes as JSON." };
        var output = new Option<string?>("--npy") { Description = "Also write the raw output as a float32 .npy file." };
        var preprocess = new PreprocessOptions();
        var command = new Command("predict", "Run the model on an input and print its top classes.") { input, top, json, output };
        model.AddTo(command);
        preprocess.AddTo(command);
        command.SetAction(result => CliErrors.Run(() =>
        {
            var m = model.Load(result);
            string path = result.GetValue(input)!;
            var x = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? Npy.Read(path) : m.InputFor(CamImage.Load(path), preprocess.Read(result));
            var y = m.Run(x);
            if (result.GetValue(output) is { } npy) Npy.Write(npy, y);
            var logits = y.F;
            int k = Math.Clamp(result.GetValue(top), 1, logits.Length);
            var best = logits.Select((s, i) => (Score: s, Index: i)).OrderByDescending(p => p.Score).Take(k).ToList();
            string Label(int i) => i < m.Labels.Count ? m.Labels[i] : "";
            if (result.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(best.Select(p => new { index = p.Index, label = Label(p.Index), score = p.Score })));
            else
                foreach (var (score, index) in best) Console.Out.WriteLine($"{index,5}  {Label(index),-20} {score,12:F5}");
            return 0;
        }));
        return command;
    }
}
