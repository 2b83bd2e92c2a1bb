using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using CamAssert.Onnx;

namespace CamAssert.Models;

/// <summary>
/// An image model as every assertion takes it: its layer tree, its classes, and the backend that
/// runs it (an ONNX file on CamAssert's engine, or a TorchSharp module). Load once and share: a
/// <see cref="CamModel"/> is immutable and thread-safe.
/// </summary>
public sealed class CamModel
{
    private readonly LayerResolver _resolver;

    /// <summary>Wraps a backend (see docs/BACKENDS.md); <see cref="Load"/> does this for ONNX files.</summary>
    public CamModel(ModelBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
        _resolver = new LayerResolver(backend);
    }

    /// <summary>
    /// Loads the ONNX model at <paramref name="path"/> (a relative path from the output folder, else the current
    /// folder; a <c>&lt;CamModel&gt;</c> item lands at <c>models/&lt;file name&gt;</c>, see <see cref="ModelFiles"/>).
    /// Class names come from <paramref name="labels"/> when given, else from the labels file beside the
    /// model (<c>x.onnx.labels.txt</c>, which the <c>Labels</c> of a <c>&lt;CamModel&gt;</c> item becomes), else from
    /// the model's <c>labels</c> metadata.
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing, corrupt, or uses an operator the engine does not run.</exception>
    public static CamModel Load(string path, IReadOnlyList<string>? labels = null) => new(OnnxModel.Load(ModelFiles.Locate(path), labels));

    /// <summary>The backend that runs the model.</summary>
    public ModelBackend Backend { get; }

    /// <summary>Where the model was loaded from (for a file, its path).</summary>
    public string Path => Backend.Source;

    /// <summary>SHA-256 of the model (lower-case hex), recorded in golden files to tell a changed model from drift.</summary>
    public string Sha256 => Backend.ContentHash;

    /// <summary>The model's name, as messages show it (for a file, its file name).</summary>
    public string Name => Backend.Name;

    /// <summary>The layer tree.</summary>
    public LayerTree Layers => Backend.Layers;

    /// <summary>Class names, from the model or given at load; empty when unknown.</summary>
    public IReadOnlyList<string> Labels => Backend.Labels;

    /// <summary>The model's image input: name, shape and layout.</summary>
    public ModelInput Input => Backend.Input;

    /// <summary>The model's output (logits or features).</summary>
    public ValueInfo Output => Backend.Output;

    /// <summary>Finds a layer by path (dotted, slashed, indexed, or an exact ONNX node or tensor name).</summary>
    /// <exception cref="LayerNotFoundException">No layer has that path; the message lists where the name exists and the nearest paths.</exception>
    /// <exception cref="AmbiguousLayerPathException">The path matches several layers.</exception>
    public Layer Layer(LayerPath path) => _resolver.Resolve(path);

    /// <summary>Runs the model on <paramref name="input"/> and returns its output (for a classifier, the logits).</summary>
    /// <exception cref="ArgumentException">The input's shape does not fit the model's.</exception>
    public Tensor Run(Tensor input)
    {
        Input.Check(input, Name);
        return Backend.Run(input);
    }

    /// <summary>
    /// Runs the model on <paramref name="input"/>, keeping the output of <paramref name="layer"/>
    /// so that gradients for any number of targets can be taken from one forward run.
    /// </summary>
    /// <param name="input">The model input.</param>
    /// <param name="layer">The layer whose output is kept (the activation).</param>
    /// <param name="scoreLayer">The layer whose output scores are taken from; null for the model output.</param>
    /// <exception cref="ArgumentException">The input's shape does not fit the model's.</exception>
    public ForwardPass Forward(Tensor input, Layer layer, Layer? scoreLayer = null)
    {
        Input.Check(input, Name);
        return Backend.Capture(input, layer, scoreLayer);
    }

    /// <summary>
    /// Runs the model on <paramref name="input"/>, keeping what the backward pass to the input needs:
    /// the pass's activation is the input, and its gradients are with respect to the input.
    /// </summary>
    /// <param name="input">The model input.</param>
    /// <param name="scoreLayer">The layer whose output scores are taken from; null for the model output.</param>
    /// <param name="rule">The exact gradient, or guided backpropagation through the ReLUs.</param>
    /// <exception cref="ArgumentException">The input's shape does not fit the model's.</exception>
    /// <exception cref="NotSupportedException">The backend gives no gradient at the input, or not with <paramref name="rule"/>.</exception>
    public ForwardPass ForwardToInput(Tensor input, Layer? scoreLayer = null, GradientRule rule = GradientRule.Exact)
    {
        Input.Check(input, Name);
        return Backend.CaptureInput(input, scoreLayer, rule);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
