using System.Runtime.CompilerServices;
using System.Buffers;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// The windows of a convolution as the right-hand matrix of its product, read in place rather
/// than unfolded: row (channel, ky, kx) of the matrix is the run of floats that starts at
/// <see cref="Offsets"/>[row], and column q is output position (q / <see cref="Pitch"/>, q % Pitch).
/// A pointwise convolution (1×1, stride 1, no pads) reads its input as it is. Any other reads a
/// copy of its input, zero-padded and split by stride phase — one plane per (channel, row phase,
/// column phase) — in which every tap reads consecutive floats for consecutive outputs, whatever
/// the stride, dilation and pads; the copy is about the size of the input, where unfolding
/// writes it once per tap. Columns with q % Pitch ≥ OutW fall between output rows: the product
/// computes them and <see cref="Multiply"/> drops them. A batch of images is read as one matrix,
/// the images' columns side by side (<see cref="ImageColumns"/> apart), so small planes still make
/// a wide product; every output sums the same terms in the same order as for one image.
/// </summary>
internal sealed class WindowColumns : IDisposable
{
    private readonly bool _ownsSource;
    private readonly nint[] _offsets;

    private WindowColumns(float[] source, int start, bool ownsSource, nint[] offsets, int depth, int images, int imageColumns, int pitch, Window w)
    {
        (Source, Start, _ownsSource, _offsets, Depth, Images, ImageColumns, Pitch, OutH, OutW) = (source, start, ownsSource, offsets, depth, images, imageColumns, pitch, w.OutH, w.OutW);
        Columns = (images - 1) * imageColumns + (w.OutH - 1) * pitch + w.OutW;
    }

    /// <summary>Images side by side in the matrix.</summary>
    public int Images { get; }

    /// <summary>Columns from one image's first output to the next image's.</summary>
    public int ImageColumns { get; }

    /// <summary>The floats the rows are read from (the input, or its padded phase copy).</summary>
    public float[] Source { get; }

    /// <summary>Where in <see cref="Source"/> offset 0 is.</summary>
    public int Start { get; }

    /// <summary>Rows of the matrix (channels × kernel taps), the depth of the product.</summary>
    public int Depth { get; }

    /// <summary>Columns of the matrix: per image, output rows of <see cref="Pitch"/> columns, the last image's last row <see cref="OutW"/> long.</summary>
    public int Columns { get; }

    /// <summary>Columns per output row; more than <see cref="OutW"/> when the windows read a padded copy.</summary>
    public int Pitch { get; }

    /// <summary>The output plane's height and width.</summary>
    public int OutH { get; }

    /// <inheritdoc cref="OutH"/>
    public int OutW { get; }

    /// <summary>Row r of the matrix is Source[Start + Offsets[r] + q] for column q (length <see cref="Depth"/>).</summary>
    public ReadOnlySpan<nint> Offsets => _offsets.AsSpan(0, Depth);

    /// <summary>Whether the product is the output as it is: one image, no columns between rows to drop.</summary>
    public bool IsDense => Images == 1 && Pitch == OutW;

    /// <summary>
    /// The windows of <paramref name="channels"/> input planes under <paramref name="w"/>, in each of
    /// <paramref name="images"/> images: image i's planes start at <paramref name="input"/>[<paramref name="start"/> + i·<paramref name="imageStride"/>].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static WindowColumns Of(float[] input, int start, int channels, Window w, int images = 1, int imageStride = 0)
    {
        int taps = w.KernelH * w.KernelW, depth = channels * taps;
        var offsets = ArrayPool<nint>.Shared.Rent(depth);
        if (images == 1 && Im2Col.IsIdentity(w))
        {
            for (int ch = 0; ch < channels; ch++) offsets[ch] = (nint)ch * w.InH * w.InW;
            return new WindowColumns(input, start, ownsSource: false, offsets, depth, 1, 0, w.OutW, w);
        }
        // Per channel, phase plane (py, px) of each image holds padded rows py, py + sh, … and their columns px, px + sw, ….
        int sh = w.StrideH, sw = w.StrideW;
        int rows = w.OutH + (w.KernelH - 1) * w.DilationH / sh, pitch = w.OutW + (w.KernelW - 1) * w.DilationW / sw;
        int phasePlane = rows * pitch, phase = images * phasePlane, perChannel = sh * sw * phase;
        var copy = Arena.Floats(checked(channels * perChannel));
        int inPlane = w.InH * w.InW;
        Parallelism.For(channels, (int)Math.Min(channels, (long)copy.Length / (1 << 15) + 1), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) =>
        {
            for (int image = 0; image < images; image++)
            {
                var plane = input.AsSpan(start + image * imageStride + ch * inPlane, inPlane);
                for (int py = 0; py < sh; py++)
                    for (int px = 0; px < sw; px++)
                        for (int r = 0; r < rows; r++)
                            PadRow(plane, copy.AsSpan(ch * perChannel + (py * sw + px) * phase + image * phasePlane + r * pitch, pitch), r * sh + py - w.PadTop, px - w.PadLeft, w);
            }
        });
        for (int ch = 0, row = 0; ch < channels; ch++)
            for (int ky = 0; ky < w.KernelH; ky++)
                for (int kx = 0; kx < w.KernelW; kx++, row++)
                {
                    int dy = ky * w.DilationH, dx = kx * w.DilationW;
                    offsets[row] = (nint)ch * perChannel + ((dy % sh) * sw + dx % sw) * phase + dy / sh * pitch + dx / sw;
                }
        return new WindowColumns(copy, 0, ownsSource: true, offsets, depth, images, phasePlane, pitch, w);
    }

    /// <summary>to[j] = plane[iy, x0 + j·sw], zero outside the plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadRow(ReadOnlySpan<float> plane, Span<float> to, int iy, int x0, Window w)
    {
        if ((uint)iy >= (uint)w.InH) { to.Clear(); return; }
        var from = plane.Slice(iy * w.InW, w.InW);
        if (w.StrideW == 1)
        {
            // x0 + j runs over the row: pads, the row itself, pads.
            int lead = Math.Clamp(-x0, 0, to.Length), first = Math.Max(x0, 0);
            int copy = Math.Clamp(Math.Min(to.Length - lead, w.InW - first), 0, to.Length);
            to[..lead].Clear();
            from.Slice(first, copy).CopyTo(to[lead..]);
            to[(lead + copy)..].Clear();
            return;
        }
        for (int j = 0; j < to.Length; j++)
        {
            int ix = x0 + j * w.StrideW;
            to[j] = (uint)ix < (uint)w.InW ? from[ix] : 0f;
        }
    }

    /// <summary>
    /// <paramref name="output"/> = <paramref name="weights"/> · these windows + <paramref name="rowBias"/>,
    /// clamped to <paramref name="clamp"/> when given: for image i, rows × OutH·OutW values from
    /// <paramref name="output"/>[i·<paramref name="imageStride"/>]. The product's columns between output rows are dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(PackedRows weights, Span<float> output, ReadOnlySpan<float> rowBias, (float Lo, float Hi)? clamp, int imageStride = 0)
    {
        if (IsDense) { MatrixMultiply.Run(weights, this, output, rowBias, clamp); return; }
        var wide = Arena.Floats(checked(weights.Rows * Columns));
        MatrixMultiply.Run(weights, this, wide, rowBias, clamp);
        int plane = OutH * OutW;
        for (int image = 0; image < Images; image++)
            for (int r = 0; r < weights.Rows; r++)
                for (int oy = 0; oy < OutH; oy++)
                    wide.AsSpan(r * Columns + image * ImageColumns + oy * Pitch, OutW).CopyTo(output.Slice(image * imageStride + r * plane + oy * OutW, OutW));
        Arena.Scope.GiveBackScratch(wide);
    }

    /// <summary>Gives the padded copy back to the forward's arena.</summary>
    public void Dispose()
    {
        ArrayPool<nint>.Shared.Return(_offsets);
        if (_ownsSource) Arena.Scope.GiveBackScratch(Source);
    }
}
