using CamAssert.Models;
using CamAssert.Onnx.Engine.Kernels;
using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Operators;

/// <summary>Gemm: Y = alpha·A'·B' + beta·C, with A' and B' optionally transposed (nn.Linear exports as Gemm with transB=1).</summary>
internal sealed class Gemm : Operator
{
    public override string OpType => "Gemm";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var (a, b) = (ctx.Shape(0), ctx.Shape(1));
        if (a is null || b is null) return [new(DataType.Float32, null)];
        bool ta = ctx.Node.Attributes.Int("transA", 0) == 1, tb = ctx.Node.Attributes.Int("transB", 0) == 1;
        Dim ka = ta ? a[0] : a[1], kb = tb ? b[1] : b[0];
        if (ka.IsKnown && kb.IsKnown && ka.Value != kb.Value)
            throw new ArgumentException($"cannot multiply {a} by {b}{(tb ? " (transposed)" : "")}: inner sizes {ka} and {kb} differ");
        return [new(DataType.Float32, new Shape([ta ? a[1] : a[0], tb ? b[0] : b[1]]))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var attrs = node.Attributes;
        bool ta = attrs.Int("transA", 0) == 1, tb = attrs.Int("transB", 0) == 1;
        float alpha = attrs.Float("alpha", 1), beta = attrs.Float("beta", 1);
        var a = ta ? Matrices.Transpose(inputs[0]!) : inputs[0]!;
        int m = a.Shape[0], k = a.Shape[1];
        Tensor b;
        float[] y;
        if (tb && m <= MatrixVector.MaxRows)
        {
            b = inputs[1]!;
            if (b.Shape[1] != k) throw new ArgumentException($"cannot multiply {a} by {b} (transposed)");
            y = new float[m * b.Shape[0]];
            MatrixVector.RowsTimesTransposed(a.F, b.F, y, m, k, b.Shape[0]);
        }
        else
        {
            b = tb ? Matrices.Transpose(inputs[1]!) : inputs[1]!;
            if (b.Shape[0] != k) throw new ArgumentException($"cannot multiply {a} by {b}");
            y = new float[m * b.Shape[1]];
            MatrixMultiply.Run(a.F, b.F, y, m, k, b.Shape[1]);
        }
        int n = y.Length / Math.Max(m, 1);
        if (alpha != 1) for (int i = 0; i < y.Length; i++) y[i] *= alpha;
        if (inputs.Length > 2 && inputs[2] is { } c && beta != 0)
        {
            var cf = Broadcasting.To(c, [m, n]).F;
            for (int i = 0; i < y.Length; i++) y[i] += beta * cf[i];
        }
        return [Tensor.FromFloats([m, n], y)];
    }

    /// <summary>Gradient for A only: B and C are the layer's weights and bias.</summary>
    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: false, a.TangentOf(1) is null ? 0 : 1);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var attrs = node.Attributes;
        bool ta = attrs.Int("transA", 0) == 1, tb = attrs.Int("transB", 0) == 1;
        float alpha = attrs.Float("alpha", 1);
        var dy = outputGradients[0]!;
        var bt = tb ? inputs[1]! : Matrices.Transpose(inputs[1]!); // B'ᵀ
        int m = dy.Shape[0], n = dy.Shape[1], k = bt.Shape[1];
        var da = new float[m * k];
        if (m <= MatrixVector.MaxRows) MatrixVector.RowsTimes(dy.F, bt.F, da, m, n, k);
        else MatrixMultiply.Run(dy.F, bt.F, da, m, n, k);
        if (alpha != 1) for (int i = 0; i < da.Length; i++) da[i] *= alpha;
        var grad = Tensor.FromFloats([m, k], da);
        return [ta ? Matrices.Transpose(grad) : grad, null, null];
    }
}

/// <summary>MatMul with NumPy semantics: batched over leading dimensions, broadcasting them; 1-D operands promoted.</summary>
internal sealed class MatMul : Operator
{
    public override string OpType => "MatMul";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var (a, b) = (ctx.Shape(0), ctx.Shape(1));
        if (a is null || b is null) return [new(ctx.Type(0), null)];
        var ad = a.Rank == 1 ? new[] { new Dim(1), a[0] } : a.Dims.ToArray();
        var bd = b.Rank == 1 ? new[] { b[0], new Dim(1) } : b.Dims.ToArray();
        var batch = ShapeMath.Broadcast(new Shape(ad[..^2]), new Shape(bd[..^2]))!.Dims.ToList();
        if (a.Rank > 1) batch.Add(ad[^2]);
        if (b.Rank > 1) batch.Add(bd[^1]);
        return [new(ctx.Type(0), new Shape(batch))];
    }

    private static (Tensor A, Tensor B, int[] Batch, int M, int K, int N) Prepare(Tensor a, Tensor b)
    {
        var a2 = a.Rank == 1 ? a.Reshaped([1, a.Shape[0]]) : a;
        var b2 = b.Rank == 1 ? b.Reshaped([b.Shape[0], 1]) : b;
        int m = a2.Shape[^2], k = a2.Shape[^1], n = b2.Shape[^1];
        if (b2.Shape[^2] != k) throw new ArgumentException($"cannot multiply {a} by {b}: inner sizes {k} and {b2.Shape[^2]} differ");
        var batch = ShapeMath.Broadcast(a2.Shape[..^2], b2.Shape[..^2]);
        return (Broadcasting.To(a2, [.. batch, m, k]), Broadcasting.To(b2, [.. batch, k, n]), batch, m, k, n);
    }

    private static int[] OutShape(Tensor a, Tensor b, int[] batch, int m, int n) =>
        [.. batch, .. (a.Rank > 1 ? new[] { m } : []), .. (b.Rank > 1 ? new[] { n } : [])];

    /// <summary>A batched A times a plain matrix B (every nn.Linear as MatMul): fold A's batch into its rows, one product.</summary>
    private static bool SharedMatrix(Tensor a, Tensor b) => b.Rank == 2 && a.Rank >= 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        if (SharedMatrix(inputs[0]!, inputs[1]!))
        {
            var (x, w) = (inputs[0]!, inputs[1]!);
            int kk = x.Shape[^1], nn = w.Shape[1], rows = x.Length / Math.Max(1, kk);
            if (w.Shape[0] != kk) throw new ArgumentException($"cannot multiply {x} by {w}: inner sizes {kk} and {w.Shape[0]} differ");
            var r = new float[rows * nn];
            MatrixMultiply.Run(x.F, w.F, r, rows, kk, nn);
            return [Tensor.FromFloats([.. x.Shape[..^1], nn], r)];
        }
        var (a, b, batch, m, k, n) = Prepare(inputs[0]!, inputs[1]!);
        int count = ShapeMath.Product(batch, 0, batch.Length);
        var y = new float[count * m * n];
        for (int i = 0; i < count; i++)
            MatrixMultiply.Run(a.F.AsSpan(i * m * k, m * k), b.F.AsSpan(i * k * n, k * n), y.AsSpan(i * m * n, m * n), m, k, n);
        return [Tensor.FromFloats(OutShape(inputs[0]!, inputs[1]!, batch, m, n), y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.BilinearTangent(this, a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.BilinearBackwardTangent(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        Backward(node, inputs, outputs, outputGradients, [true, true]);

    /// <summary>For a shared matrix (nn.Linear's weight) the weight gradient is skipped unless wanted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] wanted)
    {
        if (SharedMatrix(inputs[0]!, inputs[1]!))
        {
            var (x, w, g) = (inputs[0]!, inputs[1]!, outputGradients[0]!.F);
            int kk = x.Shape[^1], nn = w.Shape[1], rows = x.Length / Math.Max(1, kk);
            var dx = new float[x.Length];
            MatrixMultiply.Run(g, Matrices.Transpose(w.F, kk, nn), dx, rows, nn, kk);
            if (wanted.Length > 1 && !wanted[1]) return [Tensor.FromFloats(x.Shape, dx), null];
            var dw = new float[w.Length];
            MatrixMultiply.Run(Matrices.Transpose(x.F, rows, kk), g, dw, kk, rows, nn);
            return [Tensor.FromFloats(x.Shape, dx), Tensor.FromFloats(w.Shape, dw)];
        }
        var (a, b, batch, m, k, n) = Prepare(inputs[0]!, inputs[1]!);
        int count = ShapeMath.Product(batch, 0, batch.Length);
        var dy = outputGradients[0]!.F;
        var da = new float[count * m * k];
        var db = new float[count * k * n];
        for (int i = 0; i < count; i++)
        {
            var g = dy.AsSpan(i * m * n, m * n);
            var bt = Matrices.Transpose(b.F.AsSpan(i * k * n, k * n), k, n);
            var at = Matrices.Transpose(a.F.AsSpan(i * m * k, m * k), m, k);
            MatrixMultiply.Run(g, bt, da.AsSpan(i * m * k, m * k), m, n, k);
            MatrixMultiply.Run(at, g, db.AsSpan(i * k * n, k * n), k, m, n);
        }
        return
        [
            Broadcasting.SumTo(Tensor.FromFloats([.. batch, m, k], da), inputs[0]!.Rank == 1 ? [1, k] : inputs[0]!.Shape).Reshaped(inputs[0]!.Shape),
            Broadcasting.SumTo(Tensor.FromFloats([.. batch, k, n], db), inputs[1]!.Rank == 1 ? [k, 1] : inputs[1]!.Shape).Reshaped(inputs[1]!.Shape),
        ];
    }
}
