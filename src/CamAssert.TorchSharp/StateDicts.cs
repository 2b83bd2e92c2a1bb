using System.Collections;
using CamAssert.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>PyTorch state dicts (pickled by <c>torch.save</c>) loaded into TorchSharp modules, with errors that list what does not fit.</summary>
internal static class StateDicts
{
    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path))
            throw new CamModelLoadException(path, $"the file does not exist (full path: {System.IO.Path.GetFullPath(path)}). Save it with torch.save(model.state_dict(), path) and copy it to the test output.");
        Hashtable saved;
        try { saved = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CamModelLoadException(path, $"it is not a PyTorch state dict TorchSharp.PyBridge can read ({e.Message}). Save the weights with torch.save(model.state_dict(), path), not the whole model.", e);
        }
        var expected = module.state_dict();
        var keys = saved.Keys.Cast<object>().Select(k => k.ToString()!).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Keys.Where(k => !keys.Contains(k)).ToList();
        var unexpected = keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var wrongShape = expected.Where(p => saved[p.Key] is Tensor t && !t.shape.SequenceEqual(p.Value.shape))
            .Select(p => $"'{p.Key}' {TorchTensors.Text(((Tensor)saved[p.Key]!).shape)} in the file, {TorchTensors.Text(p.Value.shape)} in the module").ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count > 0)
            throw new CamModelLoadException(path,
                $"its keys do not fit module {module.GetType().Name}: " +
                $"{missing.Count} missing ({List(missing)}), {unexpected.Count} unexpected ({List(unexpected)}), {wrongShape.Count} with another shape ({List(wrongShape, quote: false)}). " +
                "Build the same architecture as the one that was saved (for torchvision models, TorchVision's model of the same name and options), or rename the keys.");
        module.load_py(path, strict: true);
    }

    private static string List(IReadOnlyList<string> items, bool quote = true) =>
        items.Count == 0 ? "none" : string.Join(", ", items.Take(10).Select(i => quote ? $"'{i}'" : i)) + (items.Count > 10 ? ", …" : "");
}
