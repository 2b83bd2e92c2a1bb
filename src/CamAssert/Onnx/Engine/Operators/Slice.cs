using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>Slice with starts, ends, axes and steps (inputs since opset 10); backward scatters the gradient into zeros.</summary>
internal sealed class Slice : Operator
{
    public override string OpType => "Slice";

    /// <summary>Per axis: first index, step and count, clamped as the spec says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Start, long Step, long Count)[] Ranges(Node node, long[] dims, long[]? starts, long[]? ends, long[]? axes, long[]? steps)
    {
        starts ??= node.Attributes.Ints("starts") ?? throw new ArgumentException("Slice needs starts");
        ends ??= node.Attributes.Ints("ends") ?? throw new ArgumentException("Slice needs ends");
        axes ??= node.Attributes.Ints("axes") ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        var r = dims.Select(d => (0L, 1L, d)).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = ShapeMath.Axis(axes[i], dims.Length);
            long d = dims[axis], step = steps[i];
            if (step == 0) throw new ArgumentException("a slice step of 0 is not allowed");
            if (d < 0) { r[axis] = (0, step, -1); continue; }
            long s = starts[i] < 0 ? starts[i] + d : starts[i], e = ends[i] < 0 ? ends[i] + d : ends[i];
            if (step > 0) { s = Math.Clamp(s, 0, d); e = Math.Clamp(e, 0, d); r[axis] = (s, step, Math.Max(0, (e - s + step - 1) / step)); }
            else { s = Math.Clamp(s, 0, d - 1); e = Math.Clamp(e, -1, d - 1); r[axis] = (s, step, Math.Max(0, (s - e - step - 1) / -step)); }
        }
        return r;
    }

    private static (long, long, long)[] Ranges(Node node, long[] dims, Func<int, long[]?> arg) =>
        Ranges(node, dims, arg(1), arg(2), arg(3), arg(4));

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null || Enumerable.Range(1, ctx.Count - 1).Any(i => ctx.Has(i) && ctx.Ints(i) is null))
            return [new(ctx.Type(0), x is null ? null : new Shape(x.Dims.Select(_ => Dim.Unknown).ToArray()))];
        var r = Ranges(ctx.Node, x.ToArray(), i => ctx.Has(i) ? ctx.Ints(i) : null);
        return [new(ctx.Type(0), new Shape(r.Select((q, i) => q.Item3 >= 0 ? new Dim(q.Item3) : x[i]).ToArray()))];
    }

    /// <summary>For each output element, the input index it reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Shape, int[] Map) Map(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var r = Ranges(node, x.Shape.Select(d => (long)d).ToArray(), i => i < inputs.Length ? inputs[i]?.I : null);
        var shape = r.Select(q => (int)q.Item3).ToArray();
        var strides = ShapeMath.Strides(x.Shape);
        var map = new int[Tensor.ElementCount(shape)];
        var index = new int[shape.Length];
        for (int n = 0; n < map.Length; n++)
        {
            long src = 0;
            for (int a = 0; a < shape.Length; a++) src += (r[a].Item1 + index[a] * r[a].Item2) * strides[a];
            map[n] = (int)src;
            for (int a = shape.Length - 1; a >= 0 && ++index[a] == shape[a]; a--) index[a] = 0;
        }
        return (shape, map);
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var (shape, map) = Map(node, inputs);
        return x.Floats is { } f
            ? [Tensor.FromFloats(shape, map.Select(i => f[i]).ToArray())]
            : [Tensor.FromInts(shape, map.Select(i => x.I[i]).ToArray(), x.Type)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (_, map) = Map(node, inputs);
        var dy = outputGradients[0]!.F;
        var dx = new float[inputs[0]!.Length];
        for (int i = 0; i < map.Length; i++) dx[map[i]] += dy[i];
        return [Tensor.FromFloats(inputs[0]!.Shape, dx), null, null, null, null];
    }
}

/// <summary>Gather along an axis by integer indices (negative indices count from the end); backward scatter-adds.</summary>
internal sealed class Gather : Operator
{
    public override string OpType => "Gather";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var (x, idx) = (ctx.Shape(0), ctx.Shape(1));
        if (x is null || idx is null) return [new(ctx.Type(0), null)];
        int axis = ShapeMath.Axis(ctx.Node.Attributes.Int("axis", 0), x.Rank);
        return [new(ctx.Type(0), new Shape([.. x.Dims.Take(axis), .. idx.Dims, .. x.Dims.Skip(axis + 1)]))];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Shape, int[] Map) Map(Node node, Tensor x, Tensor indices)
    {
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", 0), x.Rank);
        int outer = ShapeMath.Product(x.Shape, 0, axis), inner = ShapeMath.Product(x.Shape, axis + 1, x.Rank), size = x.Shape[axis];
        var idx = indices.I;
        var map = new int[outer * idx.Length * inner];
        int n = 0;
        for (int o = 0; o < outer; o++)
            foreach (long raw in idx)
            {
                long i = raw < 0 ? raw + size : raw;
                if (i < 0 || i >= size) throw new ArgumentException($"index {raw} is out of range for axis {axis} of size {size}");
                for (int j = 0; j < inner; j++) map[n++] = (int)((o * size + i) * inner + j);
            }
        return ([.. x.Shape[..axis], .. indices.Shape, .. x.Shape[(axis + 1)..]], map);
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var (shape, map) = Map(node, x, inputs[1]!);
        return x.Floats is { } f
            ? [Tensor.FromFloats(shape, map.Select(i => f[i]).ToArray())]
            : [Tensor.FromInts(shape, map.Select(i => x.I[i]).ToArray(), x.Type)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (_, map) = Map(node, inputs[0]!, inputs[1]!);
        var dy = outputGradients[0]!.F;
        var dx = new float[inputs[0]!.Length];
        for (int i = 0; i < map.Length; i++) dx[map[i]] += dy[i];
        return [Tensor.FromFloats(inputs[0]!.Shape, dx), null];
    }
}
