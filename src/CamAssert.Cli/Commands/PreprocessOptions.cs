using System.CommandLine;
using System.Globalization;
using CamAssert.Imaging;

namespace CamAssert.Cli.Commands;

/// <summary>
/// <c>--preprocess NAME</c>, <c>--mean r,g,b</c> and <c>--std r,g,b</c>, shared by the commands that turn an
/// image into the model's input, so that <c>predict</c> and <c>cam</c> see the same tensor. A preset names the
/// pipeline users ran in Python (<see cref="Preprocessing"/>'s presets); <c>--mean</c>/<c>--std</c> replace its
/// normalisation.
/// </summary>
internal sealed class PreprocessOptions
{
    private static readonly IReadOnlyDictionary<string, Preprocessing> Presets = new Dictionary<string, Preprocessing>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = Preprocessing.Default,
        ["imagenet"] = Preprocessing.ImageNet,
        ["torchvision"] = Preprocessing.TorchvisionImageNet,
        ["keras-caffe"] = Preprocessing.KerasCaffe,
        ["keras-tf"] = Preprocessing.KerasTf,
        ["keras-torch"] = Preprocessing.KerasTorch,
    };

    public Option<string?> Preset { get; } = new("--preprocess")
    {
        Description = "The preprocessing users ran in Python: none (RGB / 255 resized to the input, the default), imagenet (that, then ImageNet mean/std), "
            + "torchvision (Resize(256) → CenterCrop(224) PIL-exact → ImageNet normalise), keras-caffe, keras-tf, keras-torch (preprocess_input modes).",
    };

    public Option<string?> Mean { get; } = new("--mean") { Description = "Per-channel mean r,g,b subtracted after scaling to [0, 1] (replaces the preset's)." };

    public Option<string?> Std { get; } = new("--std") { Description = "Per-channel std r,g,b divided by (replaces the preset's)." };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Preset);
        command.Options.Add(Mean);
        command.Options.Add(Std);
    }

    /// <summary>The preprocessing the options describe.</summary>
    public Preprocessing Read(ParseResult result)
    {
        var name = result.GetValue(Preset);
        var preprocessing = name is null ? Preprocessing.Default
            : Presets.TryGetValue(name, out var preset) ? preset
            : throw new ArgumentException($"--preprocess '{name}' is not known: use one of {string.Join(", ", Presets.Keys)}.");
        if (Floats(result.GetValue(Mean), "--mean") is { } mean) preprocessing = preprocessing with { Mean = mean };
        if (Floats(result.GetValue(Std), "--std") is { } std) preprocessing = preprocessing with { Std = std };
        return preprocessing;
    }

    private static float[]? Floats(string? text, string option)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"{option} needs three numbers r,g,b (e.g. 0.485,0.456,0.406), but was '{text}'.");
        return parts.Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    }
}
