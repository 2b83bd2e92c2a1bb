using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine;

/// <summary>Expanding a tensor to a broadcast shape, and summing a gradient back to the original shape.</summary>
internal static class Broadcasting
{
    /// <summary>The values of <paramref name="t"/> repeated to <paramref name="shape"/> (returns <paramref name="t"/> when equal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor To(Tensor t, int[] shape)
    {
        if (t.Shape.AsSpan().SequenceEqual(shape)) return t;
        if (t.Floats is { } tiled && TrailingTile(t.Shape, shape) is int copies)
        {
            // A bias over the last axes ([768] → [197, 1, 768]): copy whole blocks instead of mapping each element.
            var r = GC.AllocateUninitializedArray<float>(tiled.Length * copies);
            for (int c = 0; c < copies; c++) tiled.CopyTo(r, c * tiled.Length);
            return Tensor.FromFloats(shape, r);
        }
        var map = IndexMap(t.Shape, shape);
        if (t.Floats is { } f)
        {
            var r = new float[map.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f[map[i]];
            return Tensor.FromFloats(shape, r);
        }
        var v = t.I;
        var ri = new long[map.Length];
        for (int i = 0; i < ri.Length; i++) ri[i] = v[map[i]];
        return Tensor.FromInts(shape, ri, t.Type);
    }

    /// <summary>Sums <paramref name="gradient"/> (of the broadcast shape) over the broadcast axes, giving a tensor of <paramref name="shape"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor SumTo(Tensor gradient, int[] shape)
    {
        if (gradient.Shape.AsSpan().SequenceEqual(shape)) return gradient;
        var map = IndexMap(shape, gradient.Shape);
        var g = gradient.F;
        var r = new float[Tensor.ElementCount(shape)];
        for (int i = 0; i < g.Length; i++) r[map[i]] += g[i];
        return Tensor.FromFloats(shape, r);
    }

    /// <summary>How many copies of <paramref name="from"/> make <paramref name="to"/> when <paramref name="from"/> equals its trailing dimensions (after leading 1s); null otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? TrailingTile(int[] from, int[] to)
    {
        int skip = 0;
        while (skip < from.Length && from[skip] == 1) skip++;
        int n = from.Length - skip;
        if (n == 0 || n > to.Length) return n == 0 && from.Length <= to.Length ? (int)Tensor.ElementCount(to) : null;
        for (int i = 0; i < n; i++) if (from[skip + i] != to[to.Length - n + i]) return null;
        return ShapeMath.Product(to, 0, to.Length - n);
    }

    /// <summary>For each element of <paramref name="to"/>, the index of the element of <paramref name="from"/> that broadcasts to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] IndexMap(int[] from, int[] to)
    {
        int rank = to.Length, offset = rank - from.Length;
        if (offset < 0) throw new ArgumentException($"cannot broadcast {Tensor.ShapeText(from)} to {Tensor.ShapeText(to)}");
        var fromStrides = ShapeMath.Strides(from);
        var strides = new int[rank];
        for (int i = 0; i < from.Length; i++)
        {
            if (from[i] != 1 && from[i] != to[i + offset])
                throw new ArgumentException($"cannot broadcast {Tensor.ShapeText(from)} to {Tensor.ShapeText(to)}");
            strides[i + offset] = from[i] == 1 ? 0 : fromStrides[i];
        }
        var map = new int[Tensor.ElementCount(to)];
        var index = new int[rank];
        int src = 0;
        for (int n = 0; n < map.Length; n++)
        {
            map[n] = src;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                src += strides[axis];
                if (++index[axis] < to[axis]) break;
                src -= strides[axis] * to[axis];
                index[axis] = 0;
            }
        }
        return map;
    }
}
