using CamAssert.Engine;
using CamAssert.Models.Layers;
using CamAssert.Models.Onnx;

namespace CamAssert.Models;

/// <summary>
/// An image model loaded from an ONNX file: its layer tree, its classes, and the engine that
/// runs it. Load once and share: a <see cref="CamModel"/> is immutable and thread-safe.
/// </summary>
public sealed class CamModel
{
    private readonly LayerResolver _resolver;

    private CamModel(string path, Graph graph, OnnxModelInfo info, LayerTree layers, IReadOnlyList<string> labels)
    {
        Path = path;
        Graph = graph;
        Info = info;
        Layers = layers;
        Labels = labels;
        _resolver = new LayerResolver(layers, graph, Name);
        Executor = new Executor(graph, info.Opset);
        _sha256 = new Lazy<string>(() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
    }

    /// <summary>The path the model was loaded from.</summary>
    public string Path { get; }

    private readonly Lazy<string> _sha256;

    /// <summary>SHA-256 of the model file (lower-case hex), recorded in golden files to tell a changed model from drift.</summary>
    public string Sha256 => _sha256.Value;

    /// <summary>The model's file name, as messages show it.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Exporter, IR version, opset and metadata of the file.</summary>
    public OnnxModelInfo Info { get; }

    /// <summary>The layer tree recovered from the node names.</summary>
    public LayerTree Layers { get; }

    /// <summary>Class names, from the <c>labels</c> metadata entry or given at load; empty when unknown.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The model's first input (the image).</summary>
    public ValueInfo Input => Graph.Inputs[0];

    /// <summary>The model's first output (logits or features).</summary>
    public ValueInfo Output => Graph.Outputs[0];

    internal Graph Graph { get; }

    internal Executor Executor { get; }

    /// <summary>
    /// Loads the ONNX model at <paramref name="path"/> (a relative path from the output folder, else the current
    /// folder; a <c>&lt;CamModel&gt;</c> item lands at <c>models/&lt;file name&gt;</c>, see <see cref="ModelFiles"/>).
    /// Class names come from <paramref name="labels"/> when given, else from the labels file beside the
    /// model (<c>x.onnx.labels.txt</c>, which the <c>Labels</c> of a <c>&lt;CamModel&gt;</c> item becomes), else from
    /// the model's <c>labels</c> metadata.
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing, corrupt, or uses an operator the engine does not run.</exception>
    public static CamModel Load(string path, IReadOnlyList<string>? labels = null)
    {
        path = ModelFiles.Locate(path);
        var (graph, info) = OnnxReader.Read(path);
        var layers = LayerTree.Build(graph, info.Producer);
        CheckOperators(path, graph, info, layers);
        if (graph.Inputs.Count == 0) throw new CamModelLoadException(path, "the graph has no inputs to feed an image to.");
        if (graph.Outputs.Count == 0) throw new CamModelLoadException(path, "the graph has no outputs.");
        labels = ModelFiles.ClassNames(path, labels, info.Metadata.TryGetValue("labels", out var text)
            ? text.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : []);
        return new CamModel(path, graph, info, layers, labels);
    }

    private static void CheckOperators(string path, Graph graph, OnnxModelInfo info, LayerTree layers)
    {
        var missing = graph.Nodes.Where(n => OperatorSet.Find(n, info.Opset) is null).ToList();
        if (missing.Count == 0) return;
        var first = missing[0];
        string layer = layers.All.FirstOrDefault(l => l.OwnNodes.Contains(first))?.Path ?? "(top level)";
        var kinds = missing.Select(n => n.Domain.Length > 0 ? $"{n.Domain}.{n.OpType}" : n.OpType).Distinct().ToList();
        throw new CamModelLoadException(path,
            $"operator {string.Join(", ", kinds.Select(k => $"'{k}'"))} is not supported by CamAssert's engine " +
            $"(first at node '{first.Name}' in layer '{layer}'; {missing.Count} node(s) in all). " +
            $"Supported operators: {string.Join(", ", OperatorSet.Supported)}. Export the model with these, or open an issue naming the operator.");
    }

    /// <summary>Finds a layer by path (dotted, slashed, indexed, or an exact ONNX node or tensor name).</summary>
    /// <exception cref="LayerNotFoundException">No layer has that path; the message lists where the name exists and the nearest paths.</exception>
    /// <exception cref="AmbiguousLayerPathException">The path matches several layers.</exception>
    public Layer Layer(LayerPath path) => _resolver.Resolve(path);

    /// <summary>Runs the model on <paramref name="input"/> and returns its first output (for a classifier, the logits).</summary>
    public Tensor Run(Tensor input)
    {
        CheckInput(input);
        var values = Executor.Forward(new Dictionary<string, Tensor> { [Input.Name] = input }, new HashSet<string>());
        return values[Output.Name];
    }

    /// <summary>
    /// Runs the model on <paramref name="input"/>, keeping the output of <paramref name="layer"/>
    /// so that gradients for any number of targets can be taken from one forward run.
    /// </summary>
    /// <param name="input">The model input.</param>
    /// <param name="layer">The layer whose output is kept (the activation).</param>
    /// <param name="scoreLayer">The layer whose output scores are taken from; null for the model output.</param>
    public ForwardPass Forward(Tensor input, Layer layer, Layer? scoreLayer = null)
    {
        CheckInput(input);
        string Tensor(Layer l) => l.Output?.Name ?? throw new ArgumentException($"Layer '{l.Path}' of '{Name}' has no output tensor.");
        return new ForwardPass(Executor, new Dictionary<string, Tensor> { [Input.Name] = input }, Tensor(layer), scoreLayer is null ? Output.Name : Tensor(scoreLayer));
    }

    private void CheckInput(Tensor input)
    {
        var expected = Input.Shape;
        if (expected is null) return;
        bool fits = expected.Rank == input.Rank && expected.Dims.Select((d, i) => !d.IsKnown || d.Value == input.Shape[i]).All(b => b);
        if (!fits)
            throw new ArgumentException($"Model '{Name}' expects input '{Input.Name}' of shape {expected}, but the input has shape {Tensor.ShapeText(input.Shape)}. Resize or reshape the input to match.");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
