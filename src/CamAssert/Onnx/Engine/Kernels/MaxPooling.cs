using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Max pooling eight outputs at a time over <see cref="PhaseRows"/> (pads read as −∞, so a
/// window clipped by the border takes the maximum of what it covers). NaN wins, as in PyTorch.
/// Parallel over planes.
/// </summary>
internal static class MaxPooling
{
    [ThreadStatic] private static float[]? _scratch;

    /// <summary>Writes the max pool of each of <paramref name="planes"/> planes of <paramref name="x"/> into <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Forward(float[] x, float[] y, int planes, Window win)
    {
        int outW8 = (win.OutW + 7) & ~7, width = PhaseRows.Width(win, outW8);
        int scratch = win.StrideW * win.InH * width + outW8;
        var columns = new nint[win.KernelW];
        fixed (nint* pc = columns) PhaseRows.ColumnOffsets(win, width, pc);
        Parallelism.For(planes, Environment.ProcessorCount, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            var buffer = _scratch is { } old && old.Length >= scratch ? old : _scratch = GC.AllocateUninitializedArray<float>(scratch);
            fixed (float* src = &x[p * win.InH * win.InW], dst = &y[p * win.OutH * win.OutW], phases = buffer)
            fixed (nint* columnOffsets = columns)
            {
                PhaseRows.Split(src, phases, win, width, float.NegativeInfinity);
                float* row = phases + win.StrideW * win.InH * width;
                var taps = stackalloc nint[win.KernelH * win.KernelW];
                for (int oy = 0; oy < win.OutH; oy++)
                {
                    int count = PhaseRows.RowTaps(phases, win, width, oy, columnOffsets, taps);
                    for (int ox = 0; ox < outW8; ox += 8)
                    {
                        var acc = Vector256.Create(float.NegativeInfinity);
                        for (int t = 0; t < count; t++) acc = Vector256.Max(acc, Vector256.Load((float*)taps[t] + ox));
                        acc.Store(row + ox);
                    }
                    new Span<float>(row, win.OutW).CopyTo(new Span<float>(dst + oy * win.OutW, win.OutW));
                }
            }
        });
    }
}
