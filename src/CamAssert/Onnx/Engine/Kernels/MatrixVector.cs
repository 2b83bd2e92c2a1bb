using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// Y = A·Bᵀ for a few rows of A (a batch-1 classifier head: nn.Linear exports as Gemm with transB=1):
/// one dot product per output, reading B's rows where they lie, with no transposed copy and no
/// packing of the weights. Threads take blocks of outputs; each output is one dot product summed in
/// one fixed order, so results do not depend on the thread count.
/// </summary>
internal static class MatrixVector
{
    /// <summary>Below this many rows of A, dot products beat packing B for the matrix multiply.</summary>
    public const int MaxRows = 4;

    private const int Block = 64;

    /// <summary><paramref name="y"/>[m×n] = <paramref name="a"/>[m×k] · <paramref name="b"/>[n×k]ᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RowsTimesTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int m, int k, int n)
    {
        int blocks = (n + Block - 1) / Block;
        fixed (float* pa = a, pb = b, py = y)
        {
            var (ap, bp, yp) = ((nint)pa, (nint)pb, (nint)py);
            Parallelism.For(blocks, (int)Math.Min(blocks, (long)m * k * n / (1 << 16) + 1), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (block) =>
            {
                int j1 = Math.Min(n, (block + 1) * Block);
                for (int i = 0; i < m; i++)
                {
                    var row = new ReadOnlySpan<float>((float*)ap + (long)i * k, k);
                    for (int j = block * Block; j < j1; j++)
                        ((float*)yp)[(long)i * n + j] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>((float*)bp + (long)j * k, k));
                }
            });
        }
    }

    /// <summary>
    /// <paramref name="y"/>[m×k] = <paramref name="a"/>[m×n] · <paramref name="b"/>[n×k] for a few rows of A (the
    /// gradient through a batch-1 classifier head): each row of B is added in, scaled, in order (rows scaled
    /// by zero skipped: a one-hot seed reads one row of the weights), so B is
    /// read once where it lies, with no packing. Threads take blocks of columns; each output sums the
    /// rows of B in the same order whatever the thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RowsTimes(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int m, int n, int k)
    {
        const int columns = 512;
        int blocks = (k + columns - 1) / columns;
        fixed (float* pa = a, pb = b, py = y)
        {
            var (ap, bp, yp) = ((nint)pa, (nint)pb, (nint)py);
            Parallelism.For(blocks, (int)Math.Min(blocks, (long)m * k * n / (1 << 16) + 1), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (block) =>
            {
                int j0 = block * columns, width = Math.Min(columns, k - j0);
                for (int i = 0; i < m; i++)
                {
                    var target = new Span<float>((float*)yp + (long)i * k + j0, width);
                    target.Clear();
                    for (int r = 0; r < n; r++)
                    {
                        float scale = ((float*)ap)[(long)i * n + r];
                        if (scale != 0) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>((float*)bp + (long)r * k + j0, width), scale, target, target);
                    }
                }
            });
        }
    }
}
