using System.Security.Cryptography;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Models.Layers;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace CamAssert.TorchSharp;

/// <summary>
/// The TorchSharp backend for a TorchScript file (<c>torch.jit.script</c>/<c>trace</c>, saved
/// with <c>.save(path)</c>). Submodules of a script module take no forward hooks, so the only
/// layer is the one the script exposes: its exported <c>forward_features(x)</c> gives the
/// activation (the layer <c>features</c>), and <c>forward_head(features)</c> the scores.
/// </summary>
public sealed class TorchScriptBackend : ModelBackend
{
    /// <summary>The one layer's path: the output of <c>forward_features</c>.</summary>
    public const string FeaturesLayer = "features";

    private const string Recipe =
        "Export the two halves of the forward in PyTorch and script again: " +
        "@torch.jit.export def forward_features(self, x): return <the layer's output>; " +
        "@torch.jit.export def forward_head(self, features): return <the scores from it> " +
        "(docs/TORCHSHARP.md, 'TorchScript files').";

    private readonly jit.ScriptModule<TorchTensor, TorchTensor> _script;
    private readonly ModuleGate _gate;
    private readonly Lazy<string> _hash;

    private TorchScriptBackend(string path, jit.ScriptModule<TorchTensor, TorchTensor> script, int height, int width, int channels, IReadOnlyList<string> labels)
    {
        Source = path;
        _script = script;
        _gate = new ModuleGate(script);
        Input = new ModelInput("input", Shape.Of(-1, channels, height, width), TensorLayout.Nchw);
        Labels = labels;
        var (features, output) = _gate.InEval(() =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var f = Invoke("forward_features", zeros(1, channels, height, width), "the probe forward");
            return (f.shape, Invoke("forward_head", f, "the probe forward").shape);
        });
        Output = new ValueInfo("output", DataType.Float32, Unknown(output));
        var builder = new LayerTreeBuilder(NamingScheme.PyTorch);
        builder.AddOutput(builder.At([FeaturesLayer]), new ValueInfo(FeaturesLayer, DataType.Float32, Unknown(features)));
        Layers = builder.Build();
        Evidence = new EvidenceFlow([FeaturesLayer], [FeaturesLayer]);
        _hash = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    /// <summary>Loads the TorchScript file at <paramref name="path"/> and checks it exports <c>forward_features</c> and <c>forward_head</c>.</summary>
    /// <exception cref="CamModelLoadException">The file is missing or not TorchScript, or lacks the two methods (the message gives the recipe).</exception>
    public static TorchScriptBackend Load(string path, int height, int width, IReadOnlyList<string>? labels = null, int channels = 3)
    {
        if (!File.Exists(path))
            throw new CamModelLoadException(path, $"the file does not exist (full path: {System.IO.Path.GetFullPath(path)}). Copy it to the test output.");
        jit.ScriptModule<TorchTensor, TorchTensor> script;
        try { script = jit.load<TorchTensor, TorchTensor>(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CamModelLoadException(path, $"it is not a TorchScript file libtorch can load ({FirstLine(e.Message)}). Save it with torch.jit.script(model).save(path); for a state_dict use TorchSharpModel.FromStateDict.", e);
        }
        try { return new TorchScriptBackend(path, script, height, width, channels, ModelFiles.ClassNames(path, labels, [])); }
        catch (ModelRunException e) when (e.InnerException is not null && IsMissingMethod(e.InnerException))
        {
            script.Dispose();
            throw new CamModelLoadException(path, "the script exposes no layer output CamAssert can capture: submodules of a TorchScript module take no forward hooks, " +
                $"and it has no exported methods 'forward_features' and 'forward_head'. {Recipe}", e);
        }
        catch (ModelRunException e)
        {
            script.Dispose();
            throw new CamModelLoadException(path, $"the probe forward failed: {e.Message}", e);
        }
    }

    private static bool IsMissingMethod(Exception e) => e.Message.Contains("' is not defined", StringComparison.Ordinal);

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static Shape Unknown(long[] shape) => new(shape.Select((d, i) => i == 0 ? Dim.Unknown : new Dim(d)).ToArray());

    /// <summary>The file name.</summary>
    public override string Name => System.IO.Path.GetFileName(Source);

    /// <summary>The path the script was loaded from.</summary>
    public override string Source { get; }

    /// <summary>SHA-256 of the file.</summary>
    public override string ContentHash => _hash.Value;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Labels { get; }

    /// <inheritdoc/>
    public override ModelInput Input { get; }

    /// <summary>What <c>forward_head</c> returns.</summary>
    public override ValueInfo Output { get; }

    /// <summary>One layer, <c>features</c>: the output of <c>forward_features</c>.</summary>
    public override LayerTree Layers { get; }

    /// <summary>All evidence passes through <c>features</c>: the scores are <c>forward_head(features)</c>.</summary>
    public override EvidenceFlow Evidence { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<KeyValuePair<string, string>> Facts =>
        [new("framework", "TorchScript (TorchSharp)"), new("layers", "only 'features' (forward_features): script submodules take no hooks")];

    /// <summary>The scores: <c>forward_head(forward_features(x))</c>, the same function the CAMs differentiate.</summary>
    public override Models.Tensor Run(Models.Tensor input) => _gate.InEval(() =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var features = Invoke("forward_features", TorchTensors.ToTorch(input), "the forward");
        return TorchTensors.ToCamAssert(Invoke("forward_head", features, "the forward"));
    });

    /// <inheritdoc/>
    public override ForwardPass Capture(Models.Tensor input, Layer layer, Layer? scoreLayer) => _gate.InEval(() =>
    {
        using var scope = NewDisposeScope();
        TorchTensor activation;
        using (no_grad())
            activation = Invoke("forward_features", TorchTensors.ToTorch(input), $"the forward capturing layer '{layer.Path}'").detach().requires_grad_(true).DetachFromDisposeScope();
        if (scoreLayer is not null)
            return new TorchForwardPass(activation, activation, same: true, _gate.Lock);
        using (enable_grad())
        {
            var output = Invoke("forward_head", activation, $"the forward capturing layer '{layer.Path}'").DetachFromDisposeScope();
            return new TorchForwardPass(activation, output, same: false, _gate.Lock);
        }
    });

    /// <summary>forward_features then forward_head on an input that requires grad; with a score layer (the features), the features are the output. Exact gradients only.</summary>
    public override ForwardPass CaptureInput(Models.Tensor input, Layer? scoreLayer, GradientRule rule)
    {
        TorchTensors.RequireExact(rule, Name);
        return _gate.InEval(() =>
        {
            using var scope = NewDisposeScope();
            var x = TorchTensors.ToTorch(input).requires_grad_(true).DetachFromDisposeScope();
            using (enable_grad())
            {
                var features = Invoke("forward_features", x.clone(), "the forward to the input's gradient");
                var output = (scoreLayer is null ? Invoke("forward_head", features, "the forward to the input's gradient") : features).DetachFromDisposeScope();
                return new TorchForwardPass(x, output, same: false, _gate.Lock);
            }
        });
    }

    private TorchTensor Invoke(string method, TorchTensor input, string what)
    {
        try { return _script.invoke<TorchTensor>(method, input); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelRunException($"TorchScript method '{method}' of '{Name}' failed in {what} on an input of shape {TorchTensors.Text(input.shape)}: {FirstLine(e.Message)} Check that the input has the size and channel count the script takes ({Input.Shape}).", e);
        }
    }
}
