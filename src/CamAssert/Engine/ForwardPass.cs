namespace CamAssert.Engine;

/// <summary>
/// One forward run of a model on one input, keeping a chosen intermediate tensor (the layer's
/// activation) and what the backward pass from the output to it needs. Any number of
/// gradients (one per target) can then be taken without running the forward again.
/// </summary>
public sealed class ForwardPass
{
    private readonly Executor _executor;
    private readonly IReadOnlyDictionary<string, Tensor> _values;
    private readonly IReadOnlyList<int> _path;
    private readonly string _tensor, _output;

    internal ForwardPass(Executor executor, IReadOnlyDictionary<string, Tensor> inputs, string tensor, string output)
    {
        _executor = executor;
        _tensor = tensor;
        _output = output;
        _path = executor.Between(tensor, output);
        var keep = new HashSet<string>(executor.Needed(_path)) { tensor, output };
        _values = executor.Forward(inputs, keep);
    }

    /// <summary>The kept intermediate tensor (the layer's activation).</summary>
    public Tensor Activation => _values[_tensor];

    /// <summary>The model output.</summary>
    public Tensor Output => _values[_output];

    /// <summary>Whether the output depends on the activation at all.</summary>
    public bool OutputDependsOnActivation => _path.Count > 0 || _tensor == _output;

    /// <summary>
    /// The gradient of Σ seed ⊙ output with respect to the activation. A one-hot
    /// <paramref name="seed"/> gives the gradient of one logit.
    /// </summary>
    public Tensor Gradient(Tensor seed)
    {
        if (!seed.Shape.AsSpan().SequenceEqual(Output.Shape))
            throw new ArgumentException($"The seed's shape {Tensor.ShapeText(seed.Shape)} must equal the output's shape {Tensor.ShapeText(Output.Shape)}.");
        if (_tensor == _output) return seed;
        return _executor.Gradient(_values, _path, _output, seed, _tensor);
    }
}
