using CamAssert.Models;
using System.Numerics.Tensors;
using Tensor = CamAssert.Models.Tensor;
using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Operators;

/// <summary>A whole-array form of an element-wise function (TensorPrimitives), used instead of calling it per element.</summary>
internal delegate void ArrayFunction(ReadOnlySpan<float> x, Span<float> y);

/// <summary>
/// Element-wise activations y = f(x), with backward dx = dy · f'(x) written from x and y.
/// The derivatives follow PyTorch's autograd at the kinks (ReLU's gradient at 0 is 0, Clip's
/// gradient is 0 on the bounds), so gradients match the reference bit for bit in practice.
/// </summary>
/// <remarks>
/// Second order: the tangent is t·f'(x), and the backward's derivative R(dx) = R(dy)·f'(x) + dy·f''(x)·t, with f'' from
/// <c>second</c>(x, y) (zero for the piecewise-linear ones).
/// </remarks>
internal sealed class Activation(string opType, Func<float, float> f, Func<float, float, float> derivative, Func<float, float, float> second, ArrayFunction? vectorized = null) : Operator
{
    public override string OpType => opType;

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!.F;
        var y = Arena.Floats(x.Length);
        if (vectorized is not null) vectorized(x, y);
        else for (int i = 0; i < x.Length; i++) y[i] = f(x[i]);
        return [Tensor.FromFloats(inputs[0]!.Shape, y)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!.F;
        var y = outputs[0].F;
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * derivative(x[i], y[i]);
        return [Tensor.FromFloats(inputs[0]!.Shape, dx)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Diagonal(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] BackwardTangent(SecondOrderArgs a)
    {
        var x = a.Inputs[0]!.F;
        var y = a.Outputs[0].F;
        var (dy, rdy, t) = (a.Gradients[0]?.F, a.GradientTangents[0]?.F, a.TangentOf(0)?.F);
        if (dy is null || (rdy is null && t is null)) return [null];
        var r = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = (rdy is null ? 0 : rdy[i] * derivative(x[i], y[i])) + (t is null ? 0 : dy[i] * second(x[i], y[i]) * t[i]);
        return [Tensor.FromFloats(a.Inputs[0]!.Shape, r)];
    }

    /// <summary>The activations without parameters beyond their attributes' defaults.</summary>
    public static IEnumerable<Operator> All()
    {
        yield return new Relu();
        yield return new Activation("Sigmoid", x => 1f / (1f + MathF.Exp(-x)), (_, y) => y * (1 - y), (_, y) => y * (1 - y) * (1 - 2 * y), TensorPrimitives.Sigmoid);
        yield return new Activation("Tanh", MathF.Tanh, (_, y) => 1 - y * y, (_, y) => -2 * y * (1 - y * y), TensorPrimitives.Tanh);
        yield return new Activation("Erf", Erf.Of, (x, _) => 1.1283791671f * MathF.Exp(-x * x), (x, _) => -2 * x * 1.1283791671f * MathF.Exp(-x * x), Erf.Of);
        yield return new Activation("Sqrt", MathF.Sqrt, (_, y) => 0.5f / y, (_, y) => -0.25f / (y * y * y), TensorPrimitives.Sqrt);
        yield return new Activation("Exp", MathF.Exp, (_, y) => y, (_, y) => y, TensorPrimitives.Exp);
        yield return new Activation("Log", MathF.Log, (x, _) => 1 / x, (x, _) => -1 / (x * x));
        yield return new Activation("Neg", x => -x, (_, _) => -1, (_, _) => 0);
        yield return new Activation("Abs", MathF.Abs, (x, _) => MathF.Sign(x), (_, _) => 0);
        yield return new Activation("Reciprocal", x => 1 / x, (_, y) => -y * y, (_, y) => 2 * y * y * y);
        yield return new Activation("Identity", x => x, (_, _) => 1, (_, _) => 0);
        yield return new Activation("Dropout", x => x, (_, _) => 1, (_, _) => 0);
        yield return new Activation("HardSwish",
            x => x * MathF.Min(1, MathF.Max(0, x / 6 + 0.5f)),
            (x, _) => x <= -3 ? 0 : x < 3 ? x / 3 + 0.5f : 1,
            (x, _) => x > -3 && x < 3 ? 1 / 3f : 0);  // f'' as torch's double backward of hardswish: 1/3 inside (−3, 3)
        yield return new HardSigmoid();
        yield return new Clip();
    }
}

/// <summary>ReLU, the hottest activation: vectorised forward, gradient passed where y &gt; 0.</summary>
internal sealed class Relu : Operator, IClamp
{
    public override string OpType => "Relu";

    public (float Lo, float Hi)? Bounds(Node node, Tensor?[] inputs) => (0f, float.PositiveInfinity);

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!.F;
        var y = Arena.Floats(x.Length);
        Clamp.Apply(x, y, (0f, float.PositiveInfinity));
        return [Tensor.FromFloats(inputs[0]!.Shape, y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Diagonal(this, a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var y = outputs[0].F;
        var dy = outputGradients[0]!.F;
        var dx = new float[y.Length];
        for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
        return [Tensor.FromFloats(outputs[0].Shape, dx)];
    }
}

/// <summary>HardSigmoid y = clamp(alpha·x + beta, 0, 1).</summary>
internal sealed class HardSigmoid : Operator
{
    public override string OpType => "HardSigmoid";

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        float alpha = node.Attributes.Float("alpha", 0.2f), beta = node.Attributes.Float("beta", 0.5f);
        var x = inputs[0]!.F;
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Min(1, MathF.Max(0, alpha * x[i] + beta));
        return [Tensor.FromFloats(inputs[0]!.Shape, y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Diagonal(this, a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        float alpha = node.Attributes.Float("alpha", 0.2f), beta = node.Attributes.Float("beta", 0.5f);
        var x = inputs[0]!.F;
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float z = alpha * x[i] + beta;
            dx[i] = z > 0 && z < 1 ? dy[i] * alpha : 0;
        }
        return [Tensor.FromFloats(inputs[0]!.Shape, dx)];
    }
}

/// <summary>Clip between optional min and max (inputs since opset 11, attributes before); ReLU6 exports as Clip(0, 6).</summary>
internal sealed class Clip : Operator, IClamp
{
    public override string OpType => "Clip";

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    private static (float Min, float Max) Bounds(Node node, Tensor?[] inputs) => (
        inputs.Length > 1 && inputs[1] is { } lo ? lo.F[0] : node.Attributes.Float("min", float.NegativeInfinity),
        inputs.Length > 2 && inputs[2] is { } hi ? hi.F[0] : node.Attributes.Float("max", float.PositiveInfinity));

    (float Lo, float Hi)? IClamp.Bounds(Node node, Tensor?[] inputs)
    {
        for (int k = 1; k < node.Inputs.Count; k++)
            if (node.Inputs[k].Length > 0 && (k >= inputs.Length || inputs[k] is not { Floats.Length: > 0 })) return null;
        return Bounds(node, inputs);
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var (min, max) = Bounds(node, inputs);
        var x = inputs[0]!.F;
        var y = Arena.Floats(x.Length);
        Clamp.Apply(x, y, (min, max));
        return [Tensor.FromFloats(inputs[0]!.Shape, y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Diagonal(this, a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (min, max) = Bounds(node, inputs);
        var x = inputs[0]!.F;
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > min && x[i] < max ? dy[i] : 0;
        return [Tensor.FromFloats(inputs[0]!.Shape, dx)];
    }
}

/// <summary>The error function, to 1.5e-7 absolute (Abramowitz and Stegun 7.1.26), below float32 resolution near 1.</summary>
internal static class Erf
{
    /// <summary>erf(x), in float arithmetic (its error stays near float resolution).</summary>
    public static float Of(float x)
    {
        float z = MathF.Abs(x), t = 1 / (1 + 0.3275911f * z);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        float r = 1 - poly * MathF.Exp(-z * z);
        return x < 0 ? -r : r;
    }

    /// <summary>erf over a whole array, the same formula in TensorPrimitives steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Of(ReadOnlySpan<float> x, Span<float> y)
    {
        var z = new float[x.Length];
        var t = new float[x.Length];
        TensorPrimitives.Abs(x, z);
        TensorPrimitives.Multiply(z, 0.3275911f, t);
        TensorPrimitives.Add(t, 1f, t);
        TensorPrimitives.Reciprocal(t, t);
        // poly = t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5)))), Horner from the inside
        TensorPrimitives.Multiply(t, 1.061405429f, y);
        TensorPrimitives.Add(y, -1.453152027f, y);
        TensorPrimitives.MultiplyAdd(y, t, 1.421413741f, y);
        TensorPrimitives.MultiplyAdd(y, t, -0.284496736f, y);
        TensorPrimitives.MultiplyAdd(y, t, 0.254829592f, y);
        TensorPrimitives.Multiply(y, t, y);
        TensorPrimitives.Multiply(z, z, z);
        TensorPrimitives.Negate(z, z);
        TensorPrimitives.Exp(z, z);
        TensorPrimitives.Multiply(y, z, y);                     // poly·exp(−z²)
        for (int i = 0; i < y.Length; i++) y[i] = x[i] < 0 ? y[i] - 1 : 1 - y[i];
    }
}
