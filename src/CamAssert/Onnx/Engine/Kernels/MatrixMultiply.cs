using CamAssert.Models;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// C = A·B (+ C when accumulating) for row-major float matrices: the one kernel where the
/// engine's time goes. C is cut into tiles of <see cref="TileRows"/>×<see cref="TileCols"/> (smaller when that gives too few for the threads, see <see cref="TileSize"/>);
/// each tile packs its slices of A (6-row panels) and B (16-column panels) for blocks of
/// <see cref="DepthBlock"/> along k — or reads them in place, A from a <see cref="PackedRows"/>
/// and B from a convolution's <see cref="WindowColumns"/> — and a 6×16 register block accumulates
/// with FMA, reading each row of B at its own offset. Threads
/// take whole tiles, and every element of C is summed over k in the same order whatever the
/// thread count, so results are bit-identical.
/// </summary>
internal static class MatrixMultiply
{
    /// <summary>Rows per register block, and per panel of a packed A (see <see cref="PackedRows"/>).</summary>
    internal const int MR = 6;
    private static readonly bool Wide = Vector512.IsHardwareAccelerated;
    /// <summary>Columns per register block, and per panel of a packed B.</summary>
    internal static readonly int NR = Wide ? 32 : 16;
    private const int TileRows = MR * 12, DepthBlock = 256;
    private static readonly int TileCols = NR * 8;

    /// <summary>Computes <paramref name="c"/>[m×n] = <paramref name="a"/>[m×k] · <paramref name="b"/>[k×n] (+ c if <paramref name="accumulate"/>).</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false) =>
        Run(a, null, b, null, c, m, k, n, accumulate);

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>, with A packed once beforehand (a layer's weights): the same sums, to the bit, without packing A per call.</summary>
    public static void Run(PackedRows a, ReadOnlySpan<float> b, Span<float> c, int n, bool accumulate = false) =>
        Run(default, a, b, null, c, a.Rows, a.Depth, n, accumulate);

    /// <summary>
    /// C = A·B + <paramref name="rowBias"/> (one value per row of C, e.g. a convolution's bias per
    /// output channel; none when empty), with A packed beforehand (a layer's weights) and B a
    /// convolution's windows read in place (C has <see cref="WindowColumns.Columns"/> columns).
    /// Each tile starts from its bias while it is in cache, so C is not filled in a pass of its
    /// own; the sums are bias + A·B, as when C is filled first.
    /// </summary>
    public static void Run(PackedRows a, WindowColumns b, Span<float> c, ReadOnlySpan<float> rowBias, (float Lo, float Hi)? clamp = null)
    {
        if (a.Depth != b.Depth) throw new ArgumentException($"A has {a.Depth} columns but B has {b.Depth} rows");
        if (rowBias.Length != 0 && rowBias.Length != a.Rows) throw new ArgumentException($"the bias has {rowBias.Length} values for {a.Rows} rows");
        unsafe
        {
            fixed (float* bias = rowBias, source = b.Source)
            fixed (nint* offsets = b.Offsets)
                Run(default, a, default, ((nint)(source + b.Start), (nint)offsets), c, a.Rows, a.Depth, b.Columns, accumulate: false, rowBias.Length == 0 ? 0 : (nint)bias, clamp);
        }
    }

    /// <param name="inPlace">B read in place (row kk at Source + Offsets[kk], its columns consecutive), or null for <paramref name="b"/> packed per tile.</param>
    private static void Run(ReadOnlySpan<float> a, PackedRows? packed, ReadOnlySpan<float> b, (nint Source, nint Offsets)? inPlace, Span<float> c, int m, int k, int n, bool accumulate, nint rowBias = 0, (float Lo, float Hi)? clamp = null)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { if (!accumulate) c[..(m * n)].Clear(); return; }
        int threads = (int)Math.Min(Parallelism.MaxThreads, (long)m * k * n / (1 << 17) + 1);
        var (tileRows, tileCols) = TileSize(m, n, threads);
        int rowTiles = (m + tileRows - 1) / tileRows, colTiles = (n + tileCols - 1) / tileCols;
        int tiles = rowTiles * colTiles;
        unsafe
        {
            fixed (float* pa = packed is null ? a : packed.Data, pb = b, pc = c)
            {
                var job = new Job(pa, packed is not null, inPlace is { } columns ? (float*)columns.Source : pb, inPlace is { } rows ? (nint*)rows.Offsets : null,
                    pc, m, k, n, tileRows, tileCols, colTiles, accumulate, (float*)rowBias, clamp);
                Parallelism.For(tiles, threads, job.RunTile);
            }
        }
    }

    /// <summary>
    /// The tile size: the default one, unless that gives few tiles, which share unevenly among the
    /// threads (seven full tiles and a sliver); then the longer side is cut into a multiple of the
    /// thread count of equal tiles (in whole panels). Tiles never change a sum (each element adds the same depth blocks in the same
    /// order), only which thread computes it.
    /// </summary>
    private static (int Rows, int Cols) TileSize(int m, int n, int threads)
    {
        int rowTiles = (m + TileRows - 1) / TileRows, colTiles = (n + TileCols - 1) / TileCols, tiles = rowTiles * colTiles;
        if (threads <= 1 || tiles >= 8 * threads) return (TileRows, TileCols);
        static int Up(int value, int step) => (value + step - 1) / step * step;
        return colTiles >= rowTiles
            ? (TileRows, Up((n + Up(colTiles, threads) - 1) / Up(colTiles, threads), NR))
            : (Up((m + Up(rowTiles, threads) - 1) / Up(rowTiles, threads), MR), TileCols);
    }

    private sealed unsafe class Job(float* a, bool aPacked, float* b, nint* bOffsets, float* c, int m, int k, int n, int tileRows, int tileCols, int colTiles, bool accumulate, float* rowBias, (float Lo, float Hi)? clamp)
    {
        // Packed panels start on a 64-byte boundary: on Intel cores a 512-bit load that spans two
        // cache lines costs two, and the kernel loads a B row per step. One pair per thread, kept;
        // pinned arrays (never moved) that the GC frees with their thread.
        [ThreadStatic] private static float[]? _packA, _packB;
        private static readonly int MaxTileCols = 32 * 8;

        private static float[] Pinned(int floats) => GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);

        private static float* Aligned(float[] pinned)
        {
            var p = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref pinned[0]);
            return (float*)((p + 63) & ~(nint)63);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunTile(int tile)
        {
            int i0 = tile / colTiles * tileRows, j0 = tile % colTiles * tileCols;
            int rows = Math.Min(tileRows, m - i0), cols = Math.Min(tileCols, n - j0);
            int rowPanels = (rows + MR - 1) / MR, colPanels = (cols + NR - 1) / NR;
            float* ap = Aligned(_packA ??= Pinned(TileRows * DepthBlock));
            float* bp = Aligned(_packB ??= Pinned(MaxTileCols * DepthBlock));
            float* tmp = stackalloc float[MR * 32];
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int depth = Math.Min(DepthBlock, k - p0);
                // A's panels for this tile and depth block: packed here, or read in place from a PackedRows.
                float* aBlock = ap;
                int aPanel = MR * depth;
                if (aPacked) { aBlock = a + ((long)(i0 / MR) * k + p0) * MR; aPanel = MR * k; }
                else PackA(a + (long)i0 * k + p0, ap, rows, depth, k);
                if (bOffsets is null) PackB(b + (long)p0 * n + j0, bp, cols, depth, n);
                // A finished block adds to C as it stands, or (the first) to the row bias or nothing;
                // the last is clamped as it is stored, while in registers.
                bool addOutput = accumulate || p0 > 0;
                var (lo, hi) = p0 + depth >= k && clamp is { } bounds ? bounds : (float.NegativeInfinity, float.PositiveInfinity);
                for (int jp = 0; jp < colPanels; jp++)
                {
                    int w = Math.Min(NR, cols - jp * NR);
                    // B's panel: packed above (rows NR apart), or read in place, a last partial panel gathered.
                    float* bPanel = bp + (long)jp * NR * depth;
                    nint* bRows = Steps;
                    if (bOffsets is not null)
                    {
                        bPanel = b + j0 + jp * NR;
                        bRows = bOffsets + p0;
                        if (w < NR)
                        {
                            Gather(bPanel, bRows, bp, w, depth);
                            bPanel = bp;
                            bRows = Steps;
                        }
                    }
                    for (int ip = 0; ip < rowPanels; ip++)
                    {
                        int r = Math.Min(MR, rows - ip * MR);
                        float* target = c + (long)(i0 + ip * MR) * n + j0 + jp * NR;
                        float* aPanelStart = aBlock + (long)ip * aPanel;
                        float* bias = addOutput || rowBias is null ? null : rowBias + i0 + ip * MR;
                        if (r == MR && w == NR) Block(aPanelStart, bPanel, bRows, depth, new(target, n, addOutput, bias, lo, hi));
                        else
                        {
                            Block(aPanelStart, bPanel, bRows, depth, new(tmp, NR, false, null, float.NegativeInfinity, float.PositiveInfinity));
                            for (int y = 0; y < r; y++)
                                for (int x = 0; x < w; x++)
                                {
                                    float sum = addOutput ? target[y * n + x] + tmp[y * NR + x] : bias is not null ? bias[y] + tmp[y * NR + x] : tmp[y * NR + x];
                                    target[y * n + x] = MathF.Min(MathF.Max(sum, lo), hi);
                                }
                        }
                    }
                }
            }
        }

        /// <summary>Rows of A into panels of MR rows, k-major inside a panel; missing rows are zero.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackA(float* src, float* dst, int rows, int depth, int stride)
        {
            for (int p = 0; p < rows; p += MR)
            {
                float* panel = dst + p * depth;
                for (int r = 0; r < MR; r++)
                {
                    if (p + r < rows)
                    {
                        float* row = src + (long)(p + r) * stride;
                        for (int kk = 0; kk < depth; kk++) panel[kk * MR + r] = row[kk];
                    }
                    else for (int kk = 0; kk < depth; kk++) panel[kk * MR + r] = 0;
                }
            }
        }

        /// <summary>The last <paramref name="cols"/> columns of an in-place B as one panel, zero past them (reads nothing beyond them).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Gather(float* src, nint* rows, float* dst, int cols, int depth)
        {
            for (int kk = 0; kk < depth; kk++)
            {
                float* from = src + rows[kk], to = dst + kk * NR;
                int x = 0;
                for (; x < cols; x++) to[x] = from[x];
                for (; x < NR; x++) to[x] = 0;
            }
        }

        /// <summary>Columns of B into panels of NR columns, k-major; missing columns are zero.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackB(float* src, float* dst, int cols, int depth, int stride)
        {
            for (int p = 0; p < cols; p += NR)
            {
                float* panel = dst + p * depth;
                int w = Math.Min(NR, cols - p);
                for (int kk = 0; kk < depth; kk++)
                {
                    float* row = src + (long)kk * stride + p;
                    float* to = panel + kk * NR;
                    if (w == NR)
                        for (int x = 0; x < NR; x += 8) Vector256.Store(Vector256.Load(row + x), to + x);
                    else
                    {
                        int x = 0;
                        for (; x < w; x++) to[x] = row[x];
                        for (; x < NR; x++) to[x] = 0;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> acc, Vector256<float> x, Vector256<float> y) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    /// <summary>Row kk of a packed B panel is kk·NR floats in: the offsets of <see cref="Block"/> for packed panels (pinned, never moved, kept alive here).</summary>
    private static readonly nint[] StepTable = Enumerable.Range(0, DepthBlock).Select(kk => (nint)kk * NR).ToArray().CopyPinned();

    private static unsafe nint* Steps => (nint*)Unsafe.AsPointer(ref StepTable[0]);

    private static nint[] CopyPinned(this nint[] values)
    {
        var pinned = GC.AllocateArray<nint>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }

    /// <summary>
    /// Where a finished register block goes: MR rows of <paramref name="C"/>, <paramref name="Ldc"/> apart; added to
    /// what C holds, or to one bias per row (<paramref name="Bias"/>, MR values), or to nothing; then clamped to [Lo, Hi].
    /// </summary>
    private readonly unsafe struct Output(float* c, int ldc, bool addOutput, float* bias, float lo, float hi)
    {
        public readonly float* C = c, Bias = bias;
        public readonly int Ldc = ldc;
        public readonly bool AddOutput = addOutput;
        public readonly float Lo = lo, Hi = hi;
        public readonly bool Clamps = lo > float.NegativeInfinity || hi < float.PositiveInfinity;
    }

    /// <summary>C[MR×NR] = clamp(A panel[depth×MR]ᵀ · B + C, bias or 0), B's row kk being the NR floats at b + rows[kk].</summary>
    private static unsafe void Block(float* a, float* b, nint* rows, int depth, in Output output)
    {
        if (Wide) Kernel512(a, b, rows, depth, output);
        else Kernel(a, b, rows, depth, output);
    }

    /// <summary>The 6×32 register block for AVX-512: 12 accumulators of 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512(float* a, float* b, nint* rows, int depth, in Output output)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int kk = 0; kk < depth; kk++, a += MR)
        {
            float* row = b + rows[kk];
            var b0 = Vector512.Load(row);
            var b1 = Vector512.Load(row + 16);
            var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
        }
        Store512(output, 0, c00, c01);
        Store512(output, 1, c10, c11);
        Store512(output, 2, c20, c21);
        Store512(output, 3, c30, c31);
        Store512(output, 4, c40, c41);
        Store512(output, 5, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512(in Output output, int row, Vector512<float> left, Vector512<float> right)
    {
        float* c = output.C + (long)row * output.Ldc;
        if (output.AddOutput) { left = Vector512.Load(c) + left; right = Vector512.Load(c + 16) + right; }
        else if (output.Bias is not null) { var bias = Vector512.Create(output.Bias[row]); left = bias + left; right = bias + right; }
        if (output.Clamps)
        {
            var (lo, hi) = (Vector512.Create(output.Lo), Vector512.Create(output.Hi));
            left = Avx512F.Min(hi, Avx512F.Max(lo, left));
            right = Avx512F.Min(hi, Avx512F.Max(lo, right));
        }
        left.Store(c);
        right.Store(c + 16);
    }

    /// <summary>The 6×16 register block: C[6×16] (+)= Apanel[depth×6]ᵀ · B[depth×16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel(float* a, float* b, nint* rows, int depth, in Output output)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int kk = 0; kk < depth; kk++, a += MR)
        {
            float* row = b + rows[kk];
            var b0 = Vector256.Load(row);
            var b1 = Vector256.Load(row + 8);
            var x = Vector256.Create(a[0]); c00 = Fma(c00, x, b0); c01 = Fma(c01, x, b1);
            x = Vector256.Create(a[1]); c10 = Fma(c10, x, b0); c11 = Fma(c11, x, b1);
            x = Vector256.Create(a[2]); c20 = Fma(c20, x, b0); c21 = Fma(c21, x, b1);
            x = Vector256.Create(a[3]); c30 = Fma(c30, x, b0); c31 = Fma(c31, x, b1);
            x = Vector256.Create(a[4]); c40 = Fma(c40, x, b0); c41 = Fma(c41, x, b1);
            x = Vector256.Create(a[5]); c50 = Fma(c50, x, b0); c51 = Fma(c51, x, b1);
        }
        Store(output, 0, c00, c01);
        Store(output, 1, c10, c11);
        Store(output, 2, c20, c21);
        Store(output, 3, c30, c31);
        Store(output, 4, c40, c41);
        Store(output, 5, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(in Output output, int row, Vector256<float> left, Vector256<float> right)
    {
        float* c = output.C + (long)row * output.Ldc;
        if (output.AddOutput) { left = Vector256.Load(c) + left; right = Vector256.Load(c + 8) + right; }
        else if (output.Bias is not null) { var bias = Vector256.Create(output.Bias[row]); left = bias + left; right = bias + right; }
        if (output.Clamps)
        {
            // maxps/minps return their second operand when either is NaN: a NaN sum stays NaN, as in Clamp.Apply.
            // (A sum of −0 clamped at 0 stays −0 here, where Clamp.Apply gives +0: equal values, and no later operator tells them apart.)
            var (lo, hi) = (Vector256.Create(output.Lo), Vector256.Create(output.Hi));
            left = Avx.Min(hi, Avx.Max(lo, left));
            right = Avx.Min(hi, Avx.Max(lo, right));
        }
        left.Store(c);
        right.Store(c + 8);
    }
}
