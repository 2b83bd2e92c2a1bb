using System.Runtime.CompilerServices;
using CamAssert.Models;
using System.Runtime.Intrinsics;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Depthwise convolution (each group reads one input channel; <c>multiplier</c> outputs per
/// channel), computed directly: im2col would only copy. Parallel over output channels.
/// </summary>
internal static class Depthwise
{
    /// <summary>Writes the depthwise convolution of <paramref name="x"/> plus <paramref name="bias"/> (none when empty) into <paramref name="y"/>, clamped when asked.</summary>
    /// <remarks>
    /// Each input plane is first copied into zero-padded rows split by column phase (one row per
    /// phase of the horizontal stride), so every kernel tap reads a contiguous run: the taps then
    /// accumulate eight outputs at a time onto the bias, in the same order (row by row, tap by tap)
    /// as the plain loop, without fused multiply-adds, so the sums are the plain loop's to the bit.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Forward(float[] x, float[] w, ReadOnlySpan<float> bias, float[] y, int n, int c, int multiplier, Window win, (float Lo, float Hi)? clamp = null)
    {
        int m = c * multiplier, kSize = win.KernelH * win.KernelW;
        int s = win.StrideW, outW8 = (win.OutW + 7) & ~7;
        int phaseW = PhaseRows.Width(win, outW8);
        int scratch = s * win.InH * phaseW + outW8;
        var columns = new nint[win.KernelW];
        fixed (nint* pc = columns) PhaseRows.ColumnOffsets(win, phaseW, pc);
        var biases = bias.IsEmpty ? new float[m] : bias.ToArray();
        var (lo, hi) = clamp is { } bounds ? (Vector256.Create(bounds.Lo), Vector256.Create(bounds.Hi)) : (Vector256.Create(float.NegativeInfinity), Vector256.Create(float.PositiveInfinity));
        // Whole vectors may be stored into an output row when what spills over lands in the next row, written after it.
        bool spill = outW8 - win.OutW <= win.OutW;
        Parallelism.For(n * m, Environment.ProcessorCount, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (job) =>
        {
            int b = job / m, o = job % m, ch = o / multiplier;
            var buffer = _scratch is { } old && old.Length >= scratch ? old : _scratch = GC.AllocateUninitializedArray<float>(scratch);
            fixed (float* src = &x[(b * c + ch) * win.InH * win.InW], dst = &y[job * win.OutH * win.OutW], kernel = &w[o * kSize], phases = buffer)
            fixed (nint* columnOffsets = columns)
            {
                PhaseRows.Split(src, phases, win, phaseW, 0f);
                float* spare = phases + s * win.InH * phaseW;
                var taps = stackalloc nint[kSize];
                var weights = stackalloc float[kSize];
                for (int oy = 0; oy < win.OutH; oy++)
                {
                    // This row's taps, in the plain loop's order: the run each reads, and its weight.
                    int count = PhaseRows.RowTaps(phases, win, phaseW, oy, columnOffsets, taps);
                    for (int t = 0, tap = 0; t < kSize; t++)
                        if (PhaseRows.RowHasTap(win, oy, t / win.KernelW)) weights[tap++] = kernel[t];
                    float* outRow = dst + oy * win.OutW;
                    bool direct = win.OutW == outW8 || (spill && oy < win.OutH - 1);
                    AddTaps(direct ? outRow : spare, taps, weights, count, outW8, biases[o], lo, hi);
                    if (!direct) new Span<float>(spare, win.OutW).CopyTo(new Span<float>(outRow, win.OutW));
                }
            }
        });
    }

    /// <summary>
    /// to[ox] = clamp(bias + Σ_t weights[t] · taps[t][ox]) for ox below <paramref name="width"/> (a multiple of 8), taps
    /// in order: four vectors at a time, so four sums advance together instead of waiting on one another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AddTaps(float* to, nint* taps, float* weights, int count, int width, float bias, Vector256<float> lo, Vector256<float> hi)
    {
        var start = Vector256.Create(bias);
        int ox = 0;
        for (; ox + 32 <= width; ox += 32)
        {
            var (a0, a1, a2, a3) = (start, start, start, start);
            for (int t = 0; t < count; t++)
            {
                var weight = Vector256.Create(weights[t]);
                float* from = (float*)taps[t] + ox;
                a0 += weight * Vector256.Load(from);
                a1 += weight * Vector256.Load(from + 8);
                a2 += weight * Vector256.Load(from + 16);
                a3 += weight * Vector256.Load(from + 24);
            }
            Vector256.Min(Vector256.Max(a0, lo), hi).Store(to + ox);
            Vector256.Min(Vector256.Max(a1, lo), hi).Store(to + ox + 8);
            Vector256.Min(Vector256.Max(a2, lo), hi).Store(to + ox + 16);
            Vector256.Min(Vector256.Max(a3, lo), hi).Store(to + ox + 24);
        }
        for (; ox < width; ox += 8)
        {
            var acc = start;
            for (int t = 0; t < count; t++) acc += Vector256.Create(weights[t]) * Vector256.Load((float*)taps[t] + ox);
            Vector256.Min(Vector256.Max(acc, lo), hi).Store(to + ox);
        }
    }

    [ThreadStatic] private static float[]? _scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float[] dy, float[] w, float[] dx, int n, int c, int multiplier, Window win)
    {
        int m = c * multiplier, kSize = win.KernelH * win.KernelW;
        // One job per input channel, so each dx plane is written by one thread in a fixed order.
        Parallelism.For(n * c, Environment.ProcessorCount, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (job) =>
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
