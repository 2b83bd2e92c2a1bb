using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// The classifier CAM weighs a layer's channels by, found as TorchCAM finds it when no
/// <c>fc_layer</c> is given: the module's only <see cref="Linear"/> layer (a model with none or
/// several is refused, naming them).
/// </summary>
internal static class LinearHead
{
    public static Models.Tensor Weights(nn.Module<TorchTensor, TorchTensor> module, string model, string layer)
    {
        var linear = Find(module, model, layer);
        using var noGrad = no_grad();
        var weight = linear.weight ?? throw new NotSupportedException($"The Linear layer of '{model}' has no weight.");
        return TorchTensors.ToCamAssert(weight);
    }

    /// <summary>The bias of that Linear layer, one per class (zeros when it has none).</summary>
    public static Models.Tensor Bias(nn.Module<TorchTensor, TorchTensor> module, string model, string layer)
    {
        var linear = Find(module, model, layer);
        using var noGrad = no_grad();
        if (linear.bias is { } bias) return TorchTensors.ToCamAssert(bias);
        int classes = (int)linear.weight!.shape[0];
        return Models.Tensor.FromFloats([classes], new float[classes]);
    }

    private static Linear Find(nn.Module<TorchTensor, TorchTensor> module, string model, string layer)
    {
        var linear = module.named_modules().Where(m => m.module is Linear).ToList();
        if (linear.Count != 1)
            throw new NotSupportedException(
                $"CAM needs the classifier's weights: model '{model}' must have exactly one Linear layer, read by the global average pool of layer '{layer}' " +
                $"(TorchCAM's rule when no fc_layer is given), but it has {(linear.Count == 0 ? "none" : $"{linear.Count}: {string.Join(", ", linear.Select(m => m.name))}")}. Use Grad-CAM, which needs no particular head.");
        return (Linear)linear[0].module;
    }
}
