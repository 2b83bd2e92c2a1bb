using System.CommandLine;
using System.Text.Json;
using CamAssert.Models;
using CamAssert.Models.Layers;
using Spectre.Console;

namespace CamAssert.Cli.Commands;

/// <summary><c>camassert layers MODEL [--depth N] [--json]</c>: the model's layer tree with output shapes.</summary>
internal static class LayersCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path of the .onnx model." };
        var depth = new Option<int>("--depth") { Description = "Show layers down to this depth (1 = top level only).", DefaultValueFactory = _ => int.MaxValue };
        var json = new Option<bool>("--json") { Description = "Write the tree as JSON for tools." };
        var command = new Command("layers", "Show the model's layer tree with each layer's output shape.") { model, depth, json };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var m = CamModel.Load(result.GetValue(model)!);
            int d = result.GetValue(depth);
            if (d < 1) throw new ArgumentException($"--depth must be at least 1, but was {d}.");
            if (result.GetValue(json)) Console.Out.WriteLine(Json(m, d));
            else AnsiConsole.Write(Render(m, d));
            return 0;
        }));
        return command;
    }

    /// <summary>The tree as Spectre.Console renders it: path, output shape, node count.</summary>
    internal static Tree Render(CamModel model, int depth)
    {
        var facts = model.Backend.Facts.Select(f => f.Key == "producer" ? f.Value : $"{f.Key} {f.Value}").Append($"{model.Layers.Scheme} names");
        var tree = new Tree($"[bold]{Markup.Escape(model.Name)}[/] [grey]({Markup.Escape(string.Join(", ", facts))})[/]");
        void Add(IHasTreeNodes parent, Layer layer, int level)
        {
            string shape = layer.OutputShape?.ToString() ?? "?";
            var node = parent.AddNode($"{Markup.Escape(layer.Name)} [blue]{Markup.Escape(shape)}[/] [grey]{Markup.Escape(layer.Path)}[/]");
            if (level < depth) foreach (var c in layer.Children) Add(node, c, level + 1);
        }
        foreach (var c in model.Layers.Root.Children) Add(tree, c, 1);
        return tree;
    }

    internal static string Json(CamModel model, int depth)
    {
        object Node(Layer l, int level) => new
        {
            name = l.Name,
            path = l.Path,
            output = l.Output?.Name,
            shape = l.OutputShape?.Dims.Select(d => d.IsKnown ? (object)d.Value : d.Symbol ?? "?").ToArray(),
            spatial = l.HasSpatialOutput,
            nodes = l.Operations.Count(),
            children = level < depth ? l.Children.Select(c => Node(c, level + 1)).ToArray() : [],
        };
        // The backend's facts (producer, opset for ONNX) sit between the model's name and its scheme; numbers stay numbers.
        var document = new Dictionary<string, object?> { ["model"] = model.Name };
        foreach (var (key, value) in model.Backend.Facts)
            document[key] = long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : value;
        document["scheme"] = model.Layers.Scheme.ToString();
        document["layers"] = model.Layers.Root.Children.Select(c => Node(c, 1)).ToArray();
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }
}
