using CamAssert.Models.Layers;

namespace CamAssert.Models.Backends;

/// <summary>
/// What CamAssert needs from a framework to compute CAMs: the model's layer tree, its input
/// (size and layout, decided once at load), its class names and a hash of its content, a run
/// that returns the output, and a capture that keeps one layer's activation and gives the
/// gradient at that layer for any seed at the output. Everything else (layer choice, targets,
/// CAM methods, heatmaps, assertions, golden files, the CLI) works on this contract alone.
/// </summary>
/// <remarks>
/// <para>Implementations are immutable after construction and thread-safe: one instance is shared
/// by every test of a suite, and <see cref="Run"/> and <see cref="Capture"/> are called from
/// many threads at once. The same input must give bit-identical results on every call.</para>
/// <para>Tensors cross the contract as CamAssert <see cref="Tensor"/>s: float arrays with an
/// int shape, batch first, in the layout <see cref="Input"/> states. No framework type crosses it.</para>
/// <para>Inputs are checked against <see cref="ModelInput.Shape"/> by <see cref="CamModel"/> before
/// they reach <see cref="Run"/> or <see cref="Capture"/>. See docs/BACKENDS.md.</para>
/// </remarks>
public abstract class ModelBackend
{
    /// <summary>The model's name as messages show it (for a file, its file name).</summary>
    public abstract string Name { get; }

    /// <summary>Where the model came from: the file path, or a description such as the module's type.</summary>
    public abstract string Source { get; }

    /// <summary>
    /// SHA-256 (lower-case hex) of what defines the model's numbers (the file's bytes, or the
    /// architecture and weights). Golden files record it to tell a changed model from drift.
    /// May be computed on first use; must then stay the same.
    /// </summary>
    public abstract string ContentHash { get; }

    /// <summary>Class names in output order; empty when unknown.</summary>
    public abstract IReadOnlyList<string> Labels { get; }

    /// <summary>The image input: its name, static shape and layout (decided once, at load).</summary>
    public abstract ModelInput Input { get; }

    /// <summary>The output targets score (logits or features): its name and static shape.</summary>
    public abstract ValueInfo Output { get; }

    /// <summary>The layers as the model's author named them, with their output shapes.</summary>
    public abstract LayerTree Layers { get; }

    /// <summary>
    /// The layer outputs that all evidence passes through on its way from the input to
    /// <see cref="Output"/>, with the execution order of every layer output; null when the
    /// backend cannot tell (then no layer is chosen automatically without a warning).
    /// </summary>
    public virtual EvidenceFlow? Evidence => null;

    /// <summary>
    /// Facts about the model for <c>camassert layers</c> (for ONNX: producer and opset), in the
    /// order to show them; empty when there are none.
    /// </summary>
    public virtual IReadOnlyList<KeyValuePair<string, string>> Facts => [];

    /// <summary>
    /// The framework's own names that are valid layer paths besides the tree's paths (for ONNX:
    /// every node and tensor name), for the compile-time checks; empty when there are none.
    /// </summary>
    public virtual IReadOnlyCollection<string> ExactNames => [];

    /// <summary>
    /// The layers <paramref name="name"/> stands for as an exact framework name (an ONNX node or
    /// tensor), leaving out one that is the same layer as <paramref name="walked"/>, the layer the
    /// path reached in the tree (null when it reached none). Empty when the name is no such name.
    /// </summary>
    public virtual IReadOnlyList<Layer> ExactMatches(string name, Layer? walked) => [];

    /// <summary>Runs the model on <paramref name="input"/> and returns <see cref="Output"/> for the whole batch.</summary>
    /// <exception cref="ModelRunException">The framework failed; the message names where and on what.</exception>
    public abstract Tensor Run(Tensor input);

    /// <summary>
    /// Runs the model on <paramref name="input"/> once, keeping the output of
    /// <paramref name="layer"/> (the activation) and what a backward pass from the score to it
    /// needs, so that the gradient for any number of seeds is taken without another forward.
    /// </summary>
    /// <param name="input">The model input, already checked against <see cref="Input"/>.</param>
    /// <param name="layer">A layer of <see cref="Layers"/> or of <see cref="ExactMatches"/>; its <see cref="Layer.Output"/> is the activation.</param>
    /// <param name="scoreLayer">The layer whose output scores are taken from; null for <see cref="Output"/>.</param>
    public abstract ForwardPass Capture(Tensor input, Layer layer, Layer? scoreLayer);

    /// <summary>
    /// Runs the model on <paramref name="input"/> once, keeping what a backward pass from the score to the
    /// model input needs: a pass whose <see cref="ForwardPass.Activation"/> is the input itself, so that
    /// <see cref="ForwardPass.Gradient"/>(seed) is ∂(Σ seed ⊙ output)/∂input, in the input's layout. Pixel
    /// attributions (Saliency, Integrated Gradients, guided backprop) use it; every image of the batch gets
    /// its own gradient (images in a batch do not mix).
    /// </summary>
    /// <param name="input">The model input, already checked against <see cref="Input"/>.</param>
    /// <param name="scoreLayer">The layer whose output scores are taken from; null for <see cref="Output"/>.</param>
    /// <param name="rule">The exact gradient, or guided backpropagation through the ReLUs.</param>
    /// <exception cref="NotSupportedException">The backend gives no gradient at the input (the default), or not with <paramref name="rule"/>.</exception>
    public virtual ForwardPass CaptureInput(Tensor input, Layer? scoreLayer, GradientRule rule) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) gives no gradient with respect to the model input, which pixel attributions (Saliency, InputXGradient, Integrated Gradients, guided backprop) need. Override ModelBackend.CaptureInput in the backend, or use a CAM method.");

    /// <summary>
    /// The weights of the model's final linear layer (the classifier), as a [classes, channels]
    /// tensor, when that layer reads the global average pool of <paramref name="layer"/>'s output:
    /// what the class activation map (CAM, Zhou et al. 2016; TorchCAM's <c>CAM</c>) weighs the
    /// layer's channels by. Optional: the default throws <see cref="NotSupportedException"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend cannot tell, or the model has no such layer; the message says which and what to do.</exception>
    public virtual Tensor ClassifierWeights(Layer layer) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) cannot give the classifier's weights that CAM needs. Override ModelBackend.ClassifierWeights in the backend, or use Grad-CAM (for a global-average-pool + linear head its map is CAM's, up to scale).");

    /// <summary>
    /// The bias of the classifier <see cref="ClassifierWeights"/> finds, one value per class (zeros when it adds none):
    /// with the weights it scores a channel vector as the classifier would (Deep Feature Factorization's concept scores).
    /// Optional: the default throws <see cref="NotSupportedException"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend cannot tell, or the model has no such layer; the message says which and what to do.</exception>
    public virtual Tensor ClassifierBias(Layer layer) =>
        throw new NotSupportedException($"This backend ({GetType().Name}) cannot give the classifier's bias that concept scores need. Override ModelBackend.ClassifierBias in the backend, or use the concepts and maps without scores.");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
