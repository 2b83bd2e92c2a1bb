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

    /// <summary>
    /// The output when the layer's output is replaced by <paramref name="activation"/> (the activation's
    /// shape), the rest of the forward unchanged: Ablation-CAM's "what if this channel were off".
    /// Only the part of the model after the layer runs again.
    /// </summary>
    /// <exception cref="ArgumentException">The replacement's shape is not the activation's.</exception>
    /// <exception cref="NotSupportedException">The backend does not re-run from a layer (the default).</exception>
    public Tensor OutputWith(Tensor activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!activation.Shape.AsSpan().SequenceEqual(Activation.Shape))
            throw new ArgumentException($"The replacement activation's shape {Tensor.ShapeText(activation.Shape)} must equal the layer's output shape {Tensor.ShapeText(Activation.Shape)}.");
        return OutputWithCore(activation);
    }

    /// <summary>
    /// The backend's re-run for <see cref="OutputWith"/>, given a replacement already checked to have the
    /// activation's shape. Optional: the default throws <see cref="NotSupportedException"/>, so only
    /// methods that need it (Ablation-CAM) are unavailable on a backend without it.
    /// </summary>
    protected virtual Tensor OutputWithCore(Tensor activation) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) cannot re-run the model from a layer with a replaced output, which Ablation-CAM needs. Override ForwardPass.OutputWithCore in the backend, or use another method.");

    /// <summary>
    /// The gradient of Σ seed ⊙ output at the output of every layer between the pass's activation and the output
    /// that adds a bias per channel, with that bias (FullGrad's bias terms). On a pass from
    /// <see cref="ModelBackend.CaptureInput"/> that is every such layer of the model.
    /// </summary>
    /// <exception cref="ArgumentException">The seed's shape is not the output's.</exception>
    /// <exception cref="NotSupportedException">The backend does not give bias gradients (the default).</exception>
    public IReadOnlyList<BiasGradient> BiasGradients(Tensor seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!seed.Shape.AsSpan().SequenceEqual(Output.Shape))
            throw new ArgumentException($"The seed's shape {Tensor.ShapeText(seed.Shape)} must equal the output's shape {Tensor.ShapeText(Output.Shape)}.");
        return BiasGradientsOf(seed);
    }

    /// <summary>
    /// The backend's backward for <see cref="BiasGradients"/>, given a checked seed. Optional: the default throws
    /// <see cref="NotSupportedException"/>, so only FullGrad is unavailable on a backend without it.
    /// </summary>
    protected virtual IReadOnlyList<BiasGradient> BiasGradientsOf(Tensor seed) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) gives no gradients at its layers' biases, which FullGrad needs. Override ForwardPass.BiasGradientsOf in the backend, load the model's ONNX export with CamModel.Load, or use another method.");

    /// <summary>Frees what the pass holds; the base holds nothing.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
