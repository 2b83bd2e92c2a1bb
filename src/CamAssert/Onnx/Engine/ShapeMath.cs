using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>Shape arithmetic shared by the operators: broadcasting, axes, window sizes.</summary>
internal static class ShapeMath
{
    /// <summary>Numpy-style broadcast of static shapes.</summary>
    public static Shape? Broadcast(params Shape?[] shapes)
    {
        if (shapes.Any(s => s is null)) return null;
        int rank = shapes.Max(s => s!.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            Dim result = 1;
            foreach (var s in shapes)
            {
                int j = i - (rank - s!.Rank);
                if (j < 0) continue;
                var d = s[j];
                if (d.Value == 1) continue;
                if (result.Value == 1 || !result.IsKnown && !d.IsKnown && result.Symbol == null) result = d;
                else if (d.IsKnown && result.IsKnown && d.Value != result.Value)
                    throw new ArgumentException($"shapes {string.Join(" and ", shapes.Select(x => x!.ToString()))} do not broadcast");
                else if (d.IsKnown) result = d;
            }
            dims[i] = result;
        }
        return new Shape(dims);
    }

    /// <summary>Numpy-style broadcast of runtime shapes.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {Tensor.ShapeText(a)} and {Tensor.ShapeText(b)} do not broadcast");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Resolves a possibly negative axis against <paramref name="rank"/>.</summary>
    public static int Axis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1) && !(rank == 0 && a == 0))
            throw new ArgumentException($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Product of <paramref name="shape"/>[from..to).</summary>
    public static int Product(int[] shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /// <summary>Static shape from runtime sizes.</summary>
    public static Shape ToShape(int[] shape) => Shape.Of(shape.Select(d => (long)d).ToArray());

    /// <summary>Multiplies static dimensions, unknown if either is.</summary>
    public static Dim Times(Dim a, Dim b) => a.Value == 1 ? b : b.Value == 1 ? a : a.IsKnown && b.IsKnown ? new Dim(a.Value * b.Value) : Dim.Unknown;
}
