using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// The ONNX backend: a model read from an ONNX file and run on CamAssert's own engine (forward,
/// and a targeted backward from the score to the layer). Immutable and thread-safe.
/// </summary>
public sealed class OnnxModel : ModelBackend
{
    private readonly Lazy<string> _sha256;
    private readonly Lazy<EvidenceFlow> _evidence;

    private OnnxModel(string path, Graph graph, OnnxModelInfo info, LayerTree layers, IReadOnlyList<string> labels)
    {
        Source = path;
        Graph = graph;
        Info = info;
        Layers = layers;
        Labels = labels;
        Input = ModelInput.FromShape(graph.Inputs[0].Name, graph.Inputs[0].Shape);
        Executor = new Executor(graph, info.Opset);
        _sha256 = new Lazy<string>(() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
        _evidence = new Lazy<EvidenceFlow>(() => new EvidenceFlow(
            graph.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0).Prepend(Input.Name),
            Dominators.Of(graph, Input.Name, Output.Name)));
        _exactNames = new Lazy<IReadOnlyCollection<string>>(() => OnnxLayers.ExactNames(graph));
    }

    /// <summary>
    /// Reads the ONNX model at <paramref name="path"/>. Class names come from <paramref name="labels"/>
    /// when given, else from the labels file beside the model, else from its <c>labels</c> metadata
    /// (<see cref="ModelFiles.ClassNames"/>).
    /// </summary>
    /// <exception cref="CamModelLoadException">The file is missing, corrupt, or uses an operator the engine does not run.</exception>
    public static OnnxModel Load(string path, IReadOnlyList<string>? labels = null)
    {
        var (graph, info) = OnnxReader.Read(path);
        var layers = OnnxLayers.Build(graph, info.Producer);
        CheckOperators(path, graph, info, layers);
        if (graph.Inputs.Count == 0) throw new CamModelLoadException(path, "the graph has no inputs to feed an image to.");
        if (graph.Outputs.Count == 0) throw new CamModelLoadException(path, "the graph has no outputs.");
        labels = ModelFiles.ClassNames(path, labels, info.Metadata.TryGetValue("labels", out var text)
            ? text.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : []);
        return new OnnxModel(path, graph, info, layers, labels);
    }

    private static void CheckOperators(string path, Graph graph, OnnxModelInfo info, LayerTree layers)
    {
        var missing = graph.Nodes.Where(n => OperatorSet.Find(n, info.Opset) is null).ToList();
        if (missing.Count == 0) return;
        var first = missing[0];
        string layer = layers.All.FirstOrDefault(l => l.OwnOperations.Contains(first.Name))?.Path ?? "(top level)";
        var kinds = missing.Select(n => n.Domain.Length > 0 ? $"{n.Domain}.{n.OpType}" : n.OpType).Distinct().ToList();
        throw new CamModelLoadException(path,
            $"operator {string.Join(", ", kinds.Select(k => $"'{k}'"))} is not supported by CamAssert's engine " +
            $"(first at node '{first.Name}' in layer '{layer}'; {missing.Count} node(s) in all). " +
            $"Supported operators: {string.Join(", ", OperatorSet.Supported)}. Export the model with these, or open an issue naming the operator.");
    }

    /// <summary>The model's file name.</summary>
    public override string Name => System.IO.Path.GetFileName(Source);

    /// <summary>The path the model was loaded from.</summary>
    public override string Source { get; }

    /// <summary>SHA-256 of the model file (lower-case hex).</summary>
    public override string ContentHash => _sha256.Value;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Labels { get; }

    /// <summary>The graph's first input (the image); NHWC when its shape reads channels-last.</summary>
    public override ModelInput Input { get; }

    /// <summary>The graph's first output (logits or features).</summary>
    public override ValueInfo Output => Graph.Outputs[0];

    /// <summary>The layer tree recovered from the node names.</summary>
    public override LayerTree Layers { get; }

    /// <summary>Exporter, IR version, opset and metadata of the file.</summary>
    public OnnxModelInfo Info { get; }

    /// <summary>The dominators of the output in the dataflow graph, in node order.</summary>
    public override EvidenceFlow Evidence => _evidence.Value;

    /// <summary>Producer and opset.</summary>
    public override IReadOnlyList<KeyValuePair<string, string>> Facts =>
        [new("producer", Info.Producer), new("opset", Info.Opset.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly Lazy<IReadOnlyCollection<string>> _exactNames;

    /// <summary>Every node and tensor name of the graph.</summary>
    public override IReadOnlyCollection<string> ExactNames => _exactNames.Value;

    /// <summary>A node, a tensor or a graph input named exactly <paramref name="name"/>.</summary>
    public override IReadOnlyList<Layer> ExactMatches(string name, Layer? walked) => OnnxLayers.ExactMatches(Graph, name, walked);

    internal Graph Graph { get; }

    internal Executor Executor { get; }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        var values = Executor.Forward(new Dictionary<string, Tensor> { [Input.Name] = input }, new HashSet<string>());
        return values[Output.Name];
    }

    /// <summary>The weights of the Gemm or MatMul that reads the global average pool of the layer's output (see LinearHead).</summary>
    public override Tensor ClassifierWeights(Layer layer) =>
        LinearHead.Weights(Graph, layer.Output?.Name ?? throw new ArgumentException($"Layer '{layer.Path}' of '{Name}' has no output tensor."), Output.Name, Name, layer.Path);

    /// <summary>The bias of that Gemm (zeros for a MatMul; see LinearHead).</summary>
    public override Tensor ClassifierBias(Layer layer) =>
        LinearHead.Bias(Graph, layer.Output?.Name ?? throw new ArgumentException($"Layer '{layer.Path}' of '{Name}' has no output tensor."), Output.Name, Name, layer.Path);

    /// <inheritdoc/>
    public override ForwardPass Capture(Tensor input, Layer layer, Layer? scoreLayer)
    {
        string Tensor(Layer l) => l.Output?.Name ?? throw new ArgumentException($"Layer '{l.Path}' of '{Name}' has no output tensor.");
        return OnnxForwardPass.Run(Executor, new Dictionary<string, Tensor> { [Input.Name] = input }, Tensor(layer), scoreLayer is null ? Output.Name : Tensor(scoreLayer));
    }

    /// <summary>The forward from the graph's input: gradients run back over every node between the input and the score; <see cref="GradientRule.GuidedRelu"/> guides every Relu node.</summary>
    public override ForwardPass CaptureInput(Tensor input, Layer? scoreLayer, GradientRule rule)
    {
        string output = scoreLayer is null ? Output.Name : scoreLayer.Output?.Name ?? throw new ArgumentException($"Layer '{scoreLayer.Path}' of '{Name}' has no output tensor.");
        return OnnxForwardPass.Run(Executor, new Dictionary<string, Tensor> { [Input.Name] = input }, Input.Name, output, rule == GradientRule.GuidedRelu);
    }
}
