using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Onnx;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// Reused activation buffers and fused clamps must never show: a kept layer survives later
/// forwards untouched, a forward repeated after others gives the same bits, and a tensor a
/// caller keeps is never clamped by the Relu that reads it.
/// </summary>
public class ArenaTests
{
    public static TheoryData<string> Zoo => new(["resnet", "mobilenet_v2", "mnasnet", "densenet", "shufflenet_v2"]);

    [Theory]
    [MemberData(nameof(Zoo))]
    public void Kept_tensors_survive_later_forwards_and_repeats_are_bit_identical(string name)
    {
        var onnx = OnnxModel.Load(Fixtures.Path_("parity", name, "model.onnx"));
        var input = Npy.Read(Fixtures.Path_("parity", name, "input.npy"));
        var other = Tensor.FromFloats(input.Shape, input.F.Select(v => 0.5f - v).ToArray());
        var keepAll = onnx.Graph.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0).ToHashSet();
        var feed = new Dictionary<string, Tensor> { [onnx.Input.Name] = input };

        var kept = onnx.Executor.Forward(feed, keepAll);
        var snapshot = kept.Where(p => p.Value.Floats is not null).ToDictionary(p => p.Key, p => p.Value.F.ToArray());
        var first = onnx.Executor.Forward(feed, new HashSet<string>())[onnx.Output.Name].F.ToArray();
        for (int i = 0; i < 3; i++) onnx.Executor.Forward(new Dictionary<string, Tensor> { [onnx.Input.Name] = other }, new HashSet<string>());
        var again = onnx.Executor.Forward(feed, new HashSet<string>())[onnx.Output.Name].F;

        again.Should().Equal(first, "a forward after others on {0} reuses their buffers and must give the same bits", name);
        kept[onnx.Output.Name].F.Should().Equal(first, "keeping every tensor of {0} must not change its output", name);
        foreach (var (tensor, values) in snapshot)
            kept[tensor].F.Should().Equal(values, "tensor {0} of {1} was kept, so later forwards must not write into it", tensor, name);
    }

    [Fact]
    public void A_kept_convolution_output_is_not_clamped_by_its_relu()
    {
        var onnx = OnnxModel.Load(Fixtures.Path_("parity", "resnet", "model.onnx"));
        var input = Npy.Read(Fixtures.Path_("parity", "resnet", "input.npy"));
        var nodes = onnx.Graph.Nodes;
        var conv = nodes.First(n => n.OpType == "Conv" && nodes.Any(r => r.OpType == "Relu" && r.Inputs[0] == n.Outputs[0])).Outputs[0];

        var values = onnx.Executor.Forward(new Dictionary<string, Tensor> { [onnx.Input.Name] = input }, new HashSet<string> { conv });

        values[conv].F.Min().Should().BeNegative("the convolution output {0} was kept, so its Relu must write a new tensor, not be fused into the convolution", conv);
    }
}
