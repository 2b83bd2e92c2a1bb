using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Softmax over one axis (opset 13 semantics; before opset 13 the axes from <c>axis</c> on are
/// flattened into one). Backward: dx = y·(dy − Σ dy·y).
/// </summary>
internal sealed class Softmax(int opset) : Operator
{
    public override string OpType => "Softmax";

    public override OutputType[] InferShapes(ShapeContext ctx) => SameAs(ctx);

    /// <summary>(outer, size, inner): the softmax runs over <c>size</c> elements spaced <c>inner</c> apart.</summary>
    private (int Outer, int Size, int Inner) Layout(Node node, Tensor x)
    {
        int axis = ShapeMath.Axis(node.Attributes.Int("axis", opset >= 13 ? -1 : 1), x.Rank);
        return opset >= 13
            ? (ShapeMath.Product(x.Shape, 0, axis), x.Shape[axis], ShapeMath.Product(x.Shape, axis + 1, x.Rank))
            : (ShapeMath.Product(x.Shape, 0, axis), ShapeMath.Product(x.Shape, axis, x.Rank), 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var (outer, size, inner) = Layout(node, x);
        var xf = x.F;
        var y = new float[x.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * size * inner + i;
                float max = float.NegativeInfinity;
                for (int j = 0; j < size; j++) max = MathF.Max(max, xf[b + j * inner]);
                float sum = 0;
                for (int j = 0; j < size; j++) sum += y[b + j * inner] = MathF.Exp(xf[b + j * inner] - max);
                for (int j = 0; j < size; j++) y[b + j * inner] /= sum;
            }
        return [Tensor.FromFloats(x.Shape, y)];
    }

    /// <summary>Second order: the Jacobian is symmetric, so the tangent is the backward of the input's tangent.</summary>
    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Diagonal(this, a);

    /// <summary>R(dx) = t_y·(dy − Σ dy·y) + y·(R(dy) − Σ R(dy)·y − Σ dy·t_y), with t_y the output's tangent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] BackwardTangent(SecondOrderArgs a)
    {
        var (outer, size, inner) = Layout(a.Node, a.Inputs[0]!);
        var y = a.Outputs[0].F;
        var (dy, rdy, ty) = (a.Gradients[0]?.F, a.GradientTangents[0]?.F, a.OutputTangents.Length > 0 ? a.OutputTangents[0]?.F : null);
        if (dy is null || (rdy is null && ty is null)) return [null];
        var r = new float[y.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * size * inner + i;
                float dot = 0, rdot = 0, tdot = 0;
                for (int j = 0; j < size; j++)
                {
                    int at = b + j * inner;
                    dot += dy[at] * y[at];
                    if (rdy is not null) rdot += rdy[at] * y[at];
                    if (ty is not null) tdot += dy[at] * ty[at];
                }
                for (int j = 0; j < size; j++)
                {
                    int at = b + j * inner;
                    r[at] = (ty is null ? 0 : ty[at] * (dy[at] - dot)) + y[at] * ((rdy is null ? 0 : rdy[at]) - rdot - tdot);
                }
            }
        return [Tensor.FromFloats(a.Inputs[0]!.Shape, r)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var (outer, size, inner) = Layout(node, inputs[0]!);
        var (y, dy) = (outputs[0].F, outputGradients[0]!.F);
        var dx = new float[y.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * size * inner + i;
                float dot = 0;
                for (int j = 0; j < size; j++) dot += dy[b + j * inner] * y[b + j * inner];
                for (int j = 0; j < size; j++) dx[b + j * inner] = y[b + j * inner] * (dy[b + j * inner] - dot);
            }
        return [Tensor.FromFloats(inputs[0]!.Shape, dx)];
    }
}
