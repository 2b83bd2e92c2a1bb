using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>
/// The sliding window of a 2-D convolution or pooling: kernel, strides, dilations, padding
/// (explicit or auto_pad) and ceil_mode, and the output size they give.
/// </summary>
internal sealed class Window
{
    public int KernelH, KernelW, StrideH, StrideW, DilationH, DilationW, PadTop, PadLeft, PadBottom, PadRight;
    public int InH, InW, OutH, OutW;

    /// <summary>Reads the window attributes of <paramref name="node"/> for an input of <paramref name="inH"/>×<paramref name="inW"/>.</summary>
    public static Window Of(Node node, int inH, int inW, int kernelH, int kernelW, bool ceilMode = false)
    {
        var a = node.Attributes;
        var strides = a.Ints("strides") ?? [1, 1];
        var dilations = a.Ints("dilations") ?? [1, 1];
        var pads = a.Ints("pads") ?? [0, 0, 0, 0];
        if (strides.Length != 2 || dilations.Length != 2 || pads.Length != 4)
            throw new ArgumentException($"only 2-D windows are supported, but strides/dilations/pads have {strides.Length}/{dilations.Length}/{pads.Length} values");
        var w = new Window
        {
            KernelH = kernelH, KernelW = kernelW, InH = inH, InW = inW,
            StrideH = (int)strides[0], StrideW = (int)strides[1], DilationH = (int)dilations[0], DilationW = (int)dilations[1],
            PadTop = (int)pads[0], PadLeft = (int)pads[1], PadBottom = (int)pads[2], PadRight = (int)pads[3],
        };
        if (w.StrideH < 1 || w.StrideW < 1 || w.DilationH < 1 || w.DilationW < 1 || pads.Any(p => p < 0) || kernelH < 1 || kernelW < 1)
            throw new ArgumentException("strides, dilations and kernel sizes must be positive and pads non-negative");
        string autoPad = a.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            (w.PadTop, w.PadBottom) = SamePads(inH, w.StrideH, w.DilationH * (kernelH - 1) + 1, autoPad == "SAME_UPPER");
            (w.PadLeft, w.PadRight) = SamePads(inW, w.StrideW, w.DilationW * (kernelW - 1) + 1, autoPad == "SAME_UPPER");
        }
        else if (autoPad == "VALID") w.PadTop = w.PadLeft = w.PadBottom = w.PadRight = 0;
        w.OutH = OutSize(inH, w.PadTop + w.PadBottom, w.DilationH * (kernelH - 1) + 1, w.StrideH, ceilMode, w.PadTop);
        w.OutW = OutSize(inW, w.PadLeft + w.PadRight, w.DilationW * (kernelW - 1) + 1, w.StrideW, ceilMode, w.PadLeft);
        if (w.OutH < 1 || w.OutW < 1)
            throw new ArgumentException($"a {kernelH}×{kernelW} window does not fit an input of {inH}×{inW} with these pads");
        return w;
    }

    private static (int Begin, int End) SamePads(int size, int stride, int extent, bool upper)
    {
        int outSize = (size + stride - 1) / stride;
        int total = Math.Max(0, (outSize - 1) * stride + extent - size);
        return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
    }

    private static int OutSize(int size, int pads, int extent, int stride, bool ceil, int padBegin)
    {
        int span = size + pads - extent;
        if (span < 0) return 0;
        int o = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        // As in PyTorch: with ceil_mode the last window must start inside the input or the leading pad.
        if (ceil && (o - 1) * stride >= size + padBegin) o--;
        return o;
    }
}
