using CamAssert.Models.Backends;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// FullGrad's bias terms on a TorchSharp module, as pytorch-grad-cam finds them: every <c>Conv2d</c> and
/// <c>BatchNorm2d</c> module with a bias (a batch norm's bias being β − mean·γ/√(var + ε)), each output kept by a
/// forward hook (the network gets a copy, so an in-place op after it leaves the kept output as the module gave it),
/// and the gradients at all of them from one <c>autograd.grad</c>.
/// </summary>
internal static class TorchBiasGradients
{
    /// <summary>The biased modules with their bias per channel, in <c>named_modules()</c> order.</summary>
    public static List<(string Name, nn.Module<TorchTensor, TorchTensor> Module, float[] Bias)> Layers(nn.Module module)
    {
        var layers = new List<(string, nn.Module<TorchTensor, TorchTensor>, float[])>();
        using var noGrad = no_grad();
        foreach (var (name, m) in module.named_modules())
        {
            float[]? bias = m switch
            {
                global::TorchSharp.Modules.Conv2d { bias: { } b } => Floats(b),
                global::TorchSharp.Modules.BatchNorm2d { bias: { } b, weight: { } w, running_mean: { } mean, running_var: { } variance } bn =>
                    Floats(b - mean * w / (variance + bn.eps).sqrt()),
                _ => null,
            };
            if (bias is not null && m is nn.Module<TorchTensor, TorchTensor> typed) layers.Add((name, typed, bias));
        }
        return layers;
    }

    /// <summary>Hooks that keep each layer's output in <paramref name="kept"/> (by layer index, last call wins) and hand the network a copy; dispose to remove them.</summary>
    public static IDisposable Keep(IReadOnlyList<(string Name, nn.Module<TorchTensor, TorchTensor> Module, float[] Bias)> layers, TorchTensor?[] kept)
    {
        var hooks = layers.Select((layer, i) => layer.Module.register_forward_hook((_, _, y) =>
        {
            kept[i] = y.DetachFromDisposeScope();
            return y.clone();
        })).ToList();
        return new HookSet(() => hooks.ForEach(h => h.remove()));
    }

    /// <summary>The gradients of Σ seed ⊙ output at the kept outputs (zeros where the output does not depend on one).</summary>
    public static IReadOnlyList<BiasGradient> Of(IReadOnlyList<(string Name, nn.Module<TorchTensor, TorchTensor> Module, float[] Bias)> layers, TorchTensor?[] kept,
        TorchTensor output, Models.Tensor seed)
    {
        var present = Enumerable.Range(0, layers.Count).Where(i => kept[i] is not null).ToList();
        if (present.Count == 0) return [];
        var grads = autograd.grad([output], present.Select(i => kept[i]!).ToList(), [TorchTensors.ToTorch(seed)], allow_unused: true);
        return present.Select((i, j) => new BiasGradient(layers[i].Name, layers[i].Bias,
            grads[j] is { IsInvalid: false } g ? TorchTensors.ToCamAssert(g) : Models.Tensor.Zeros(Models.DataType.Float32, kept[i]!.shape.Select(d => (int)d).ToArray()))).ToList();
    }

    private static float[] Floats(TorchTensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
