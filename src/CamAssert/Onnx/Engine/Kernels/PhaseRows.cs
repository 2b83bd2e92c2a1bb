using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// An input plane copied into padded rows split by column phase (one set of rows per phase of
/// the horizontal stride), so that the input a window tap reads for consecutive outputs is a
/// contiguous run: phase (kx·dw) mod s, from column (kx·dw) div s. Sliding-window kernels
/// (depthwise convolution, max pooling) then read whole vectors whatever the stride and pads.
/// </summary>
internal static class PhaseRows
{
    /// <summary>Floats per phase row: the widest tap offset plus <paramref name="outWidth"/> outputs (a whole number of vectors).</summary>
    public static int Width(Window win, int outWidth) => (win.KernelW - 1) * win.DilationW / win.StrideW + outWidth + 1;

    /// <summary>
    /// Writes phases[(p·InH + iy)·width + j] = plane[iy, j·s + p − padLeft], or <paramref name="pad"/>
    /// outside the plane, for every phase p, row iy and column j of the phase row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Split(float* plane, float* phases, Window win, int width, float pad)
    {
        int s = win.StrideW;
        for (int p = 0; p < s; p++)
            for (int iy = 0; iy < win.InH; iy++)
            {
                float* to = phases + (p * win.InH + iy) * width;
                float* from = plane + iy * win.InW;
                if (s == 1)
                {
                    // j − padLeft runs over the row: pads, the row itself, pads.
                    int lead = Math.Min(win.PadLeft, width), copy = Math.Clamp(width - lead, 0, win.InW);
                    new Span<float>(to, lead).Fill(pad);
                    new Span<float>(from, copy).CopyTo(new Span<float>(to + lead, copy));
                    new Span<float>(to + lead + copy, width - lead - copy).Fill(pad);
                    continue;
                }
                Strided(from, to, width, p - win.PadLeft, s, win.InW, pad);
            }
    }

    /// <summary>to[j] = from[x0 + j·s] for j below <paramref name="width"/>, <paramref name="pad"/> where that falls outside the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Strided(float* from, float* to, int width, int x0, int s, int inW, float pad)
    {
        // Columns j in [lo, hi) read inside the row; the rest are pads.
        int lo = Math.Min(width, x0 >= 0 ? 0 : (-x0 + s - 1) / s), hi = Math.Max(lo, Math.Min(width, inW - x0 <= 0 ? 0 : (inW - x0 + s - 1) / s));
        for (int j = 0; j < lo; j++) to[j] = pad;
        int at = lo;
        if (s == 2 && Avx2.IsSupported)
            for (; at + 8 <= hi && x0 + 2 * at + 16 <= inW; at += 8)
            {
                // Eight even (or odd) columns out of sixteen: pick them in each half, then order the halves.
                float* src = from + x0 + 2 * at;
                var picked = Avx.Shuffle(Vector256.Load(src), Vector256.Load(src + 8), 0b10_00_10_00);
                Avx2.Permute4x64(picked.AsDouble(), 0b11_01_10_00).AsSingle().Store(to + at);
            }
        for (; at < hi; at++) to[at] = from[x0 + at * s];
        for (int j = hi; j < width; j++) to[j] = pad;
    }

    /// <summary>
    /// Where tap column <paramref name="kx"/> reads in the phase rows, from the start of an input row's
    /// phase rows: the same for every row and plane, so computed once per call (written to <paramref name="offsets"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ColumnOffsets(Window win, int width, nint* offsets)
    {
        for (int kx = 0; kx < win.KernelW; kx++)
        {
            int offset = kx * win.DilationW;
            offsets[kx] = (nint)(offset % win.StrideW) * win.InH * width + offset / win.StrideW;
        }
    }

    /// <summary>Whether kernel row <paramref name="ky"/> of output row <paramref name="oy"/> falls inside the plane (rows in the pads add nothing).</summary>
    public static bool RowHasTap(Window win, int oy, int ky) => (uint)(oy * win.StrideH - win.PadTop + ky * win.DilationH) < (uint)win.InH;

    /// <summary>
    /// The runs output row <paramref name="oy"/>'s taps read, in kernel order (row by row, then
    /// column), skipping kernel rows in the pads: written to <paramref name="taps"/>, their number
    /// returned. <paramref name="columns"/> are the <see cref="ColumnOffsets"/>, so nothing is divided here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int RowTaps(float* phases, Window win, int width, int oy, nint* columns, nint* taps)
    {
        int count = 0;
        for (int ky = 0; ky < win.KernelH; ky++)
        {
            if (!RowHasTap(win, oy, ky)) continue;
            float* row = phases + (oy * win.StrideH - win.PadTop + ky * win.DilationH) * width;
            for (int kx = 0; kx < win.KernelW; kx++) taps[count++] = (nint)(row + columns[kx]);
        }
        return count;
    }
}
