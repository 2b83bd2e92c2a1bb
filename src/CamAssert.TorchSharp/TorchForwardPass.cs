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

    /// <summary>
    /// As pytorch-grad-cam's ShapleyCAM: the gradient with <c>create_graph</c>, then its gradient along the direction
    /// (double backward). A seed that changes with the output adds Jᵀ·seedTangent(J·direction), with J·direction taken by
    /// the double-backward trick (the gradient of a backward with a dummy seed, with respect to that seed).
    /// </summary>
    protected override Models.Tensor HessianVectorProductOf(Models.Tensor seed, Models.Tensor direction, Func<Models.Tensor, Models.Tensor?>? seedTangent)
    {
        if (_same) return seedTangent?.Invoke(direction) ?? Models.Tensor.Zeros(Models.DataType.Float32, Activation.Shape);
        var result = new float[direction.Length];
        if (!_output.requires_grad) return Models.Tensor.FromFloats(Activation.Shape, result);
        Models.Tensor? outputTangent = null;
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            var v = TorchTensors.ToTorch(direction);
            var g = autograd.grad([_output], [_activation], [TorchTensors.ToTorch(seed)], retain_graph: true, create_graph: true, allow_unused: true);
            if (g.Count > 0 && g[0] is { IsInvalid: false } grads && grads.requires_grad)
            {
                var h = autograd.grad([grads], [_activation], [v], retain_graph: true, allow_unused: true);
                if (h.Count > 0 && h[0] is { IsInvalid: false } hv) TorchTensors.ToCamAssert(hv).F.CopyTo(result, 0);
            }
            if (seedTangent is not null)
            {
                var dummy = zeros_like(_output).requires_grad_(true);
                var u = autograd.grad([_output], [_activation], [dummy], retain_graph: true, create_graph: true, allow_unused: true);
                outputTangent = u.Count > 0 && u[0] is { IsInvalid: false } back && back.requires_grad
                    ? TorchTensors.ToCamAssert(autograd.grad([back], [dummy], [v], retain_graph: true, allow_unused: true)[0])
                    : null;
            }
        }
        if (outputTangent is not null && seedTangent!(outputTangent) is { } ds && GradientOf(ds) is var extra)
            for (int i = 0; i < result.Length; i++) result[i] += extra.F[i];
        return Models.Tensor.FromFloats(Activation.Shape, result);
    }

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
