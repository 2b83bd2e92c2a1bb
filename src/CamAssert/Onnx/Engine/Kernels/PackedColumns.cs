namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// A right-hand matrix packed once into <see cref="MatrixMultiply"/>'s column panels: panels of
/// <see cref="MatrixMultiply.NR"/> columns, k-major inside a panel, missing columns zero. A
/// convolution packs its windows (the rows im2col would write) straight into panels, so the
/// unfolded matrix is never written out whole and every tile of the product reads one packing.
/// The array comes from the forward's <see cref="Arena"/>; <see cref="Dispose"/> gives it back.
/// </summary>
internal sealed class PackedColumns : IDisposable
{
    private PackedColumns(int depth, int columns, float[] data) => (Depth, Columns, Data) = (depth, columns, data);

    /// <summary>Rows of the matrix (k), the depth of the product.</summary>
    public int Depth { get; }

    /// <summary>Columns of the matrix (n).</summary>
    public int Columns { get; }

    /// <summary>The panels: element (row kk, column j) at ((j / NR)·Depth + kk)·NR + j % NR.</summary>
    public float[] Data { get; }

    /// <summary>
    /// The windows of <paramref name="channels"/> input planes under <paramref name="w"/> as a
    /// packed (channels·kh·kw) × (outH·outW) matrix: row (c, ky, kx), column (oy, ox).
    /// </summary>
    public static PackedColumns OfWindows(ReadOnlySpan<float> input, int channels, Window w)
    {
        int taps = w.KernelH * w.KernelW, n = w.OutH * w.OutW;
        var packed = Allocate(channels * taps, n);
        bool pointwise = Im2Col.IsIdentity(w);
        unsafe
        {
            fixed (float* pi = input)
            {
                var (source, length) = ((nint)pi, input.Length);
                Parallelism.For(channels, (int)Math.Min(channels, (long)packed.Data.Length / (1 << 15) + 1), ch =>
                {
                    var plane = new ReadOnlySpan<float>((float*)source, length).Slice(ch * w.InH * w.InW, w.InH * w.InW);
                    if (pointwise) { packed.Scatter(ch, plane); return; }
                    var line = _line is { } old && old.Length >= n ? old : _line = new float[n];
                    for (int tap = 0; tap < taps; tap++)
                    {
                        Im2Col.Row(plane, line, tap / w.KernelW, tap % w.KernelW, w);
                        packed.Scatter(ch * taps + tap, line.AsSpan(0, n));
                    }
                });
            }
        }
        return packed;
    }

    [ThreadStatic] private static float[]? _line;

    private static PackedColumns Allocate(int depth, int columns)
    {
        int nr = MatrixMultiply.NR, panels = (columns + nr - 1) / nr;
        return new PackedColumns(depth, columns, Arena.Floats(checked(panels * nr * depth)));
    }

    /// <summary>Writes matrix row <paramref name="row"/> into its place in every panel, zero past the last column.</summary>
    private void Scatter(int row, ReadOnlySpan<float> values)
    {
        int nr = MatrixMultiply.NR;
        var data = Data.AsSpan();
        for (int j = 0, panel = 0; j < Columns; j += nr, panel++)
        {
            var to = data.Slice((panel * Depth + row) * nr, nr);
            int w = Math.Min(nr, Columns - j);
            values.Slice(j, w).CopyTo(to);
            to[w..].Clear();
        }
    }

    /// <summary>Gives the panels back to the forward's arena.</summary>
    public void Dispose() => Arena.Scope.GiveBackScratch(Data);
}
