using System.Runtime.CompilerServices;

namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// A left-hand matrix packed once into <see cref="MatrixMultiply"/>'s row panels: panels of
/// <see cref="MatrixMultiply.MR"/> rows, k-major inside a panel, missing rows zero. A
/// convolution's weights are packed on first use and kept beside the weight array for as long
/// as it lives, so a forward packs only its activations.
/// </summary>
internal sealed class PackedRows
{
    private static readonly ConditionalWeakTable<float[], PackedRows[]> Cache = [];

    private PackedRows(int rows, int depth, float[] data) => (Rows, Depth, Data) = (rows, depth, data);

    /// <summary>Rows of the matrix (m).</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix (k), the depth of the product.</summary>
    public int Depth { get; }

    /// <summary>The panels: element (row r, column kk) at ((r / MR)·Depth + kk)·MR + r % MR.</summary>
    public float[] Data { get; }

    /// <summary>Packs <paramref name="a"/>[<paramref name="rows"/>×<paramref name="depth"/>], row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PackedRows Pack(ReadOnlySpan<float> a, int rows, int depth)
    {
        const int mr = MatrixMultiply.MR;
        int panels = (rows + mr - 1) / mr;
        var data = new float[(long)panels * mr * depth];
        for (int r = 0; r < rows; r++)
        {
            var row = a.Slice(r * depth, depth);
            int panel = r / mr, lane = r % mr;
            for (int kk = 0; kk < depth; kk++) data[((long)panel * depth + kk) * mr + lane] = row[kk];
        }
        return new PackedRows(rows, depth, data);
    }

    /// <summary>
    /// <paramref name="weights"/> as <paramref name="groups"/> packed matrices of
    /// <paramref name="rows"/>×<paramref name="depth"/> (one per convolution group), packed once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PackedRows[] Of(float[] weights, int groups, int rows, int depth)
    {
        if (Cache.TryGetValue(weights, out var packed) && packed.Length == groups && packed[0].Rows == rows && packed[0].Depth == depth) return packed;
        packed = new PackedRows[groups];
        for (int g = 0; g < groups; g++) packed[g] = Pack(weights.AsSpan(g * rows * depth, rows * depth), rows, depth);
        Cache.AddOrUpdate(weights, packed);
        return packed;
    }
}
