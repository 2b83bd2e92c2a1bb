using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>Small matrix helpers around <see cref="MatrixMultiply"/>.</summary>
internal static class Matrices
{
    /// <summary>Transpose of a rank-2 tensor.</summary>
    public static Tensor Transpose(Tensor t) => Tensor.FromFloats([t.Shape[1], t.Shape[0]], Transpose(t.F, t.Shape[0], t.Shape[1]));

    /// <summary>Transpose of a rows×cols row-major matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Transpose(ReadOnlySpan<float> m, int rows, int cols)
    {
        var r = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                r[j * rows + i] = m[i * cols + j];
        return r;
    }
}
