using CamAssert.Models;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Depthwise convolution (each group reads one input channel; <c>multiplier</c> outputs per
/// channel), computed directly: im2col would only copy. Parallel over output channels.
/// </summary>
internal static class Depthwise
{
    /// <summary>Adds the depthwise convolution of <paramref name="x"/> onto <paramref name="y"/> (which holds the bias).</summary>
    public static void Forward(float[] x, float[] w, float[] y, int n, int c, int multiplier, Window win)
    {
        int m = c * multiplier, kSize = win.KernelH * win.KernelW;
        Parallelism.For(n * m, Environment.ProcessorCount, job =>
        {
            int b = job / m, o = job % m, ch = o / multiplier;
            var src = x.AsSpan((b * c + ch) * win.InH * win.InW, win.InH * win.InW);
            var dst = y.AsSpan(job * win.OutH * win.OutW, win.OutH * win.OutW);
            var kernel = w.AsSpan(o * kSize, kSize);
            for (int oy = 0; oy < win.OutH; oy++)
                for (int ox = 0; ox < win.OutW; ox++)
                {
                    float sum = dst[oy * win.OutW + ox];
                    for (int ky = 0; ky < win.KernelH; ky++)
                    {
                        int iy = oy * win.StrideH - win.PadTop + ky * win.DilationH;
                        if ((uint)iy >= (uint)win.InH) continue;
                        for (int kx = 0; kx < win.KernelW; kx++)
                        {
                            int ix = ox * win.StrideW - win.PadLeft + kx * win.DilationW;
                            if ((uint)ix < (uint)win.InW) sum += src[iy * win.InW + ix] * kernel[ky * win.KernelW + kx];
                        }
                    }
                    dst[oy * win.OutW + ox] = sum;
                }
        });
    }

    public static void Backward(float[] dy, float[] w, float[] dx, int n, int c, int multiplier, Window win)
    {
        int m = c * multiplier, kSize = win.KernelH * win.KernelW;
        // One job per input channel, so each dx plane is written by one thread in a fixed order.
        Parallelism.For(n * c, Environment.ProcessorCount, job =>
        {
            int b = job / c, ch = job % c;
            var dst = dx.AsSpan(job * win.InH * win.InW, win.InH * win.InW);
            for (int t = 0; t < multiplier; t++)
            {
                int o = ch * multiplier + t;
                var src = dy.AsSpan((b * m + o) * win.OutH * win.OutW, win.OutH * win.OutW);
                var kernel = w.AsSpan(o * kSize, kSize);
                for (int oy = 0; oy < win.OutH; oy++)
                    for (int ox = 0; ox < win.OutW; ox++)
                    {
                        float g = src[oy * win.OutW + ox];
                        for (int ky = 0; ky < win.KernelH; ky++)
                        {
                            int iy = oy * win.StrideH - win.PadTop + ky * win.DilationH;
                            if ((uint)iy >= (uint)win.InH) continue;
                            for (int kx = 0; kx < win.KernelW; kx++)
                            {
                                int ix = ox * win.StrideW - win.PadLeft + kx * win.DilationW;
                                if ((uint)ix < (uint)win.InW) dst[iy * win.InW + ix] += g * kernel[ky * win.KernelW + kx];
                            }
                        }
                    }
            }
        });
    }
}
