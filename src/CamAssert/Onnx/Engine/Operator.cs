using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>What shape inference knows about a node's inputs: types, static shapes and, for small constants, values.</summary>
internal sealed class ShapeContext(Node node, ValueInfo?[] inputs, Tensor?[] constants)
{
    /// <summary>The node being inferred.</summary>
    public Node Node { get; } = node;

    /// <summary>Number of inputs listed (omitted optional inputs included).</summary>
    public int Count => inputs.Length;

    /// <summary>Whether input <paramref name="i"/> is present.</summary>
    public bool Has(int i) => i < inputs.Length && inputs[i] is not null;

    /// <summary>Element type of input <paramref name="i"/>.</summary>
    public DataType Type(int i) => inputs[i]?.Type ?? DataType.Float32;

    /// <summary>Static shape of input <paramref name="i"/>, or null when the rank is unknown.</summary>
    public Shape? Shape(int i) => i < inputs.Length ? inputs[i]?.Shape : null;

    /// <summary>Values of input <paramref name="i"/> when known before running (constants and folded shape arithmetic).</summary>
    public Tensor? Constant(int i) => i < constants.Length ? constants[i] : null;

    /// <summary>Integer values of input <paramref name="i"/> when known.</summary>
    public long[]? Ints(int i) => Constant(i) is { Ints: { } v } ? v : Constant(i)?.Floats?.Select(f => (long)f).ToArray();
}

/// <summary>Static result of one output: element type and shape (null when unknown).</summary>
internal readonly record struct OutputType(DataType Type, Shape? Shape);

/// <summary>
/// One ONNX operator: static shape inference, forward, and the backward pass (the gradient with
/// respect to each float input, given the gradient with respect to each output).
/// </summary>
internal abstract class Operator
{
    /// <summary>The ONNX op_type this operator implements.</summary>
    public abstract string OpType { get; }

    /// <summary>Static type and shape of each output.</summary>
    public abstract OutputType[] InferShapes(ShapeContext ctx);

    /// <summary>Computes the outputs; an omitted optional input is null.</summary>
    public abstract Tensor[] Forward(Node node, Tensor?[] inputs);

    /// <summary>
    /// Gradients with respect to the inputs (null where an input is not differentiable or gets
    /// no gradient), given the forward's inputs and outputs and the gradients of the outputs
    /// (null for an output that receives none).
    /// </summary>
    public abstract Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients);

    /// <summary>
    /// Backward when only some inputs need a gradient (<paramref name="wanted"/>[i]): operators
    /// whose weight gradient is expensive override this to skip it; by default, all are computed.
    /// </summary>
    public virtual Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients, bool[] wanted) =>
        Backward(node, inputs, outputs, outputGradients);

    /// <summary>
    /// Forward-mode derivative: the tangent of each output (null where none) given the tangents of the inputs
    /// (<see cref="SecondOrderArgs.Tangents"/>, null for an input that does not vary). Used by the Hessian-vector
    /// product (<see cref="Executor.HessianVectorProduct"/>); the default says the operator has no second-order rule.
    /// </summary>
    public virtual Tensor?[] Tangent(SecondOrderArgs a) => throw SecondOrder.Unsupported(a.Node);

    /// <summary>
    /// The derivative of <see cref="Backward(Node, Tensor?[], Tensor[], Tensor?[], bool[])"/> along the tangents: for each input, how its
    /// gradient changes when the inputs move along <see cref="SecondOrderArgs.Tangents"/> and the output gradients along
    /// <see cref="SecondOrderArgs.GradientTangents"/> (Pearlmutter's R-operator). The default says the operator has no second-order rule.
    /// </summary>
    public virtual Tensor?[] BackwardTangent(SecondOrderArgs a) => throw SecondOrder.Unsupported(a.Node);

    /// <summary>Shape of input <paramref name="i"/>, unchanged, as the single output (for element-wise operators).</summary>
    protected static OutputType[] SameAs(ShapeContext ctx, int i = 0) => [new(ctx.Type(i), ctx.Shape(i))];
}
