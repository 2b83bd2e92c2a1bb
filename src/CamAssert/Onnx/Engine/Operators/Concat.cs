using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>Concat and Split along one axis: each is the other's backward.</summary>
internal static class Blocks
{
    /// <summary>Copies the <paramref name="parts"/> side by side along <paramref name="axis"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Join(IReadOnlyList<Tensor> parts, int axis)
    {
        var first = parts[0];
        var shape = (int[])first.Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        int outer = ShapeMath.Product(shape, 0, axis), inner = ShapeMath.Product(shape, axis + 1, shape.Length);
        var result = Tensor.Zeros(first.Type, shape);
        int offset = 0;
        foreach (var p in parts)
        {
            for (int d = 0; d < shape.Length; d++)
                if (d != axis && p.Shape[d] != shape[d])
                    throw new ArgumentException($"cannot concatenate {first} and {p} along axis {axis}");
            int block = p.Shape[axis] * inner;
            for (int o = 0; o < outer; o++)
                if (p.Floats is { } f) Array.Copy(f, o * block, result.Floats!, o * shape[axis] * inner + offset, block);
                else Array.Copy(p.I, o * block, result.Ints!, o * shape[axis] * inner + offset, block);
            offset += block;
        }
        return result;
    }

    /// <summary>Cuts <paramref name="x"/> along <paramref name="axis"/> into pieces of the given sizes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor[] Cut(Tensor x, int axis, IReadOnlyList<long> sizes)
    {
        if (sizes.Sum() != x.Shape[axis] || sizes.Any(s => s < 0))
            throw new ArgumentException($"split sizes [{string.Join(", ", sizes)}] do not add up to {x.Shape[axis]}");
        int outer = ShapeMath.Product(x.Shape, 0, axis), inner = ShapeMath.Product(x.Shape, axis + 1, x.Rank);
        var result = new Tensor[sizes.Count];
        int offset = 0;
        for (int s = 0; s < sizes.Count; s++)
        {
            var shape = (int[])x.Shape.Clone();
            shape[axis] = (int)sizes[s];
            var part = Tensor.Zeros(x.Type, shape);
            int block = shape[axis] * inner;
            for (int o = 0; o < outer; o++)
                if (x.Floats is { } f) Array.Copy(f, o * x.Shape[axis] * inner + offset, part.Floats!, o * block, block);
                else Array.Copy(x.I, o * x.Shape[axis] * inner + offset, part.Ints!, o * block, block);
            offset += block;
            result[s] = part;
        }
        return result;
    }
}

/// <summary>Concat of the inputs along an axis.</summary>
internal sealed class Concat : Operator
{
    public override string OpType => "Concat";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var shapes = Enumerable.Range(0, ctx.Count).Select(ctx.Shape).ToList();
        if (shapes.Any(s => s is null)) return [new(ctx.Type(0), null)];
        int axis = ShapeMath.Axis(ctx.Node.Attributes.Int("axis", 0), shapes[0]!.Rank);
        var dims = shapes[0]!.Dims.ToArray();
        dims[axis] = shapes.Select(s => s![axis]).Aggregate((a, b) => a.IsKnown && b.IsKnown ? new Dim(a.Value + b.Value) : Dim.Unknown);
        return [new(ctx.Type(0), new Shape(dims))];
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs) =>
        [Blocks.Join(inputs.Select(t => t!).ToList(), ShapeMath.Axis(node.Attributes.Int("axis", 0), inputs[0]!.Rank))];

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, [.. Enumerable.Range(0, a.Inputs.Length)]);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", 0), inputs[0]!.Rank);
        return Blocks.Cut(outputGradients[0]!, axis, inputs.Select(t => (long)t!.Shape[axis]).ToList());
    }
}

/// <summary>Split into parts along an axis (sizes from the input since opset 13, the attribute before, or equal parts).</summary>
internal sealed class Split : Operator
{
    public override string OpType => "Split";

    private static long[] Sizes(Node node, long? length, long[]? given)
    {
        var sizes = given ?? node.Attributes.Ints("split");
        if (sizes is not null) return sizes;
        int parts = node.Outputs.Count;
        if (length is null) return Enumerable.Repeat(-1L, parts).ToArray();
        long each = (length.Value + parts - 1) / parts;
        return Enumerable.Range(0, parts).Select(i => Math.Max(0, Math.Min(each, length.Value - i * each))).ToArray();
    }

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null) return ctx.Node.Outputs.Select(_ => new OutputType(ctx.Type(0), null)).ToArray();
        int axis = ShapeMath.Axis(ctx.Node.Attributes.Int("axis", 0), x.Rank);
        var sizes = Sizes(ctx.Node, x[axis].IsKnown ? x[axis].Value : null, ctx.Has(1) ? ctx.Ints(1) : null);
        return sizes.Select(s => { var d = x.Dims.ToArray(); d[axis] = s >= 0 ? s : Dim.Unknown; return new OutputType(ctx.Type(0), new Shape(d)); }).ToArray();
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", 0), x.Rank);
        return Blocks.Cut(x, axis, Sizes(node, x.Shape[axis], inputs.Length > 1 ? inputs[1]?.I : null));
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", 0), x.Rank);
        var parts = outputs.Select((o, i) => outputGradients[i] ?? Tensor.Zeros(DataType.Float32, o.Shape)).ToList();
        return [Blocks.Join(parts, axis), null];
    }
}
