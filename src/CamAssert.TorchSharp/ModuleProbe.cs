using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// What a probe forward with a hook on every module tells about a module: the layer tree (paths
/// from <c>named_modules()</c>, children in the order they first run, each layer's output shape
/// on its last call), and which layer outputs all evidence passes through.
/// </summary>
internal sealed class ModuleProbe
{
    private ModuleProbe(IReadOnlyDictionary<string, nn.Module<TorchTensor, TorchTensor>> hookable, IReadOnlyList<(string Path, long[] Shape)> calls, long[] output, LayerTree layers)
    {
        Hookable = hookable;
        Calls = calls;
        OutputShape = output;
        Layers = layers;
    }

    /// <summary>Modules that take and return one tensor (the ones a forward hook can watch), by path.</summary>
    public IReadOnlyDictionary<string, nn.Module<TorchTensor, TorchTensor>> Hookable { get; }

    /// <summary>Every module call of the probe, in the order their outputs were computed.</summary>
    public IReadOnlyList<(string Path, long[] Shape)> Calls { get; }

    /// <summary>The shape of the model output for one image.</summary>
    public long[] OutputShape { get; }

    /// <summary>The layer tree.</summary>
    public LayerTree Layers { get; }

    /// <summary>How many times the module at <paramref name="path"/> runs in one forward.</summary>
    public int CallsOf(string path) => Calls.Count(c => c.Path == path);

    /// <summary>Runs <paramref name="module"/> once on <paramref name="input"/> (no gradients) with a hook on every module.</summary>
    public static ModuleProbe Run(nn.Module<TorchTensor, TorchTensor> module, TorchTensor input, string name)
    {
        var all = module.named_modules().Where(m => m.Item1.Length > 0).ToList();
        var hookable = all.Where(m => m.Item2 is nn.Module<TorchTensor, TorchTensor>)
            .ToDictionary(m => m.Item1, m => (nn.Module<TorchTensor, TorchTensor>)m.Item2, StringComparer.Ordinal);
        var calls = new List<(string, long[])>();
        long[] output;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var hooks = hookable.Select(h => h.Value.register_forward_hook((_, _, y) => { calls.Add((h.Key, y.shape)); return y; })).ToList();
            try { output = module.call(input).shape; }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new CamModelLoadException(name, $"the probe forward on an input of shape {TorchTensors.Text(input.shape)} failed: {e.Message} Give the input size (height, width, channels) the module takes.", e);
            }
            finally { foreach (var h in hooks) h.remove(); }
        }
        return new ModuleProbe(hookable, calls, output, BuildTree(all.Select(m => m.Item1), calls));
    }

    private static LayerTree BuildTree(IEnumerable<string> modules, List<(string Path, long[] Shape)> calls)
    {
        var builder = new LayerTreeBuilder(NamingScheme.PyTorch);
        foreach (var (path, shape) in calls)
            builder.AddOutput(builder.At(path.Split('.')), new ValueInfo(path, DataType.Float32,
                new Shape(shape.Select((d, i) => i == 0 ? Dim.Unknown : new Dim(d)).ToArray())));
        foreach (var path in modules) builder.At(path.Split('.'));   // modules that never ran (or take other inputs): listed, without output
        return builder.Build();
    }

    /// <summary>
    /// The evidence flow: a layer output is one all evidence passes through when cutting it from
    /// the autograd graph (its last call's output replaced by a detached copy) leaves the model
    /// output with no gradient path to the input. Tested for every spatial layer output.
    /// </summary>
    /// <remarks>
    /// Which outputs cut the graph does not depend on the image size, so the probes run at
    /// <see cref="ProbeSide"/> pixels a side when the module takes that size (ten times cheaper for
    /// a 224×224 model), and at the model's own size otherwise.
    /// </remarks>
    public EvidenceFlow Evidence(nn.Module<TorchTensor, TorchTensor> module, int channels, int height, int width)
    {
        Func<TorchTensor> input = () => ones(1, channels, height, width);
        if (height > ProbeSide || width > ProbeSide)
        {
            int h = Math.Min(height, ProbeSide), w = Math.Min(width, ProbeSide);
            if (Runs(module, () => ones(1, channels, h, w))) input = () => ones(1, channels, h, w);
        }
        var order = Calls.Select(c => c.Path).ToList();
        var spatial = Calls.GroupBy(c => c.Path).Select(g => g.Last())
            .Where(c => c.Shape.Length == 4 && c.Shape[2] * c.Shape[3] > 1).Select(c => c.Path);
        return new EvidenceFlow(order, spatial.Where(p => Cuts(module, input, p)).ToList());
    }

    /// <summary>The side of the images the evidence probes run on, when the model's own is larger.</summary>
    public const int ProbeSide = 64;

    private static bool Runs(nn.Module<TorchTensor, TorchTensor> module, Func<TorchTensor> input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        try { module.call(input()); return true; }
        catch (Exception e) when (e is not OutOfMemoryException) { return false; }
    }

    private bool Cuts(nn.Module<TorchTensor, TorchTensor> module, Func<TorchTensor> input, string path)
    {
        int last = CallsOf(path) - 1, call = 0;
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var x = input().requires_grad_(true);
        var hook = Hookable[path].register_forward_hook((_, _, y) => call++ == last ? y.detach() : y);
        try
        {
            var output = module.call(x);
            if (!output.requires_grad) return true;
            var g = autograd.grad([output.sum()], [x], allow_unused: true);
            return g.Count == 0 || g[0] is null || g[0].IsInvalid;
        }
        finally { hook.remove(); }
    }
}
