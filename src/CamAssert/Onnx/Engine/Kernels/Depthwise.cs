using CamAssert.Models;
using System.Runtime.Intrinsics;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Depthwise convolution (each group reads one input channel; <c>multiplier</c> outputs per
/// channel), computed directly: im2col would only copy. Parallel over output channels.
/// </summary>
internal static class Depthwise
{
    /// <summary>Adds the depthwise convolution of <paramref name="x"/> onto <paramref name="y"/> (which holds the bias).</summary>
    /// <remarks>
    /// Each input plane is first copied into zero-padded rows split by column phase (one row per
    /// phase of the horizontal stride), so every kernel tap reads a contiguous run: the taps then
    /// accumulate eight outputs at a time, in the same order (row by row, tap by tap) as the
    /// plain loop, without fused multiply-adds, so the sums are the plain loop's to the bit.
    /// </remarks>
    public static unsafe void Forward(float[] x, float[] w, float[] y, int n, int c, int multiplier, Window win, (float Lo, float Hi)? clamp = null)
    {
        int m = c * multiplier, kSize = win.KernelH * win.KernelW;
        int s = win.StrideW, outW8 = (win.OutW + 7) & ~7;
        int phaseW = PhaseRows.Width(win, outW8);
        int scratch = s * win.InH * phaseW + outW8;
        Parallelism.For(n * m, Environment.ProcessorCount, job =>
        {
            int b = job / m, o = job % m, ch = o / multiplier;
            var buffer = _scratch is { } old && old.Length >= scratch ? old : _scratch = GC.AllocateUninitializedArray<float>(scratch);
            fixed (float* src = &x[(b * c + ch) * win.InH * win.InW], dst = &y[job * win.OutH * win.OutW], kernel = &w[o * kSize], phases = buffer)
            {
                PhaseRows.Split(src, phases, win, phaseW, 0f);
                float* row = phases + s * win.InH * phaseW;
                var taps = stackalloc nint[kSize];
                var weights = stackalloc float[kSize];
                for (int oy = 0; oy < win.OutH; oy++)
                {
                    // This row's taps, in the plain loop's order: the run each reads, and its weight.
                    int count = PhaseRows.RowTaps(phases, win, phaseW, oy, taps);
                    for (int t = 0, tap = 0; t < kSize; t++)
                        if (PhaseRows.RowHasTap(win, oy, t / win.KernelW)) weights[tap++] = kernel[t];
                    float* outRow = dst + oy * win.OutW;
                    new Span<float>(outRow, win.OutW).CopyTo(new Span<float>(row, win.OutW));
                    for (int ox = win.OutW; ox < outW8; ox++) row[ox] = 0;
                    for (int ox = 0; ox < outW8; ox += 8)
                    {
                        var acc = Vector256.Load(row + ox);
                        for (int t = 0; t < count; t++)
                            acc += Vector256.Create(weights[t]) * Vector256.Load((float*)taps[t] + ox);
                        acc.Store(row + ox);
                    }
                    if (clamp is { } bounds) Clamp.Apply(new Span<float>(row, win.OutW), new Span<float>(outRow, win.OutW), bounds);
                    else new Span<float>(row, win.OutW).CopyTo(new Span<float>(outRow, win.OutW));
                }
            }
        });
    }

    [ThreadStatic] private static float[]? _scratch;

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
