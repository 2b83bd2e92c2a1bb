using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Resize (opset 11+: inputs X, roi, scales, sizes; opset 10: X, scales) in "linear" and
/// "nearest" mode, with the coordinate transformations torch.onnx emits for F.interpolate
/// (half_pixel, pytorch_half_pixel, align_corners, asymmetric). Linear is separable: one
/// two-tap pass per resized axis, the last axis first, so a bilinear resize does PyTorch's
/// arithmetic h0·(w0·a + w1·b) + h1·(w0·c + w1·d). Backward runs the passes' transposes in
/// reverse order, adding each output gradient onto the taps it was read from.
/// </summary>
internal sealed class Resize : Operator
{
    public override string OpType => "Resize";

    /// <summary>For one axis: per output index, the two input taps and their weights (nearest: one tap, weight 1).</summary>
    private readonly record struct Axis(int In, int Out, int[] I0, int[] I1, float[] W0, float[] W1);

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null) return [new(ctx.Type(0), null)];
        var (scales, sizes) = (ctx.Count > 2 ? ctx.Constant(2)?.Floats : ctx.Constant(1)?.Floats, ctx.Count > 3 ? ctx.Ints(3) : null);
        if (ctx.Count > 3 && ctx.Has(3) && sizes is null) return [new(ctx.Type(0), new Shape(x.Dims.Select(_ => Dim.Unknown).ToArray()))];
        if (sizes is null && (scales is null || scales.Length == 0)) return [new(ctx.Type(0), new Shape(x.Dims.Select(_ => Dim.Unknown).ToArray()))];
        var dims = x.Dims.Select((d, i) => sizes is not null ? new Dim(sizes[i])
            : d.IsKnown ? new Dim((long)Math.Floor(d.Value * (double)scales![i])) : Dim.Unknown).ToArray();
        return [new(ctx.Type(0), new Shape(dims))];
    }

    /// <summary>The output size and the (x_resized → x_original) scale of every axis, from the scales or sizes input.</summary>
    private static (int[] Shape, double[] Scale) Target(Node node, Tensor?[] inputs, int[] shape)
    {
        var scales = inputs.Length > 2 ? inputs[2]?.F : inputs.Length == 2 ? inputs[1]?.F : null;
        var sizes = inputs.Length > 3 ? inputs[3]?.I : null;
        if (sizes is { Length: > 0 })
        {
            if (sizes.Length != shape.Length) throw new ArgumentException($"Resize node '{node.Name}': sizes has {sizes.Length} values; its rank-{shape.Length} input {Tensor.ShapeText(shape)} needs {shape.Length}");
            return (sizes.Select(s => checked((int)s)).ToArray(), shape.Select((d, i) => (double)sizes[i] / d).ToArray());
        }
        if (scales is not { Length: > 0 }) throw new ArgumentException($"Resize node '{node.Name}' has neither scales nor sizes");
        if (scales.Length != shape.Length) throw new ArgumentException($"Resize node '{node.Name}': scales has {scales.Length} values; its rank-{shape.Length} input {Tensor.ShapeText(shape)} needs {shape.Length}");
        return (shape.Select((d, i) => (int)Math.Floor(d * (double)scales[i])).ToArray(), scales.Select(s => (double)s).ToArray());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Axis[] Axes(Node node, Tensor?[] inputs, int[] shape)
    {
        string mode = node.Attributes.String("mode", "nearest");
        string transform = node.Attributes.String("coordinate_transformation_mode", "half_pixel");
        string rounding = node.Attributes.String("nearest_mode", "round_prefer_floor");
        if (mode is not ("linear" or "nearest"))
            throw new NotSupportedException($"Resize node '{node.Name}' uses mode '{mode}'; the engine supports 'linear' and 'nearest' (export with F.interpolate(mode='bilinear' or 'nearest')).");
        if (node.Attributes.Int("antialias", 0) != 0)
            throw new NotSupportedException($"Resize node '{node.Name}' sets antialias; the engine resizes without it (export with F.interpolate(antialias=False)).");
        if (node.Attributes.Has("axes") || node.Attributes.String("keep_aspect_ratio_policy", "stretch") != "stretch")
            throw new NotSupportedException($"Resize node '{node.Name}' uses opset 18's axes or keep_aspect_ratio_policy; the engine takes scales or sizes for every axis (export at opset 13 to 17).");
        if (transform is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric"))
            throw new NotSupportedException($"Resize node '{node.Name}' uses coordinate_transformation_mode '{transform}'; the engine supports half_pixel, pytorch_half_pixel, align_corners and asymmetric.");
        var (outShape, scale) = Target(node, inputs, shape);
        var axes = new Axis[shape.Length];
        for (int a = 0; a < shape.Length; a++)
        {
            int n = shape[a], m = outShape[a];
            if (m < 0) throw new ArgumentException($"Resize node '{node.Name}' asks for size {m} on axis {a}");
            var (i0, i1, w0, w1) = (new int[m], new int[m], new float[m], new float[m]);
            for (int o = 0; o < m; o++)
            {
                double x = transform switch
                {
                    "align_corners" => m == 1 ? 0 : o * (n - 1) / (double)(m - 1),
                    "asymmetric" => o / scale[a],
                    "pytorch_half_pixel" when m == 1 => 0,
                    _ => (o + 0.5) / scale[a] - 0.5,
                };
                if (mode == "nearest")
                {
                    int k = rounding switch
                    {
                        "floor" => (int)Math.Floor(x),
                        "ceil" => (int)Math.Ceiling(x),
                        "round_prefer_ceil" => (int)Math.Floor(x + 0.5),
                        _ => (int)Math.Ceiling(x - 0.5),
                    };
                    i0[o] = i1[o] = Math.Clamp(k, 0, n - 1);
                    w0[o] = 1;
                    continue;
                }
                x = Math.Clamp(x, 0, n - 1);
                int lo = (int)Math.Floor(x);
                float t = (float)(x - lo);
                (i0[o], i1[o], w0[o], w1[o]) = (lo, Math.Min(lo + 1, n - 1), 1 - t, t);
            }
            axes[a] = new Axis(n, m, i0, i1, w0, w1);
        }
        return axes;
    }

    private static bool Identity(Axis a) => a.In == a.Out && a.W1.All(w => w == 0) && a.I0.Select((k, o) => k == o).All(b => b);

    /// <summary>One pass along <paramref name="axis"/>: y[.., o, ..] = w0·x[.., i0, ..] + w1·x[.., i1, ..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Pass(float[] x, int[] shape, int axis, Axis a)
    {
        int outer = shape[..axis].Aggregate(1, (p, d) => p * d), inner = shape[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        var y = new float[outer * a.Out * inner];
        for (int b = 0; b < outer; b++)
            for (int o = 0; o < a.Out; o++)
            {
                int src0 = (b * a.In + a.I0[o]) * inner, src1 = (b * a.In + a.I1[o]) * inner, dst = (b * a.Out + o) * inner;
                float w0 = a.W0[o], w1 = a.W1[o];
                if (w1 == 0) for (int j = 0; j < inner; j++) y[dst + j] = w0 * x[src0 + j];
                else for (int j = 0; j < inner; j++) y[dst + j] = w0 * x[src0 + j] + w1 * x[src1 + j];
            }
        return y;
    }

    /// <summary>The transpose of <see cref="Pass"/>: each output gradient added onto its two taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] PassBack(float[] dy, int[] inShape, int axis, Axis a)
    {
        int outer = inShape[..axis].Aggregate(1, (p, d) => p * d), inner = inShape[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        var dx = new float[outer * a.In * inner];
        for (int b = 0; b < outer; b++)
            for (int o = 0; o < a.Out; o++)
            {
                int src0 = (b * a.In + a.I0[o]) * inner, src1 = (b * a.In + a.I1[o]) * inner, dst = (b * a.Out + o) * inner;
                float w0 = a.W0[o], w1 = a.W1[o];
                for (int j = 0; j < inner; j++) dx[src0 + j] += w0 * dy[dst + j];
                if (w1 != 0) for (int j = 0; j < inner; j++) dx[src1 + j] += w1 * dy[dst + j];
            }
        return dx;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var axes = Axes(node, inputs, x.Shape);
        var shape = (int[])x.Shape.Clone();
        var values = x.F;
        for (int a = axes.Length - 1; a >= 0; a--)
        {
            if (Identity(axes[a])) continue;
            values = Pass(values, shape, a, axes[a]);
            shape[a] = axes[a].Out;
        }
        return [Tensor.FromFloats(shape, values == x.F ? (float[])values.Clone() : values)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var axes = Axes(node, inputs, x.Shape);
        // The shapes before each pass, in the forward's order (last axis first).
        var shape = (int[])x.Shape.Clone();
        var before = new List<(int Axis, int[] Shape)>();
        for (int a = axes.Length - 1; a >= 0; a--)
        {
            if (Identity(axes[a])) continue;
            before.Add((a, (int[])shape.Clone()));
            shape[a] = axes[a].Out;
        }
        var g = outputGradients[0]!.F;
        for (int p = before.Count - 1; p >= 0; p--) g = PassBack(g, before[p].Shape, before[p].Axis, axes[before[p].Axis]);
        return [Tensor.FromFloats(x.Shape, g == outputGradients[0]!.F ? (float[])g.Clone() : g), null, null, null];
    }
}
