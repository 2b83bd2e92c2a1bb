using CamAssert.Models;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Unfolds convolution windows into columns (im2col) so a convolution becomes one matrix
/// multiply, and folds column gradients back onto the input (col2im) for the backward pass.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="col"/>[(c·kh·kw) × (oh·ow)] from the <paramref name="channels"/> planes of <paramref name="input"/>.</summary>
    public static unsafe void Gather(ReadOnlySpan<float> input, Span<float> col, int channels, Window w)
    {
        fixed (float* pi = input, pc = col)
        {
            var (inPtr, colPtr, inLength, colLength) = ((nint)pi, (nint)pc, input.Length, col.Length);
            // Rows of col are independent: split them over threads.
            Parallelism.For(channels, (int)Math.Min(channels, (long)col.Length / (1 << 15) + 1), ch =>
                GatherChannel(new ReadOnlySpan<float>((float*)inPtr, inLength), new Span<float>((float*)colPtr, colLength), ch, w));
        }
    }

    private static void GatherChannel(ReadOnlySpan<float> input, Span<float> col, int ch, Window w)
    {
        int plane = w.OutH * w.OutW, row = ch * w.KernelH * w.KernelW;
        for (int ky = 0; ky < w.KernelH; ky++)
                for (int kx = 0; kx < w.KernelW; kx++, row++)
                {
                    var dst = col.Slice(row * plane, plane);
                    var src = input.Slice(ch * w.InH * w.InW);
                    for (int oy = 0; oy < w.OutH; oy++)
                    {
                        int iy = oy * w.StrideH - w.PadTop + ky * w.DilationH;
                        var line = dst.Slice(oy * w.OutW, w.OutW);
                        if ((uint)iy >= (uint)w.InH) { line.Clear(); continue; }
                        int x0 = kx * w.DilationW - w.PadLeft;
                        var srcRow = src.Slice(iy * w.InW, w.InW);
                        if (w.StrideW == 1 && x0 >= 0 && x0 + w.OutW <= w.InW) { srcRow.Slice(x0, w.OutW).CopyTo(line); continue; }
                        for (int ox = 0; ox < w.OutW; ox++)
                        {
                            int ix = x0 + ox * w.StrideW;
                            line[ox] = (uint)ix < (uint)w.InW ? srcRow[ix] : 0f;
                        }
                    }
                }
    }

    /// <summary>Adds each column entry of <paramref name="col"/> back onto the input position it was read from.</summary>
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
