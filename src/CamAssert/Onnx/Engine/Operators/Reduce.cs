using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>ReduceMean and ReduceSum over axes (attribute, or input for ReduceSum since opset 13), with keepdims.</summary>
internal sealed class Reduce(string opType) : Operator
{
    public override string OpType => opType;

    public static IEnumerable<Operator> All() => [new Reduce("ReduceMean"), new Reduce("ReduceSum")];

    private static int[] Axes(Node node, int rank, long[]? given)
    {
        var axes = given ?? node.Attributes.Ints("axes");
        return axes is null || axes.Length == 0
            ? Enumerable.Range(0, rank).ToArray()
            : axes.Select(a => ShapeMath.Axis(a, rank)).Distinct().Order().ToArray();
    }

    private static bool Keep(Node node) => node.Attributes.Int("keepdims", 1) == 1;

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null || ctx.Has(1) && ctx.Ints(1) is null) return [new(ctx.Type(0), null)];
        var axes = Axes(ctx.Node, x.Rank, ctx.Has(1) ? ctx.Ints(1) : null);
        var dims = x.Dims.Select((d, i) => axes.Contains(i) ? (Keep(ctx.Node) ? new Dim(1) : (Dim?)null) : d).Where(d => d is not null).Select(d => d!.Value);
        return [new(ctx.Type(0), new Shape(dims.ToArray()))];
    }

    /// <summary>For each input element, the index of the output element it contributes to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] OutShape, int[] KeptShape, int[] Map, int Count) Map(Node node, Tensor x, long[]? given)
    {
        var axes = Axes(node, x.Rank, given);
        var kept = x.Shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var outShape = Keep(node) ? kept : x.Shape.Where((_, i) => !axes.Contains(i)).ToArray();
        var strides = ShapeMath.Strides(kept);
        var map = new int[x.Length];
        var index = new int[x.Rank];
        for (int n = 0; n < map.Length; n++)
        {
            int dst = 0;
            for (int a = 0; a < x.Rank; a++) if (kept[a] != 1) dst += index[a] * strides[a];
            map[n] = dst;
            for (int a = x.Rank - 1; a >= 0 && ++index[a] == x.Shape[a]; a--) index[a] = 0;
        }
        return (outShape, kept, map, x.Length / Math.Max(1, ShapeMath.Product(kept, 0, kept.Length)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var given = inputs.Length > 1 ? inputs[1]?.I : null;
        var axes = Axes(node, x.Rank, given);
        if (x.Floats is { } xs && axes.Length == 1 && axes[0] == x.Rank - 1 && x.Rank > 0)
        {
            // The last axis (LayerNorm's mean): sum contiguous rows in order.
            int size = x.Shape[^1], rows = x.Length / Math.Max(1, size);
            var r = new float[rows];
            for (int i = 0; i < rows; i++)
            {
                float sum = 0;
                for (int j = 0; j < size; j++) sum += xs[i * size + j];
                r[i] = opType == "ReduceMean" ? sum / size : sum;
            }
            return [Tensor.FromFloats(Keep(node) ? [.. x.Shape[..^1], 1] : x.Shape[..^1], r)];
        }
        var (outShape, _, map, count) = Map(node, x, given);
        var y = new float[Tensor.ElementCount(outShape)];
        var xf = x.Floats ?? x.I.Select(v => (float)v).ToArray();
        for (int i = 0; i < map.Length; i++) y[map[i]] += xf[i];
        if (opType == "ReduceMean") for (int i = 0; i < y.Length; i++) y[i] /= count;
        if (x.Floats is null) return [Tensor.FromInts(outShape, y.Select(v => (long)v).ToArray(), x.Type)];
        return [Tensor.FromFloats(outShape, y)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var (_, _, map, count) = Map(node, x, inputs.Length > 1 ? inputs[1]?.I : null);
        var dy = outputGradients[0]!.F;
        float scale = opType == "ReduceMean" ? 1f / count : 1f;
        var dx = new float[x.Length];
        for (int i = 0; i < dx.Length; i++) dx[i] = dy[map[i]] * scale;
        return [Tensor.FromFloats(x.Shape, dx), null];
    }
}
