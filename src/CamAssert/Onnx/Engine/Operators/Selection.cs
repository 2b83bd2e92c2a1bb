using CamAssert.Models;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>Where(condition, x, y) with broadcasting; the gradient goes to x where the condition holds, else to y.</summary>
internal sealed class Where : Operator
{
    public override string OpType => "Where";

    public override OutputType[] InferShapes(ShapeContext ctx) => [new(ctx.Type(1), ShapeMath.Broadcast(ctx.Shape(0), ctx.Shape(1), ctx.Shape(2)))];

    private static int[] OutShape(Tensor?[] i) => ShapeMath.Broadcast(ShapeMath.Broadcast(i[0]!.Shape, i[1]!.Shape), i[2]!.Shape);

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var shape = OutShape(inputs);
        var c = Broadcasting.To(inputs[0]!, shape).I;
        var x = Broadcasting.To(inputs[1]!, shape);
        var y = Broadcasting.To(inputs[2]!, shape);
        if (x.Floats is { } xf) return [Tensor.FromFloats(shape, c.Select((v, i) => v != 0 ? xf[i] : y.F[i]).ToArray())];
        return [Tensor.FromInts(shape, c.Select((v, i) => v != 0 ? x.I[i] : y.I[i]).ToArray(), x.Type)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 1, 2);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var shape = OutShape(inputs);
        var c = Broadcasting.To(inputs[0]!, shape).I;
        var g = outputGradients[0]!.F;
        var dx = Tensor.FromFloats(shape, g.Select((v, i) => c[i] != 0 ? v : 0).ToArray());
        var dy = Tensor.FromFloats(shape, g.Select((v, i) => c[i] != 0 ? 0 : v).ToArray());
        return [null, Broadcasting.SumTo(dx, inputs[1]!.Shape), Broadcasting.SumTo(dy, inputs[2]!.Shape)];
    }
}

/// <summary>Expand to a shape by broadcasting; backward sums over the expanded axes.</summary>
internal sealed class Expand : Operator
{
    public override string OpType => "Expand";

    public override OutputType[] InferShapes(ShapeContext ctx) =>
        [new(ctx.Type(0), ctx.Ints(1) is { } dims ? ShapeMath.Broadcast(ctx.Shape(0), Shape.Of(dims)) : null)];

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var shape = ShapeMath.Broadcast(inputs[0]!.Shape, inputs[1]!.I.Select(d => checked((int)d)).ToArray());
        return [Broadcasting.To(inputs[0]!, shape)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        [Broadcasting.SumTo(outputGradients[0]!, inputs[0]!.Shape), null];
}
