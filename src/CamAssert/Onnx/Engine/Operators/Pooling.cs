using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// MaxPool and AveragePool over 2-D windows with pads, dilations and ceil_mode. Average
/// pooling divides as PyTorch does: by the window clipped to the padded input when
/// count_include_pad is set, else by the number of real input elements it covers.
/// </summary>
internal sealed class Pool(bool max) : Operator
{
    public override string OpType => max ? "MaxPool" : "AveragePool";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null) return [new(DataType.Float32, null)];
        if (x.Rank != 4) throw new ArgumentException($"only 2-D pooling is supported, but the input is {x}");
        Dim oh = Dim.Unknown, ow = Dim.Unknown;
        if (x[2].IsKnown && x[3].IsKnown) { var w = Geometry(ctx.Node, (int)x[2].Value, (int)x[3].Value); (oh, ow) = (w.OutH, w.OutW); }
        return [new(DataType.Float32, new Shape([x[0], x[1], oh, ow]))];
    }

    private static Window Geometry(Node node, int h, int w)
    {
        var k = node.Attributes.Ints("kernel_shape") ?? throw new ArgumentException("kernel_shape is required");
        if (k.Length != 2) throw new ArgumentException($"only 2-D pooling is supported, but kernel_shape has {k.Length} values");
        return Window.Of(node, h, w, (int)k[0], (int)k[1], node.Attributes.Int("ceil_mode", 0) == 1);
    }

    /// <summary>Visits each output element's window: (plane, output index, input indices, divisor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Each(Node node, Tensor x, Action<int, int, List<int>, int> visit)
    {
        int planes = x.Shape[0] * x.Shape[1];
        var w = Geometry(node, x.Shape[2], x.Shape[3]);
        bool includePad = node.Attributes.Int("count_include_pad", 0) == 1;
        var cells = new List<int>(w.KernelH * w.KernelW);
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < w.OutH; oy++)
                for (int ox = 0; ox < w.OutW; ox++)
                {
                    cells.Clear();
                    int y0 = oy * w.StrideH - w.PadTop, x0 = ox * w.StrideW - w.PadLeft;
                    for (int ky = 0; ky < w.KernelH; ky++)
                    {
                        int iy = y0 + ky * w.DilationH;
                        if ((uint)iy >= (uint)w.InH) continue;
                        for (int kx = 0; kx < w.KernelW; kx++)
                        {
                            int ix = x0 + kx * w.DilationW;
                            if ((uint)ix < (uint)w.InW) cells.Add(p * w.InH * w.InW + iy * w.InW + ix);
                        }
                    }
                    int divisor = cells.Count;
                    if (includePad)
                        divisor = (Math.Min(y0 + w.KernelH, w.InH + w.PadBottom) - y0) * (Math.Min(x0 + w.KernelW, w.InW + w.PadRight) - x0);
                    visit(p, (p * w.OutH + oy) * w.OutW + ox, cells, divisor);
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var w = Geometry(node, x.Shape[2], x.Shape[3]);
        bool includePad = node.Attributes.Int("count_include_pad", 0) == 1;
        var xf = x.F;
        int planes = x.Shape[0] * x.Shape[1], inPlane = w.InH * w.InW, outPlane = w.OutH * w.OutW;
        var y = Arena.Floats(planes * outPlane);
        if (max)
        {
            Kernels.MaxPooling.Forward(xf, y, planes, w);
            return [Tensor.FromFloats([x.Shape[0], x.Shape[1], w.OutH, w.OutW], y)];
        }
        // Average pooling: the windows of Each, without a delegate; one plane per job.
        Kernels.Parallelism.For(planes, Environment.ProcessorCount, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            var src = xf.AsSpan(p * inPlane, inPlane);
            for (int oy = 0; oy < w.OutH; oy++)
                for (int ox = 0; ox < w.OutW; ox++)
                {
                    int y0 = oy * w.StrideH - w.PadTop, x0 = ox * w.StrideW - w.PadLeft, cells = 0;
                    float acc = 0f;
                    for (int ky = 0; ky < w.KernelH; ky++)
                    {
                        int iy = y0 + ky * w.DilationH;
                        if ((uint)iy >= (uint)w.InH) continue;
                        for (int kx = 0; kx < w.KernelW; kx++)
                        {
                            int ix = x0 + kx * w.DilationW;
                            if ((uint)ix >= (uint)w.InW) continue;
                            acc += src[iy * w.InW + ix];
                            cells++;
                        }
                    }
                    int divisor = includePad
                        ? (Math.Min(y0 + w.KernelH, w.InH + w.PadBottom) - y0) * (Math.Min(x0 + w.KernelW, w.InW + w.PadRight) - x0)
                        : cells;
                    acc /= divisor;
                    y[p * outPlane + oy * w.OutW + ox] = acc;
                }
        });
        return [Tensor.FromFloats([x.Shape[0], x.Shape[1], w.OutH, w.OutW], y)];
    }

    /// <summary>Second order: average pooling is linear; max pooling carries each window's tangent at its first maximum (the backward's choice).</summary>
    public override Tensor?[] Tangent(SecondOrderArgs a)
    {
        if (!max || a.TangentOf(0) is null) return SecondOrder.Affine(this, a, linear: true, 0);
        var (x, t) = (a.Inputs[0]!, a.TangentOf(0)!.F);
        var y = a.Outputs[0];
        var r = new float[y.Length];
        Each(a.Node, x, (_, o, cells, _) => { if (First(x.F, cells) is int best and >= 0) r[o] = t[best]; });
        return [Tensor.FromFloats(y.Shape, r)];
    }

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    /// <summary>The first maximum of a window in window order (NaN wins), as PyTorch routes the gradient; −1 for an empty window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int First(float[] xf, List<int> cells)
    {
        int best = -1;
        float m = float.NegativeInfinity;
        foreach (int i in cells) if (best < 0 || xf[i] > m || float.IsNaN(xf[i])) { m = xf[i]; best = i; }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var xf = x.F;
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        Each(node, x, (_, o, cells, divisor) =>
        {
            if (max)
            {
                // The gradient goes to the first maximum in window order, as in PyTorch.
                int best = First(xf, cells);
                if (best >= 0) dx[best] += dy[o];
            }
            else
                foreach (int i in cells) dx[i] += dy[o] / divisor;
        });
        return [Tensor.FromFloats(x.Shape, dx)];
    }
}

/// <summary>GlobalAveragePool and GlobalMaxPool: one value per channel, keeping 1×1 spatial dimensions.</summary>
internal sealed class GlobalPool(bool max) : Operator
{
    public override string OpType => max ? "GlobalMaxPool" : "GlobalAveragePool";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null) return [new(DataType.Float32, null)];
        return [new(DataType.Float32, new Shape(x.Dims.Select((d, i) => i < 2 ? d : new Dim(1)).ToArray()))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        int planes = x.Shape[0] * x.Shape[1], size = x.Length / Math.Max(1, planes);
        var y = new float[planes];
        for (int p = 0; p < planes; p++)
        {
            var span = x.F.AsSpan(p * size, size);
            y[p] = max ? System.Numerics.Tensors.TensorPrimitives.Max(span) : Mean(span);
        }
        return [Tensor.FromFloats(x.Shape.Select((d, i) => i < 2 ? d : 1).ToArray(), y)];
    }

    /// <summary>Mean in sequential order, as a deterministic reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Mean(ReadOnlySpan<float> v)
    {
        float s = 0;
        foreach (var f in v) s += f;
        return s / v.Length;
    }

    /// <summary>Second order: the average is linear; the maximum carries each plane's tangent at the backward's maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Tangent(SecondOrderArgs a)
    {
        if (!max || a.TangentOf(0) is null) return SecondOrder.Affine(this, a, linear: true, 0);
        var (x, t) = (a.Inputs[0]!, a.TangentOf(0)!.F);
        int planes = x.Shape[0] * x.Shape[1], size = x.Length / Math.Max(1, planes);
        var r = new float[planes];
        for (int p = 0; p < planes; p++) r[p] = t[p * size + System.Numerics.Tensors.TensorPrimitives.IndexOfMax(x.F.AsSpan(p * size, size))];
        return [Tensor.FromFloats(a.Outputs[0].Shape, r)];
    }

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        int planes = x.Shape[0] * x.Shape[1], size = x.Length / Math.Max(1, planes);
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int p = 0; p < planes; p++)
        {
            if (!max) { dx.AsSpan(p * size, size).Fill(dy[p] / size); continue; }
            int at = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(x.F.AsSpan(p * size, size));
            dx[p * size + at] = dy[p];
        }
        return [Tensor.FromFloats(x.Shape, dx)];
    }
}
