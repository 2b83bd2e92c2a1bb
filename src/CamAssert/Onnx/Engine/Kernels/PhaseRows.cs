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
                for (int j = 0; j < width; j++)
                {
                    int ix = j * s + p - win.PadLeft;
                    to[j] = (uint)ix < (uint)win.InW ? from[ix] : pad;
                }
            }
    }

    /// <summary>The phase row that tap <paramref name="kx"/> reads for input row <paramref name="iy"/>, at the first output.</summary>
    public static unsafe float* Tap(float* phases, Window win, int width, int iy, int kx)
    {
        int offset = kx * win.DilationW;
        return phases + ((offset % win.StrideW) * win.InH + iy) * width + offset / win.StrideW;
    }

    /// <summary>Whether kernel row <paramref name="ky"/> of output row <paramref name="oy"/> falls inside the plane (rows in the pads add nothing).</summary>
    public static bool RowHasTap(Window win, int oy, int ky) => (uint)(oy * win.StrideH - win.PadTop + ky * win.DilationH) < (uint)win.InH;

    /// <summary>
    /// The runs output row <paramref name="oy"/>'s taps read, in kernel order (row by row, then
    /// column), skipping kernel rows in the pads: written to <paramref name="taps"/>, their number returned.
    /// Computed once per output row, so the inner loop divides nothing.
    /// </summary>
    public static unsafe int RowTaps(float* phases, Window win, int width, int oy, nint* taps)
    {
        int count = 0;
        for (int ky = 0; ky < win.KernelH; ky++)
        {
            if (!RowHasTap(win, oy, ky)) continue;
            int iy = oy * win.StrideH - win.PadTop + ky * win.DilationH;
            for (int kx = 0; kx < win.KernelW; kx++) taps[count++] = (nint)Tap(phases, win, width, iy, kx);
        }
        return count;
    }
}
