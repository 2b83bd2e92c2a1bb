using CamAssert.Models;
using System.Numerics.Tensors;
using Tensor = CamAssert.Models.Tensor;
using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Broadcasting arithmetic (Add, Sub, Mul, Div, Pow) on floats and on the int64 shape arithmetic
/// torch.onnx emits. Backward sums each input's gradient back over its broadcast axes.
/// </summary>
internal sealed class Binary(string opType) : Operator, IClampFusable
{
    public override string OpType => opType;

    public static IEnumerable<Operator> All() => new[] { "Add", "Sub", "Mul", "Div", "Pow" }.Select(o => new Binary(o));

    public override OutputType[] InferShapes(ShapeContext ctx) => [new(ctx.Type(0), ShapeMath.Broadcast(ctx.Shape(0), ctx.Shape(1)))];

    public override Tensor[] Forward(Node node, Tensor?[] inputs) => Forward(node, inputs, null);

    /// <summary>The forward, clamped chunk by chunk while each chunk is in cache (a residual sum and its Relu).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor[] Forward(Node node, Tensor?[] inputs, (float Lo, float Hi)? clamp)
    {
        var shape = ShapeMath.Broadcast(inputs[0]!.Shape, inputs[1]!.Shape);
        var a = Broadcasting.To(inputs[0]!, shape);
        var b = Broadcasting.To(inputs[1]!, shape);
        if (a.Floats is null) return [Tensor.FromInts(shape, Ints(a.I, b.Ints ?? b.F.Select(f => (long)f).ToArray()), a.Type)];
        var x = a.F;
        var y = b.Floats ?? b.I.Select(v => (float)v).ToArray();
        var r = Arena.Floats(x.Length);
        const int chunk = 4096;
        for (int start = 0; start < r.Length; start += chunk)
        {
            int length = Math.Min(chunk, r.Length - start);
            Compute(x.AsSpan(start, length), y.AsSpan(start, length), r.AsSpan(start, length));
            if (clamp is { } bounds) Clamp.Apply(r.AsSpan(start, length), r.AsSpan(start, length), bounds);
        }
        return [Tensor.FromFloats(shape, r)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r)
    {
        switch (opType)
        {
            case "Add": TensorPrimitives.Add(x, y, r); break;
            case "Sub": TensorPrimitives.Subtract(x, y, r); break;
            case "Mul": TensorPrimitives.Multiply(x, y, r); break;
            case "Div": TensorPrimitives.Divide(x, y, r); break;
            default: for (int i = 0; i < r.Length; i++) r[i] = Pow(x[i], y[i]); break;
        }
    }

    /// <summary>Powers as PyTorch computes them: squares exactly, other exponents through MathF.Pow.</summary>
    private static float Pow(float x, float e) => e == 2 ? x * x : e == 0.5f ? MathF.Sqrt(x) : MathF.Pow(x, e);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long[] Ints(long[] x, long[] y)
    {
        var r = new long[x.Length];
        for (int i = 0; i < r.Length; i++)
            r[i] = opType switch
            {
                "Add" => x[i] + y[i],
                "Sub" => x[i] - y[i],
                "Mul" => x[i] * y[i],
                "Div" => y[i] == 0 ? throw new ArgumentException("integer division by zero") : x[i] / y[i],
                _ => (long)Math.Pow(x[i], y[i]),
            };
        return r;
    }

    /// <summary>Second order: Add and Sub are linear, Mul bilinear; Div and Pow (with a fixed exponent) add their second derivatives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Tangent(SecondOrderArgs a)
    {
        if (SecondOrder.NoneVary(a.Tangents) || a.Outputs[0].Floats is null) return [null];
        if (opType is "Add" or "Sub") return SecondOrder.Affine(this, a, linear: true, 0, 1);
        if (opType == "Mul") return SecondOrder.BilinearTangent(this, a);
        var shape = a.Outputs[0].Shape;
        var (x, y) = (Broadcasting.To(a.Inputs[0]!, shape).F, Broadcasting.To(a.Inputs[1]!, shape).F);
        var (tx, ty) = (a.TangentOf(0) is { } t0 ? Broadcasting.To(t0, shape).F : null, a.TangentOf(1) is { } t1 ? Broadcasting.To(t1, shape).F : null);
        if (opType == "Pow" && ty is not null) throw SecondOrder.Unsupported(a.Node, "for an exponent that varies with the layer");
        var r = new float[x.Length];
        for (int i = 0; i < r.Length; i++)
            r[i] = opType == "Div"
                ? (tx is null ? 0 : tx[i] / y[i]) - (ty is null ? 0 : x[i] * ty[i] / (y[i] * y[i]))
                : tx![i] * PowDerivative(x[i], y[i]);
        return [Tensor.FromFloats(shape, r)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] BackwardTangent(SecondOrderArgs a)
    {
        if (opType is "Add" or "Sub") return SecondOrder.ThroughBackward(this, a);
        if (opType == "Mul") return SecondOrder.BilinearBackwardTangent(this, a);
        if (a.Gradients[0] is not { } gradient) return [null, null];
        var shape = gradient.Shape;
        var (g, rg) = (gradient.F, a.GradientTangents[0]?.F);
        var (x, y) = (Broadcasting.To(a.Inputs[0]!, shape).F, Broadcasting.To(a.Inputs[1]!, shape).F);
        var (tx, ty) = (a.TangentOf(0) is { } t0 ? Broadcasting.To(t0, shape).F : null, a.TangentOf(1) is { } t1 ? Broadcasting.To(t1, shape).F : null);
        var (rx, ry) = (new float[g.Length], new float[g.Length]);
        for (int i = 0; i < g.Length; i++)
        {
            float r = rg is null ? 0 : rg[i];
            if (opType == "Div")
            {
                float b2 = y[i] * y[i];
                rx[i] = r / y[i] - (ty is null ? 0 : g[i] * ty[i] / b2);
                ry[i] = -r * x[i] / b2 - (tx is null ? 0 : g[i] * tx[i] / b2) + (ty is null ? 0 : 2 * g[i] * x[i] * ty[i] / (b2 * y[i]));
            }
            else rx[i] = r * PowDerivative(x[i], y[i]) + (tx is null ? 0 : g[i] * PowSecond(x[i], y[i]) * tx[i]);
        }
        return
        [
            a.Inputs[0]!.Floats is null ? null : Broadcasting.SumTo(Tensor.FromFloats(shape, rx), a.Inputs[0]!.Shape),
            a.Inputs[1]!.Floats is null || opType == "Pow" ? null : Broadcasting.SumTo(Tensor.FromFloats(shape, ry), a.Inputs[1]!.Shape),
        ];
    }

    private static float PowDerivative(float a, float e) => e == 2 ? 2 * a : e * MathF.Pow(a, e - 1);

    private static float PowSecond(float a, float e) => e == 2 ? 2 : e * (e - 1) * MathF.Pow(a, e - 2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var dy = outputGradients[0]!;
        var shape = dy.Shape;
        var g = dy.F;
        float[]? da = null, db = null;
        switch (opType)
        {
            case "Add": da = g; db = g; break;
            case "Sub": da = g; db = new float[g.Length]; TensorPrimitives.Negate(g, db); break;
            case "Mul":
            {
                var a = Broadcasting.To(inputs[0]!, shape).F;
                var b = Broadcasting.To(inputs[1]!, shape).F;
                da = new float[g.Length]; TensorPrimitives.Multiply(g, b, da);
                db = new float[g.Length]; TensorPrimitives.Multiply(g, a, db);
                break;
            }
            case "Div":
            {
                var a = Broadcasting.To(inputs[0]!, shape).F;
                var b = Broadcasting.To(inputs[1]!, shape).F;
                da = new float[g.Length]; TensorPrimitives.Divide(g, b, da);
                db = new float[g.Length];
                for (int i = 0; i < g.Length; i++) db[i] = -g[i] * a[i] / (b[i] * b[i]);
                break;
            }
            default:
            {
                var a = Broadcasting.To(inputs[0]!, shape).F;
                var e = Broadcasting.To(inputs[1]!, shape).F;
                da = new float[g.Length];
                for (int i = 0; i < g.Length; i++) da[i] = g[i] * PowDerivative(a[i], e[i]);
                break;
            }
        }
        return
        [
            inputs[0]!.Floats is null ? null : Broadcasting.SumTo(Tensor.FromFloats(shape, da), inputs[0]!.Shape),
            inputs[1]!.Floats is null || db is null ? null : Broadcasting.SumTo(Tensor.FromFloats(shape, db), inputs[1]!.Shape),
        ];
    }
}
