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

    /// <summary>
    /// The Hessian-vector product at the layer: how <see cref="Gradient"/>(seed) changes when the activation moves along
    /// <paramref name="direction"/> (the activation's shape), i.e. ∂/∂ε ∇_A score(A + ε·direction) at ε = 0. ShapleyCAM uses
    /// it with direction = the activation (pytorch-grad-cam's <c>torch.autograd.grad(grads, activations, grad_outputs=activations)</c>).
    /// </summary>
    /// <param name="seed">∂score/∂output, the output's shape, as for <see cref="Gradient"/>.</param>
    /// <param name="direction">The direction the activation moves along.</param>
    /// <param name="seedTangent">
    /// For a score that is not linear in the output (a softmax probability): how the seed changes when the output moves along
    /// the tangent it is given (the score's Hessian with respect to the output, times that tangent); null, or returning null,
    /// for a linear score (a logit), whose seed does not change.
    /// </param>
    /// <exception cref="ArgumentException">The seed's or the direction's shape is wrong.</exception>
    /// <exception cref="NotSupportedException">The backend gives no second derivatives (the default).</exception>
    /// <exception cref="ModelRunException">An operator between the layer and the output has no second-order rule; the message names it.</exception>
    public Tensor HessianVectorProduct(Tensor seed, Tensor direction, Func<Tensor, Tensor?>? seedTangent = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(direction);
        if (!seed.Shape.AsSpan().SequenceEqual(Output.Shape))
            throw new ArgumentException($"The seed's shape {Tensor.ShapeText(seed.Shape)} must equal the output's shape {Tensor.ShapeText(Output.Shape)}.");
        if (!direction.Shape.AsSpan().SequenceEqual(Activation.Shape))
            throw new ArgumentException($"The direction's shape {Tensor.ShapeText(direction.Shape)} must equal the layer's output shape {Tensor.ShapeText(Activation.Shape)}.");
        return HessianVectorProductOf(seed, direction, seedTangent);
    }

    /// <summary>
    /// The backend's second-order pass for <see cref="HessianVectorProduct"/>, given checked shapes. Optional: the default
    /// throws <see cref="NotSupportedException"/>, so only ShapleyCAM is unavailable on a backend without it.
    /// </summary>
    protected virtual Tensor HessianVectorProductOf(Tensor seed, Tensor direction, Func<Tensor, Tensor?>? seedTangent) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) gives no second derivatives, which ShapleyCAM's Hessian-vector product needs. Override ForwardPass.HessianVectorProductOf in the backend, load the model's ONNX export with CamModel.Load, or use Grad-CAM.");

    /// <summary>Frees what the pass holds; the base holds nothing.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
