using CamAssert.Models;
using CamAssert.Models.Backends;
using CamAssert.Onnx.Engine;

namespace CamAssert.Onnx;

/// <summary>
/// The ONNX engine's forward pass: runs every node once, keeping the layer's tensor, the output
/// and the tensors the targeted backward between them reads; each gradient then runs only the
/// nodes on a path from the layer to the output.
/// </summary>
internal sealed class OnnxForwardPass : ForwardPass
{
    private readonly Executor _executor;
    private readonly IReadOnlyDictionary<string, Tensor> _values;
    private readonly IReadOnlyList<int> _path;
    private readonly string _tensor, _output;

    public OnnxForwardPass(Executor executor, IReadOnlyDictionary<string, Tensor> inputs, string tensor, string output)
    {
        _executor = executor;
        _tensor = tensor;
        _output = output;
        _path = executor.Between(tensor, output);
        var keep = new HashSet<string>(executor.Needed(_path)) { tensor, output };
        _values = executor.Forward(inputs, keep);
    }

    public override Tensor Activation => _values[_tensor];

    public override Tensor Output => _values[_output];

    public override bool OutputDependsOnActivation => _path.Count > 0 || _tensor == _output;

    protected override Tensor GradientOf(Tensor seed) =>
        _tensor == _output ? seed : _executor.Gradient(_values, _path, _output, seed, _tensor);
}
