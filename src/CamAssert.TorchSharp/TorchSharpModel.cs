using CamAssert.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// Turns TorchSharp modules into <see cref="CamModel"/>s, the model every CamAssert assertion
/// takes: <c>TorchSharpModel.From(module, 224, 224, classNames)</c>.
/// </summary>
public static class TorchSharpModel
{
    /// <summary>
    /// A model for <paramref name="module"/>, which takes N×<paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>
    /// images and returns scores. Layer paths are its <c>named_modules()</c> names.
    /// </summary>
    /// <param name="module">The module; it is switched to eval mode for each run and back afterwards.</param>
    /// <param name="height">Input height in pixels.</param>
    /// <param name="width">Input width in pixels.</param>
    /// <param name="classNames">Class names in output order, or null.</param>
    /// <param name="channels">Input channels (3 for RGB).</param>
    /// <param name="name">The name messages show; the module's own name when null.</param>
    /// <exception cref="CamModelLoadException">The module does not run on that input size.</exception>
    public static CamModel From(nn.Module<TorchTensor, TorchTensor> module, int height, int width, IReadOnlyList<string>? classNames = null, int channels = 3, string? name = null) =>
        new(new TorchModuleBackend(module, height, width, channels, classNames, name));

    /// <summary>
    /// Loads a PyTorch <c>state_dict</c> (a <c>.pt</c>/<c>.pth</c> file written by <c>torch.save(model.state_dict(), path)</c>)
    /// into <paramref name="module"/>, which must have the same architecture (TorchVision's models
    /// for torchvision's), and returns the model. Class names come from <paramref name="classNames"/>
    /// or the labels file beside the weights (<c>weights.pt.labels.txt</c>).
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing or unreadable, or its keys or shapes do not fit the module; the message lists the missing and unexpected keys.</exception>
    public static CamModel FromStateDict(nn.Module<TorchTensor, TorchTensor> module, string path, int height, int width, IReadOnlyList<string>? classNames = null, int channels = 3)
    {
        ArgumentNullException.ThrowIfNull(module);
        StateDicts.Load(module, path);
        return new(new TorchModuleBackend(module, height, width, channels, ModelFiles.ClassNames(path, classNames, []),
            System.IO.Path.GetFileName(path), path));
    }

    /// <summary>
    /// Loads a TorchScript file. Its submodules take no hooks, so the script must export
    /// <c>forward_features(x)</c> (the layer to explain, named <c>features</c>) and
    /// <c>forward_head(features)</c> (the scores); see docs/TORCHSHARP.md. Class names come from
    /// <paramref name="classNames"/> or the labels file beside the script.
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing, not TorchScript, or lacks the two methods.</exception>
    public static CamModel LoadTorchScript(string path, int height, int width, IReadOnlyList<string>? classNames = null, int channels = 3) =>
        new(TorchScriptBackend.Load(path, height, width, classNames, channels));
}
