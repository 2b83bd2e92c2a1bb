using CamAssert.Models;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>Copies between CamAssert tensors (float arrays, batch first) and torch tensors (CPU, float32).</summary>
internal static class TorchTensors
{
    public static TorchTensor ToTorch(Models.Tensor value) =>
        tensor(value.F, value.Shape.Select(d => (long)d).ToArray());

    public static Models.Tensor ToCamAssert(TorchTensor tensor)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return Models.Tensor.FromFloats(cpu.shape.Select(d => checked((int)d)).ToArray(), cpu.data<float>().ToArray());
    }

    public static Shape ShapeOf(TorchTensor tensor) =>
        new(tensor.shape.Select((d, i) => i == 0 ? Dim.Unknown : new Dim(d)).ToArray());

    public static string Text(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Throws unless <paramref name="rule"/> is the exact gradient: a TorchScript file's ReLUs cannot be guided.</summary>
    /// <exception cref="NotSupportedException">A guided rule was asked for.</exception>
    public static void RequireExact(Models.Backends.GradientRule rule, string model)
    {
        if (rule != Models.Backends.GradientRule.Exact)
            throw new NotSupportedException($"The TorchScript model '{model}' gives exact input gradients only, not {rule} (guided backprop, Guided Grad-CAM): a script's ReLUs take no hooks. Load the module with TorchSharpModel (its ReLU modules are guided), or its ONNX export with CamModel.Load.");
    }
}
