using CamAssert.Models;
using CamAssert.Onnx.Engine.Kernels;
using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// 2-D convolution with groups, dilation, strides, pads and auto_pad. Dense groups run as one
/// matrix multiply of the weights (packed once, <see cref="PackedRows"/>) by the windows (read in
/// place, <see cref="WindowColumns"/>); depthwise convolutions (one input channel per group)
/// take a direct path. Backward gives the input gradient (CAMs need no weight gradients).
/// </summary>
internal sealed class Conv : Operator, IClampFusable
{
    public override string OpType => "Conv";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        var w = ctx.Shape(1);
        if (x is null || w is null) return [new(DataType.Float32, null)];
        if (x.Rank != 4 || w.Rank != 4) throw new ArgumentException($"only 2-D convolution (rank-4 input and weight) is supported, but found input {x} and weight {w}");
        long groups = ctx.Node.Attributes.Int("group", 1);
        if (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value * groups)
            throw new ArgumentException($"the input has {x[1]} channels but the weight {w} with group={groups} expects {w[1].Value * groups}");
        Dim oh = Dim.Unknown, ow = Dim.Unknown;
        if (x[2].IsKnown && x[3].IsKnown && w[2].IsKnown && w[3].IsKnown)
        {
            var win = Window.Of(ctx.Node, (int)x[2].Value, (int)x[3].Value, (int)w[2].Value, (int)w[3].Value);
            (oh, ow) = (win.OutH, win.OutW);
        }
        return [new(DataType.Float32, new Shape([x[0], w[0], oh, ow]))];
    }

    private static (Window Win, int Groups) Geometry(Node node, Tensor x, Tensor w)
    {
        if (x.Rank != 4 || w.Rank != 4) throw new ArgumentException($"only 2-D convolution is supported, but found input {x} and weight {w}");
        int groups = (int)node.Attributes.Int("group", 1);
        if (groups < 1 || x.Shape[1] != w.Shape[1] * groups || w.Shape[0] % groups != 0)
            throw new ArgumentException($"input {x} and weight {w} do not agree with group={groups}");
        return (Window.Of(node, x.Shape[2], x.Shape[3], w.Shape[2], w.Shape[3]), groups);
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs) => Forward(node, inputs, null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor[] Forward(Node node, Tensor?[] inputs, (float Lo, float Hi)? clamp)
    {
        var (x, w, bias) = (inputs[0]!, inputs[1]!, inputs.Length > 2 ? inputs[2] : null);
        var (win, groups) = Geometry(node, x, w);
        int n = x.Shape[0], c = x.Shape[1], m = w.Shape[0], cg = c / groups, mg = m / groups;
        int plane = win.OutH * win.OutW, inPlane = win.InH * win.InW, k = cg * win.KernelH * win.KernelW;
        var y = Arena.Floats(checked(n * m * plane));
        var xf = x.F;
        var wf = w.F;
        if (cg == 1)
        {
            Depthwise.Forward(xf, wf, bias is null ? default : bias.F, y, n, c, m / c, win, clamp);
        }
        else
        {
            // Weights packed once per model; the windows read in place (a padded copy unless one image
            // of a pointwise convolution), a batch's images side by side as one product per group.
            var packed = PackedRows.Of(wf, groups, mg, k);
            for (int g = 0; g < groups; g++)
            {
                using var windows = WindowColumns.Of(xf, g * cg * inPlane, cg, win, images: n, imageStride: c * inPlane);
                windows.Multiply(packed[g], y.AsSpan(g * mg * plane), bias is null ? default : bias.F.AsSpan(g * mg, mg), clamp, imageStride: m * plane);
            }
        }
        return [Tensor.FromFloats([n, m, win.OutH, win.OutW], y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: false, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (x, w) = (inputs[0]!, inputs[1]!);
        var (win, groups) = Geometry(node, x, w);
        int n = x.Shape[0], c = x.Shape[1], m = w.Shape[0], cg = c / groups, mg = m / groups;
        int plane = win.OutH * win.OutW, inPlane = win.InH * win.InW, k = cg * win.KernelH * win.KernelW;
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        if (cg == 1)
            Depthwise.Backward(dy, w.F, dx, n, c, m / c, win);
        else
        {
            bool direct = Im2Col.IsIdentity(win);
            var wt = new float[(long)groups * k * mg];
            for (int g = 0; g < groups; g++)
                for (int o = 0; o < mg; o++)
                    for (int kk = 0; kk < k; kk++)
                        wt[g * k * mg + kk * mg + o] = w.F[(g * mg + o) * k + kk];
            var dcol = direct ? null : new float[(long)k * plane];
            for (int b = 0; b < n; b++)
                for (int g = 0; g < groups; g++)
                {
                    var target = dx.AsSpan((b * c + g * cg) * inPlane, cg * inPlane);
                    MatrixMultiply.Run(wt.AsSpan(g * k * mg, k * mg), dy.AsSpan((b * m + g * mg) * plane, mg * plane), direct ? target : dcol, k, mg, plane);
                    if (!direct) Im2Col.Scatter(dcol!, target, cg, win);
                }
        }
        return [Tensor.FromFloats(x.Shape, dx), null, null];
    }
}
