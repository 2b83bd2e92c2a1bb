using System.Security.Cryptography;
using System.Text;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// The TorchSharp backend for a module that takes an NCHW image tensor and returns scores.
/// Layer paths are the module's <c>named_modules()</c> names. Every run puts the module in eval
/// mode and restores its mode afterwards; calls are serialised on the module (hooks and mode are
/// per module), so one instance is safe to share between parallel tests.
/// </summary>
public sealed class TorchModuleBackend : ModelBackend
{
    private readonly nn.Module<TorchTensor, TorchTensor> _module;
    private readonly ModuleProbe _probe;
    private readonly ModuleGate _gate;
    private readonly Lazy<EvidenceFlow> _evidence;
    private readonly Lazy<string> _hash;

    /// <summary>Probes <paramref name="module"/> once on an input of 1×<paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <exception cref="CamModelLoadException">The module does not run on that input, or <paramref name="labels"/> does not fit its output.</exception>
    public TorchModuleBackend(nn.Module<TorchTensor, TorchTensor> module, int height, int width, int channels = 3, IReadOnlyList<string>? labels = null, string? name = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"The input size must be positive, but found height {height}, width {width}, channels {channels}.");
        _module = module;
        _gate = new ModuleGate(module);
        Name = name ?? module.GetName();
        Source = source ?? $"TorchSharp module {module.GetType().FullName}";
        Input = new ModelInput("input", Shape.Of(-1, channels, height, width), TensorLayout.Nchw);
        _probe = InEval(() => ModuleProbe.Run(module, zeros(1, channels, height, width), Name));
        Output = new ValueInfo("output", DataType.Float32, new Shape(_probe.OutputShape.Select((d, i) => i == 0 ? Dim.Unknown : new Dim(d)).ToArray()));
        Labels = labels ?? [];
        if (Labels.Count > 0 && _probe.OutputShape is [_, var classes] && classes != Labels.Count)
            throw new CamModelLoadException(Name, $"{Labels.Count} class names were given, but the module's output has {classes} classes. Give one name per output, in output order.");
        _evidence = new Lazy<EvidenceFlow>(() => InEval(() => _probe.Evidence(module, channels, height, width)));
        _hash = new Lazy<string>(() => InEval(() => Hash(module)));
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string Source { get; }

    /// <summary>SHA-256 of the module's type and its state dict (names, shapes and values).</summary>
    public override string ContentHash => _hash.Value;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Labels { get; }

    /// <summary>NCHW, with the size given at construction.</summary>
    public override ModelInput Input { get; }

    /// <inheritdoc/>
    public override ValueInfo Output { get; }

    /// <summary>The <c>named_modules()</c> tree with each module's output shape.</summary>
    public override LayerTree Layers => _probe.Layers;

    /// <summary>The layer outputs whose removal from the autograd graph cuts every path from the input to the output (found on first use).</summary>
    public override EvidenceFlow Evidence => _evidence.Value;

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, string>> Facts =>
        [new("framework", "TorchSharp"), new("module", _module.GetType().FullName ?? _module.GetName())];

    /// <inheritdoc/>
    public override Models.Tensor Run(Models.Tensor input) => InEval(() =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return TorchTensors.ToCamAssert(Call(TorchTensors.ToTorch(input), "the forward"));
    });

    /// <inheritdoc/>
    public override ForwardPass Capture(Models.Tensor input, Layer layer, Layer? scoreLayer)
    {
        var (module, last) = Hook(layer);
        var score = scoreLayer is null || scoreLayer.Output?.Name == layer.Output?.Name ? default : Hook(scoreLayer);
        return InEval(() =>
        {
            using var scope = NewDisposeScope();
            TorchTensor? activation = null, scoreOutput = null;
            IDisposable? grad = null;
            int call = 0, scoreCall = 0;
            var hooks = new List<Action>
            {
                module.register_forward_hook((_, _, y) =>
                {
                    if (call++ != last) return y;
                    // Kept out of every dispose scope, and never handed to the network: containers such as
                    // Sequential dispose their children's outputs once used, and torchvision-style blocks
                    // change them in place (out.add_(identity)). The network gets a differentiable copy.
                    activation = y.detach().requires_grad_(true).DetachFromDisposeScope();
                    grad ??= enable_grad();   // the graph starts at the layer: nothing before it is recorded
                    return activation.clone();
                }).remove,
            };
            if (score.Module is not null)
                hooks.Add(score.Module.register_forward_hook((_, _, y) => { if (scoreCall++ == score.Last) scoreOutput = y.clone().DetachFromDisposeScope(); return y; }).remove);
            TorchTensor output;
            var noGrad = no_grad();
            try { output = Call(TorchTensors.ToTorch(input), $"the forward capturing layer '{layer.Path}'"); }
            finally
            {
                grad?.Dispose();
                noGrad.Dispose();
                foreach (var remove in hooks) remove();
            }
            if (activation is null)
                throw new ModelRunException($"Layer '{layer.Path}' of '{Name}' did not run in the forward on an input of shape {Models.Tensor.ShapeText(input.Shape)}, so it has no activation. Choose a layer the forward calls (see `camassert layers`).");
            bool same = scoreLayer is not null && score.Module is null;
            if (score.Module is not null)
                output = scoreOutput ?? throw new ModelRunException($"Score layer '{scoreLayer!.Path}' of '{Name}' did not run in the forward. Choose a layer the forward calls.");
            if (!same && score.Module is null) output.DetachFromDisposeScope();
            return new TorchForwardPass(activation, same ? activation : output, same, _gate.Lock);
        });
    }

    /// <summary>
    /// The forward on an input that requires grad, so gradients reach the input. <see cref="GradientRule.GuidedRelu"/>
    /// guides every ReLU module (TorchSharp's <c>nn.ReLU</c>) for this forward, as pytorch-grad-cam does; functional ReLUs
    /// stay exact. The pass's bias gradients (FullGrad) come from one more forward, with hooks on the biased modules.
    /// </summary>
    public override ForwardPass CaptureInput(Models.Tensor input, Layer? scoreLayer, GradientRule rule)
    {
        var score = scoreLayer is null ? default : Hook(scoreLayer);
        return InEval(() =>
        {
            using var scope = NewDisposeScope();
            var x = TorchTensors.ToTorch(input).requires_grad_(true).DetachFromDisposeScope();
            var output = ForwardToScore(x.clone(), scoreLayer, score, rule == GradientRule.GuidedRelu ? GuidedRelu.Install(_module) : null);
            return new TorchForwardPass(x, output, same: false, _gate.Lock, seed => BiasGradients(input, scoreLayer, rule, seed));
        });
    }

    /// <summary>The weights of the module's only Linear layer (TorchCAM's rule), [classes, features].</summary>
    public override Models.Tensor ClassifierWeights(Layer layer) => InEval(() => LinearHead.Weights(_module, Name, layer.Path));

    /// <summary>The bias of the module's only Linear layer (zeros when it has none).</summary>
    public override Models.Tensor ClassifierBias(Layer layer) => InEval(() => LinearHead.Bias(_module, Name, layer.Path));

    /// <summary>FullGrad's bias terms: a forward keeping every biased Conv2d's and BatchNorm2d's output, then one autograd.grad to all of them.</summary>
    private IReadOnlyList<BiasGradient> BiasGradients(Models.Tensor input, Layer? scoreLayer, GradientRule rule, Models.Tensor seed)
    {
        var score = scoreLayer is null ? default : Hook(scoreLayer);
        return InEval(() =>
        {
            using var scope = NewDisposeScope();
            var layers = TorchBiasGradients.Layers(_module);
            var kept = new TorchTensor?[layers.Count];
            var keep = TorchBiasGradients.Keep(layers, kept);
            var guided = rule == GradientRule.GuidedRelu ? GuidedRelu.Install(_module) : null;
            var output = ForwardToScore(TorchTensors.ToTorch(input).requires_grad_(true), scoreLayer, score, new HookSet(() =>
            {
                guided?.Dispose();
                keep.Dispose();
            }));
            try { return TorchBiasGradients.Of(layers, kept, output, seed); }
            finally
            {
                output.Dispose();
                foreach (var k in kept) k?.Dispose();
            }
        });
    }

    /// <summary>One forward with grad enabled, <paramref name="hooks"/> in place (removed after), returning the output or the score layer's (detached from the dispose scope).</summary>
    private TorchTensor ForwardToScore(TorchTensor x, Layer? scoreLayer, (nn.Module<TorchTensor, TorchTensor> Module, int Last) score, IDisposable? hooks)
    {
        TorchTensor? scoreOutput = null;
        int scoreCall = 0;
        var hook = score.Module?.register_forward_hook((_, _, y) => { if (scoreCall++ == score.Last) scoreOutput = y.clone().DetachFromDisposeScope(); return y; });
        TorchTensor output;
        using (enable_grad())
            try { output = Call(x, "the forward to the input's gradient"); }
            finally
            {
                hook?.remove();
                hooks?.Dispose();
            }
        if (score.Module is null) return output.DetachFromDisposeScope();
        return scoreOutput ?? throw new ModelRunException($"Score layer '{scoreLayer!.Path}' of '{Name}' did not run in the forward. Choose a layer the forward calls.");
    }

    private (nn.Module<TorchTensor, TorchTensor> Module, int Last) Hook(Layer layer)
    {
        string path = layer.Output?.Name ?? layer.Path;
        if (!_probe.Hookable.TryGetValue(path, out var module))
            throw new ModelRunException($"Layer '{layer.Path}' of '{Name}' is not a module that takes and returns one tensor, so a forward hook cannot capture its output. Choose one of its child modules or its parent.");
        int calls = _probe.CallsOf(path);
        if (calls == 0)
            throw new ModelRunException($"Layer '{layer.Path}' of '{Name}' did not run in the probe forward, so it has no output to capture. Choose a layer the forward calls (see `camassert layers`).");
        return (module, calls - 1);
    }

    private TorchTensor Call(TorchTensor input, string what)
    {
        try { return _module.call(input); }
        catch (Exception e) when (e is not OutOfMemoryException and not ModelRunException)
        {
            throw new ModelRunException($"TorchSharp failed in {what} of '{Name}' on an input of shape {TorchTensors.Text(input.shape)}: {e.Message} Check that the input has the size and channel count the module takes ({Input.Shape}).", e);
        }
    }

    private T InEval<T>(Func<T> action) => _gate.InEval(action);

    private static string Hash(nn.Module module)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(module.GetType().FullName + "\n"));
        foreach (var (key, value) in module.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{key} {TorchTensors.Text(value.shape)} {value.dtype}\n"));
            using var cpu = value.cpu().contiguous();
            sha.AppendData(cpu.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
