using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Operators that make or inspect shapes and constants: Shape, Constant, ConstantOfShape,
/// Range, Equal, Cast. They carry no gradient (Cast between float types passes it through).
/// Shape inference folds them, so their values are usually known before the model runs.
/// </summary>
internal sealed class ShapeOf : Operator
{
    public override string OpType => "Shape";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        if (x is null) return [new(DataType.Int64, new Shape([Dim.Unknown]))];
        var (start, end) = Range(ctx.Node, x.Rank);
        return [new(DataType.Int64, Shape.Of(end - start))];
    }

    private static (int Start, int End) Range(Node node, int rank)
    {
        long s = node.Attributes.Int("start", 0), e = node.Attributes.Int("end", rank);
        s = Math.Clamp(s < 0 ? s + rank : s, 0, rank);
        e = Math.Clamp(e < 0 ? e + rank : e, 0, rank);
        return ((int)s, (int)Math.Max(s, e));
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var (s, e) = Range(node, inputs[0]!.Rank);
        return [Tensor.FromInts([e - s], inputs[0]!.Shape[s..e].Select(d => (long)d).ToArray())];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}

/// <summary>Constant: the tensor in its <c>value</c> attribute (or value_float(s)/value_int(s)).</summary>
internal sealed class Constant : Operator
{
    public override string OpType => "Constant";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var t = Value(ctx.Node);
        return [new(t.Type, ShapeMath.ToShape(t.Shape))];
    }

    private static Tensor Value(Node node)
    {
        var a = node.Attributes;
        return a.Tensor("value")
            ?? (a.Has("value_float") ? Tensor.Scalar(a.Float("value_float", 0)) : null)
            ?? (a.Floats("value_floats") is { } fs ? Tensor.FromFloats([fs.Length], fs) : null)
            ?? (a.Has("value_int") ? Tensor.FromInts([], [a.Int("value_int", 0)]) : null)
            ?? (a.Ints("value_ints") is { } vs ? Tensor.FromInts([vs.Length], vs) : null)
            ?? throw new ArgumentException("Constant has no value attribute CamAssert reads (value, value_float(s), value_int(s))");
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs) => [Value(node)];

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [];
}

/// <summary>ConstantOfShape: a tensor of the given shape filled with the value attribute (default float 0).</summary>
internal sealed class ConstantOfShape : Operator
{
    public override string OpType => "ConstantOfShape";

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var type = ctx.Node.Attributes.Tensor("value")?.Type ?? DataType.Float32;
        return [new(type, ctx.Ints(0) is { } dims ? Shape.Of(dims) : null)];
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var dims = inputs[0]!.I.Select(d => checked((int)d)).ToArray();
        var value = node.Attributes.Tensor("value");
        var t = Tensor.Zeros(value?.Type ?? DataType.Float32, dims);
        if (value?.Floats is { } f) Array.Fill(t.Floats!, f[0]);
        else if (value?.Ints is { } v) Array.Fill(t.Ints!, v[0]);
        return [t];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null];
}

/// <summary>Cast to the element type in <c>to</c>; floats truncate toward zero when cast to integers.</summary>
internal sealed class Cast : Operator
{
    public override string OpType => "Cast";

    private static DataType To(Node node)
    {
        long to = node.Attributes.Int("to", 1);
        return DataTypes.IsKnown((int)to) ? (DataType)to : throw new ArgumentException($"Cast to ONNX type {to} is not supported");
    }

    public override OutputType[] InferShapes(ShapeContext ctx) => [new(To(ctx.Node), ctx.Shape(0))];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var to = To(node);
        if (to.IsFloat()) return [Tensor.FromFloats(x.Shape, x.Floats is { } f ? (float[])f.Clone() : x.I.Select(v => (float)v).ToArray())];
        var ints = x.Ints is { } i ? (long[])i.Clone() : x.F.Select(v => (long)v).ToArray();
        if (to == DataType.Bool) for (int k = 0; k < ints.Length; k++) ints[k] = ints[k] != 0 ? 1 : 0;
        return [Tensor.FromInts(x.Shape, ints, to)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        [inputs[0]!.Floats is not null && To(node).IsFloat() ? outputGradients[0] : null];
}

/// <summary>Equal, element-wise with broadcasting, giving a bool tensor.</summary>
internal sealed class Equal : Operator
{
    public override string OpType => "Equal";

    public override OutputType[] InferShapes(ShapeContext ctx) => [new(DataType.Bool, ShapeMath.Broadcast(ctx.Shape(0), ctx.Shape(1)))];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var shape = ShapeMath.Broadcast(inputs[0]!.Shape, inputs[1]!.Shape);
        var a = Broadcasting.To(inputs[0]!, shape);
        var b = Broadcasting.To(inputs[1]!, shape);
        var r = new long[a.Length];
        for (int i = 0; i < r.Length; i++)
            r[i] = (a.Floats is { } f ? f[i] == b.F[i] : a.I[i] == b.I[i]) ? 1 : 0;
        return [Tensor.FromInts(shape, r, DataType.Bool)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.None(a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) => [null, null];
}
