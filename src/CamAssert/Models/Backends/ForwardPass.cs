namespace CamAssert.Models.Backends;

/// <summary>
/// One forward run of a model on one input, keeping a layer's output (the activation) and what
/// the backward pass from the output to it needs. Any number of gradients (one per target) are
/// then taken without running the forward again. Used by one thread; dispose it when done
/// (backends holding native tensors free them here).
/// </summary>
public abstract class ForwardPass : IDisposable
{
    /// <summary>The kept layer output (the activation), batch first, in the layer's own layout.</summary>
    public abstract Tensor Activation { get; }

    /// <summary>The output scores are taken from: the model output, or the score layer's output.</summary>
    public abstract Tensor Output { get; }

    /// <summary>Whether the output depends on the activation at all.</summary>
    public abstract bool OutputDependsOnActivation { get; }

    /// <summary>
    /// The gradient of Σ seed ⊙ output with respect to the activation (the activation's shape).
    /// A one-hot <paramref name="seed"/> gives the gradient of one logit.
    /// </summary>
    /// <exception cref="ArgumentException">The seed's shape is not the output's.</exception>
    public Tensor Gradient(Tensor seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.Shape.AsSpan().SequenceEqual(Output.Shape))
            throw new ArgumentException($"The seed's shape {Tensor.ShapeText(seed.Shape)} must equal the output's shape {Tensor.ShapeText(Output.Shape)}.");
        return GradientOf(seed);
    }

    /// <summary>
    /// The backend's backward pass for <see cref="Gradient"/>, given a seed already checked to
    /// have the output's shape. Returns zeros when the output does not depend on the activation.
    /// </summary>
    protected abstract Tensor GradientOf(Tensor seed);

    /// <summary>Frees what the pass holds; the base holds nothing.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
