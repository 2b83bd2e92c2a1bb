using CamAssert.Models;
using System.Numerics.Tensors;
using Tensor = CamAssert.Models.Tensor;

namespace CamAssert.Onnx.Engine;

/// <summary>
/// An element-wise clamp to [Lo, Hi] (Relu, Clip). When it is the only reader of an
/// <see cref="IClampFusable"/> node's output, the executor has that node clamp as it writes
/// instead of running the clamp as a node of its own: one pass and one array fewer per activation.
/// </summary>
internal interface IClamp
{
    /// <summary>The bounds this node clamps to; its optional inputs are given when they are constants, else null.</summary>
    (float Lo, float Hi)? Bounds(Node node, Tensor?[] inputs);
}

/// <summary>
/// An operator that writes its single output to a new array and can clamp it as it writes it (a
/// convolution tile by tile while the tile is in cache, a sum chunk by chunk): the executor passes the bounds of the clamp that alone reads the output,
/// and skips that clamp.
/// </summary>
internal interface IClampFusable
{
    /// <summary>The forward, its output clamped to <paramref name="clamp"/> when given.</summary>
    Tensor[] Forward(Node node, Tensor?[] inputs, (float Lo, float Hi)? clamp);
}

/// <summary>Clamping as <see cref="IClamp"/> operators compute it, in one place.</summary>
internal static class Clamp
{
    /// <summary>y = min(hi, max(lo, x)) element-wise, NaN kept (as MathF.Max and MathF.Min do).</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y, (float Lo, float Hi) bounds)
    {
        if (bounds.Lo > float.NegativeInfinity) TensorPrimitives.Max(x, bounds.Lo, y); else x.CopyTo(y);
        if (bounds.Hi < float.PositiveInfinity) TensorPrimitives.Min(y, bounds.Hi, y);
    }
}
