using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// The ONNX engine's forward pass: the layer's tensor, the output and the tensors the targeted
/// backward between them reads; each gradient then runs only the nodes on a path from the layer
/// to the output. <see cref="Run"/> computes the values on the engine; a backend whose forward
/// runs elsewhere hands them to <see cref="FromValues"/> and keeps the engine's backward.
/// </summary>
internal sealed class OnnxForwardPass : ForwardPass
{
    private readonly Executor _executor;
    private readonly IReadOnlyDictionary<string, Tensor> _values;
    private readonly IReadOnlyList<int> _path;
    private readonly string _tensor, _output;
    private readonly bool _guidedRelu;

    private OnnxForwardPass(Executor executor, IReadOnlyDictionary<string, Tensor> values, IReadOnlyList<int> path, string tensor, string output, bool guidedRelu = false)
    {
        _guidedRelu = guidedRelu;
        _executor = executor;
        _values = values;
        _path = path;
        _tensor = tensor;
        _output = output;
    }

    /// <summary>Runs the forward on the engine, keeping what the backward from <paramref name="output"/> to <paramref name="tensor"/> reads.</summary>
    /// <remarks>With <paramref name="guidedRelu"/>, gradients pass the Relu nodes as guided backpropagation does.</remarks>
    public static OnnxForwardPass Run(Executor executor, IReadOnlyDictionary<string, Tensor> inputs, string tensor, string output, bool guidedRelu = false)
    {
        var path = executor.Between(tensor, output);
        return new OnnxForwardPass(executor, executor.Forward(inputs, Needed(executor, path, tensor, output)), path, tensor, output, guidedRelu);
    }

    /// <summary>The tensors a forward computed elsewhere must hand to <see cref="FromValues"/>: the layer's, the output and what the backward reads.</summary>
    public static IReadOnlySet<string> Needed(Executor executor, string tensor, string output) =>
        Needed(executor, executor.Between(tensor, output), tensor, output);

    /// <summary>A pass over values computed elsewhere (they must hold <see cref="Needed"/>); gradients run on the engine.</summary>
    /// <exception cref="ArgumentException">A needed tensor is missing; the message names it.</exception>
    public static OnnxForwardPass FromValues(Executor executor, IReadOnlyDictionary<string, Tensor> values, string tensor, string output)
    {
        var path = executor.Between(tensor, output);
        var missing = Needed(executor, path, tensor, output).Where(n => !values.ContainsKey(n) && !executor.IsWeight(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"The forward values lack {missing.Count} tensor(s) the backward from '{output}' to '{tensor}' reads: {string.Join(", ", missing.Take(8).Select(m => $"'{m}'"))}{(missing.Count > 8 ? ", …" : "")}. Return them from the forward (as extra outputs).");
        return new OnnxForwardPass(executor, values, path, tensor, output);
    }

    private static HashSet<string> Needed(Executor executor, IReadOnlyList<int> path, string tensor, string output) =>
        new(executor.Needed(path)) { tensor, output };

    public override Tensor Activation => _values[_tensor];

    public override Tensor Output => _values[_output];

    public override bool OutputDependsOnActivation => _path.Count > 0 || _tensor == _output;

    protected override Tensor OutputWithCore(Tensor activation) =>
        _tensor == _output ? activation : _executor.ForwardFrom(_values, _path, _tensor, activation, _output);

    /// <summary>One backward keeping the gradient at every biased 2-D convolution's and batch normalisation's output on the path.</summary>
    protected override IReadOnlyList<BiasGradient> BiasGradientsOf(Tensor seed)
    {
        var layers = _executor.Biases(_path, _values);
        var grads = _executor.Gradients(_values, _path, _output, seed, _tensor, layers.Select(l => l.Output).ToHashSet(), _guidedRelu);
        return layers.Select(l => new BiasGradient(l.Node, l.Bias, grads[l.Output])).ToList();
    }

    /// <summary>The engine's R-operator pass (<see cref="Executor.HessianVectorProduct"/>); at the output itself, only the seed's own change.</summary>
    protected override Tensor HessianVectorProductOf(Tensor seed, Tensor direction, Func<Tensor, Tensor?>? seedTangent) =>
        _tensor == _output ? seedTangent?.Invoke(direction) ?? Tensor.Zeros(DataType.Float32, direction.Shape)
            : _executor.HessianVectorProduct(_values, _path, _output, seed, _tensor, direction, seedTangent);

    protected override Tensor GradientOf(Tensor seed) =>
        _tensor == _output ? seed : _executor.Gradient(_values, _path, _output, seed, _tensor, _guidedRelu);
}
