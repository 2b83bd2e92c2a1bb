using CamAssert.Models.Backends;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// One TorchSharp forward that kept a layer's output as a leaf of the autograd graph (a detached
/// copy that requires grad), so the graph runs only from there to the score, and gradients for
/// any number of seeds come from <c>autograd.grad</c> with the graph retained.
/// </summary>
internal sealed class TorchForwardPass : ForwardPass
{
    private readonly TorchTensor _activation, _output;
    private readonly object _gate;
    private readonly bool _same;
    private readonly Lazy<bool> _depends;

    private readonly Func<Models.Tensor, IReadOnlyList<BiasGradient>>? _biasGradients;

    /// <summary>
    /// Takes ownership of <paramref name="activation"/> and <paramref name="output"/> (detached from any dispose scope);
    /// <paramref name="biasGradients"/>, when given, computes <see cref="ForwardPass.BiasGradients"/>.
    /// </summary>
    public TorchForwardPass(TorchTensor activation, TorchTensor output, bool same, object gate, Func<Models.Tensor, IReadOnlyList<BiasGradient>>? biasGradients = null)
    {
        _biasGradients = biasGradients;
        _activation = activation;
        _output = output;
        _same = same;
        _gate = gate;
        Activation = TorchTensors.ToCamAssert(activation);
        Output = same ? Activation : TorchTensors.ToCamAssert(output);
        _depends = new Lazy<bool>(() => same || Grad(ones_like(_output)) is not null);
    }

    public override Models.Tensor Activation { get; }

    public override Models.Tensor Output { get; }

    public override bool OutputDependsOnActivation => _depends.Value;

    protected override Models.Tensor GradientOf(Models.Tensor seed)
    {
        if (_same) return seed;
        using var scope = NewDisposeScope();
        var g = Grad(TorchTensors.ToTorch(seed));
        return g is null ? Models.Tensor.Zeros(Models.DataType.Float32, Activation.Shape) : TorchTensors.ToCamAssert(g);
    }

    protected override IReadOnlyList<BiasGradient> BiasGradientsOf(Models.Tensor seed) =>
        _biasGradients is null ? base.BiasGradientsOf(seed) : _biasGradients(seed);

    private TorchTensor? Grad(TorchTensor seed)
    {
        if (!_output.requires_grad) return null;
        lock (_gate)
        {
            var g = autograd.grad([_output], [_activation], [seed], retain_graph: true, allow_unused: true);
            return g.Count == 0 || g[0] is null || g[0].IsInvalid ? null : g[0];
        }
    }

    public override void Dispose()
    {
        _activation.Dispose();
        if (!_same) _output.Dispose();
        base.Dispose();
    }
}
