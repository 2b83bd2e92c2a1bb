using CamAssert.Models;
using System.Numerics.Tensors;
using Tensor = CamAssert.Models.Tensor;

namespace CamAssert.Onnx.Engine;

/// <summary>
/// What an operator's second-order rules read: the node, its forward inputs and outputs, the tangents of its inputs
/// (null for an input that does not vary along the direction), and, for <see cref="Operator.BackwardTangent"/>, the
/// tangents of its outputs, the gradients of its outputs (null where none arrives), their tangents (null where they do
/// not vary) and which inputs need a gradient.
/// </summary>
internal sealed record SecondOrderArgs(Node Node, Tensor?[] Inputs, Tensor[] Outputs, Tensor?[] Tangents)
{
    /// <summary>The tangent of each output (from <see cref="Operator.Tangent"/>).</summary>
    public Tensor?[] OutputTangents { get; init; } = [];

    /// <summary>The gradient at each output.</summary>
    public Tensor?[] Gradients { get; init; } = [];

    /// <summary>The tangent of the gradient at each output.</summary>
    public Tensor?[] GradientTangents { get; init; } = [];

    /// <summary>Which inputs need a gradient (they lie between the layer and the output).</summary>
    public bool[] Wanted { get; init; } = [];

    /// <summary>The tangent of input <paramref name="i"/>, or null when it does not vary (or is absent).</summary>
    public Tensor? TangentOf(int i) => i < Tangents.Length ? Tangents[i] : null;
}

/// <summary>
/// The shared second-order rules of the engine's operators (each operator says which applies, beside its forward
/// and backward): affine operators, element-wise ones with a diagonal Jacobian, bilinear ones, and operators whose
/// backward is linear in the gradient and piecewise constant in the inputs (its derivative is the backward of the
/// gradient's tangent).
/// </summary>
internal static class SecondOrder
{
    /// <summary>The error for an operator without a second-order rule, naming the node, the operator and what to do.</summary>
    public static ModelRunException Unsupported(Node node, string? why = null) => new(
        $"{node} ({node.OpType}) has no second-order rule{(why is null ? "" : $" {why}")}, which ShapleyCAM's Hessian-vector product needs " +
        $"for every operator between the layer and the output. Operators with one: {string.Join(", ", Supported)}. " +
        "Choose a layer after this node (so that it is not between the layer and the output), or use Grad-CAM, which needs first-order gradients only.");

    /// <summary>The op_types with a second-order rule, sorted.</summary>
    public static IReadOnlyList<string> Supported { get; } = OperatorSet.Supported
        .Where(t => OperatorSet.Find(new Node("", t, [], [], Attributes.None)) is { } op
            && op.GetType().GetMethod(nameof(Operator.Tangent))!.DeclaringType != typeof(Operator))
        .ToArray();

    /// <summary>Whether no input varies.</summary>
    public static bool NoneVary(Tensor?[] tangents) => tangents.All(t => t is null);

    /// <summary>
    /// The tangent of an operator that is affine, jointly, in its inputs <paramref name="slots"/> (the others fixed):
    /// f(tangents) − f(zeros), or f(tangents) alone when <paramref name="linear"/> (f(0) = 0). A tangent at an input
    /// outside <paramref name="slots"/> is an input the operator is not affine in: an error naming it.
    /// </summary>
    public static Tensor?[] Affine(Operator op, SecondOrderArgs a, bool linear, params int[] slots)
    {
        for (int i = 0; i < a.Tangents.Length; i++)
            if (a.Tangents[i] is not null && !slots.Contains(i))
                throw Unsupported(a.Node, $"for its input {i} ('{a.Node.Inputs[i]}') varying with the layer");
        if (NoneVary(a.Tangents)) return new Tensor?[a.Outputs.Length];
        var with = (Tensor?[])a.Inputs.Clone();
        var zero = (Tensor?[])a.Inputs.Clone();
        foreach (int s in slots)
        {
            if (s >= a.Inputs.Length || a.Inputs[s] is not { Floats: not null } x) continue;
            zero[s] = Tensor.Zeros(DataType.Float32, x.Shape);
            with[s] = a.TangentOf(s) ?? zero[s];
        }
        var at = op.Forward(a.Node, with);
        var offset = linear ? null : op.Forward(a.Node, zero);
        var r = new Tensor?[at.Length];
        for (int k = 0; k < at.Length; k++)
        {
            if (at[k].Floats is not { } f) continue;
            var v = f.ToArray();
            if (offset is not null) TensorPrimitives.Subtract(v, offset[k].F, v);
            r[k] = Tensor.FromFloats(at[k].Shape, v);
        }
        return r;
    }

    /// <summary>The tangent of an element-wise operator, whose Jacobian is diagonal: its backward applied to the input's tangent.</summary>
    public static Tensor?[] Diagonal(Operator op, SecondOrderArgs a)
    {
        for (int i = 1; i < a.Tangents.Length; i++)
            if (a.Tangents[i] is not null) throw Unsupported(a.Node, $"for its input {i} ('{a.Node.Inputs[i]}') varying with the layer");
        return a.TangentOf(0) is { } t ? [op.Backward(a.Node, a.Inputs, a.Outputs, [t])[0]] : [null];
    }

    /// <summary>
    /// The derivative of a backward that is linear in the output gradients and piecewise constant in the varying inputs
    /// (Conv, Gemm with fixed weights, Relu, MaxPool, reshapes, sums…): the backward of the gradients' tangents.
    /// </summary>
    public static Tensor?[] ThroughBackward(Operator op, SecondOrderArgs a) =>
        NoneVary(a.GradientTangents) ? new Tensor?[a.Inputs.Length]
            : op.Backward(a.Node, a.Inputs, a.Outputs, a.GradientTangents, a.Wanted);

    /// <summary>The tangent of a bilinear operator f(x, y) (Mul, MatMul): f(tₓ, y) + f(x, t_y).</summary>
    public static Tensor?[] BilinearTangent(Operator op, SecondOrderArgs a)
    {
        Tensor? r = null;
        for (int i = 0; i < 2; i++)
        {
            if (a.TangentOf(i) is not { } t) continue;
            var args = (Tensor?[])a.Inputs.Clone();
            args[i] = t;
            r = Add(r, op.Forward(a.Node, args)[0]);
        }
        return [r];
    }

    /// <summary>
    /// The derivative of a bilinear operator's backward: B(x, y; R g) + B(tₓ, t_y; g), the backward on the gradients'
    /// tangents plus the backward of the gradients with the inputs replaced by their tangents (zeros where fixed).
    /// </summary>
    public static Tensor?[] BilinearBackwardTangent(Operator op, SecondOrderArgs a)
    {
        var r = ThroughBackward(op, a);
        if (NoneVary(a.Tangents) || NoneVary(a.Gradients)) return r;
        var tangents = a.Inputs.Select((x, i) => a.TangentOf(i) ?? (x is { Floats: not null } ? Tensor.Zeros(DataType.Float32, x.Shape) : x)).ToArray();
        var cross = op.Backward(a.Node, tangents, a.Outputs, a.Gradients, a.Wanted);
        for (int i = 0; i < r.Length && i < cross.Length; i++) r[i] = Add(r[i], cross[i]);
        return r;
    }

    /// <summary>No tangent anywhere: for operators whose outputs do not vary with their float inputs (Shape, Equal, constants).</summary>
    public static Tensor?[] None(SecondOrderArgs a) => new Tensor?[Math.Max(a.Outputs.Length, a.Inputs.Length)];

    /// <summary>a + b, where null is zero.</summary>
    public static Tensor? Add(Tensor? a, Tensor? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var r = new float[a.Length];
        TensorPrimitives.Add(a.F, b.F, r);
        return Tensor.FromFloats(a.Shape, r);
    }
}
