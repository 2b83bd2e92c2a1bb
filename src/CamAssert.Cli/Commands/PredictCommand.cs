using System.CommandLine;
using CamAssert.Engine;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert predict MODEL INPUT [--top K]</c>: run the model and print the top classes.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path of the .onnx model." };
        var input = new Argument<string>("input") { Description = "Input tensor as a float32 .npy file (used as it is)." };
        var top = new Option<int>("--top") { Description = "How many classes to print.", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--npy") { Description = "Also write the raw output as a float32 .npy file." };
        var command = new Command("predict", "Run the model on an input and print its top classes.") { model, input, top, output };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var m = CamModel.Load(result.GetValue(model)!);
            var x = Npy.Read(result.GetValue(input)!);
            var y = m.Run(x);
            if (result.GetValue(output) is { } path) Npy.Write(path, y);
            var logits = y.F;
            int k = Math.Clamp(result.GetValue(top), 1, logits.Length);
            foreach (var (score, index) in logits.Select((s, i) => (s, i)).OrderByDescending(p => p.s).Take(k))
                Console.Out.WriteLine($"{index,5}  {(index < m.Labels.Count ? m.Labels[index] : ""),-20} {score,12:F5}");
            return 0;
        }));
        return command;
    }
}
