using System.CommandLine;
using CamAssert.Models;

namespace CamAssert.Cli.Commands;

/// <summary>The model argument and <c>--labels</c> option that every model command shares, and loading from them.</summary>
internal sealed class ModelOptions
{
    public Argument<string> Model { get; } = new("model") { Description = "Path of the .onnx model." };

    public Option<string?> Labels { get; } = new("--labels")
    {
        Description = $"Class names, one per line in class-index order (default: MODEL{ModelFiles.LabelsSuffix} beside the model, else the model's own labels).",
    };

    /// <summary>Adds the model as the command's first argument, and <c>--labels</c>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Insert(0, Model);
        command.Options.Add(Labels);
    }

    public CamModel Load(ParseResult result) =>
        CamModel.Load(result.GetValue(Model)!, result.GetValue(Labels) is { } file ? ModelFiles.ReadLabels(file) : null);

    /// <summary>Refuses a class name on a model without class names, with the command line's own advice.</summary>
    public static void RequireClassNames(CamModel model, string className)
    {
        if (model.Labels.Count == 0)
            throw new ArgumentException($"--class '{className}' is a name, but model '{model.Name}' has no class names. Pass --labels FILE (one class name per line, in class-index order), or give the class index (--class 0).");
    }
}
