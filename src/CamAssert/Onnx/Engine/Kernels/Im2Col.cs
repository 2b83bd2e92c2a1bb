using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Unfolds convolution windows into columns (im2col) so a convolution becomes one matrix
/// multiply, and folds column gradients back onto the input (col2im) for the backward pass.
/// </summary>
internal static class Im2Col
{
    /// <summary>Whether the windows are single pixels read in place (1×1, stride 1, no pads): the unfolded matrix is the input itself.</summary>
    public static bool IsIdentity(Window w) =>
        w.KernelH == 1 && w.KernelW == 1 && w.StrideH == 1 && w.StrideW == 1 && w.PadTop + w.PadLeft + w.PadBottom + w.PadRight == 0;

    /// <summary>
    /// Writes row (·, <paramref name="ky"/>, <paramref name="kx"/>) of one channel's unfolded
    /// matrix: <paramref name="line"/>[oy·outW + ox] = plane[oy·sh − pt + ky·dh, ox·sw − pl + kx·dw], zero in the pads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ReadOnlySpan<float> plane, Span<float> line, int ky, int kx, Window w)
    {
        int x0 = kx * w.DilationW - w.PadLeft;
        for (int oy = 0; oy < w.OutH; oy++)
        {
            int iy = oy * w.StrideH - w.PadTop + ky * w.DilationH;
            var to = line.Slice(oy * w.OutW, w.OutW);
            if ((uint)iy >= (uint)w.InH) { to.Clear(); continue; }
            var srcRow = plane.Slice(iy * w.InW, w.InW);
            if (w.StrideW == 1 && x0 >= 0 && x0 + w.OutW <= w.InW) { srcRow.Slice(x0, w.OutW).CopyTo(to); continue; }
            for (int ox = 0; ox < w.OutW; ox++)
            {
                int ix = x0 + ox * w.StrideW;
                to[ox] = (uint)ix < (uint)w.InW ? srcRow[ix] : 0f;
            }
        }
    }

    /// <summary>Adds each column entry of <paramref name="col"/> back onto the input position it was read from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter(ReadOnlySpan<float> col, Span<float> input, int channels, Window w)
    {
        int plane = w.OutH * w.OutW, row = 0;
        for (int ch = 0; ch < channels; ch++)
            for (int ky = 0; ky < w.KernelH; ky++)
                for (int kx = 0; kx < w.KernelW; kx++, row++)
                {
                    var src = col.Slice(row * plane, plane);
                    var dst = input.Slice(ch * w.InH * w.InW);
                    for (int oy = 0; oy < w.OutH; oy++)
                    {
                        int iy = oy * w.StrideH - w.PadTop + ky * w.DilationH;
                        if ((uint)iy >= (uint)w.InH) continue;
                        int x0 = kx * w.DilationW - w.PadLeft;
                        for (int ox = 0; ox < w.OutW; ox++)
                        {
                            int ix = x0 + ox * w.StrideW;
                            if ((uint)ix < (uint)w.InW) dst[iy * w.InW + ix] += src[oy * w.OutW + ox];
                        }
                    }
                }
    }
}
