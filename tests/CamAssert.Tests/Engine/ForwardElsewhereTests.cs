using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Onnx;
using CamAssert.Onnx.Engine;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// The seam for a third backend whose forward runs elsewhere and whose backward runs on the
/// engine: values handed in from outside (here every tensor of a full forward, as a runtime that
/// returns all intermediate outputs would) give PyTorch's gradient, and missing ones are named.
/// </summary>
public class ForwardElsewhereTests
{
    public static TheoryData<string> Zoo => new(Fixtures.ZooModels().Take(4));

    [Theory]
    [MemberData(nameof(Zoo))]
    public void Gradient_from_values_computed_elsewhere_matches_pytorch(string name)
    {
        string dir = Fixtures.Path_("parity", name);
        var onnx = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
        var input = Npy.Read(Path.Combine(dir, "input.npy"));
        var layer = new CamModel(onnx).Layer(File.ReadAllText(Path.Combine(dir, "layer.txt")).Trim());
        var classes = File.ReadAllText(Path.Combine(dir, "class.txt")).Trim().Split(',').Select(int.Parse).ToArray();

        var everything = onnx.Graph.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0).ToHashSet();
        var values = onnx.Executor.Forward(new Dictionary<string, Tensor> { [onnx.Input.Name] = input }, everything);
        using var pass = OnnxForwardPass.FromValues(onnx.Executor, values, layer.Output!.Name, onnx.Output.Name);

        var seed = new float[pass.Output.Length];
        int perImage = pass.Output.Length / pass.Output.Shape[0];
        for (int b = 0; b < classes.Length; b++) seed[b * perImage + classes[b]] = 1;
        ParityTests.Close(pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed)), Npy.Read(Path.Combine(dir, "gradient.npy")), $"{name} gradient at {layer.Path}");
    }

    [Fact]
    public void Missing_values_are_named()
    {
        string name = Fixtures.ZooModels().First();
        var onnx = OnnxModel.Load(Fixtures.Path_("parity", name, "model.onnx"));
        var layer = new CamModel(onnx).Layer(File.ReadAllText(Fixtures.Path_("parity", name, "layer.txt")).Trim());
        var needed = OnnxForwardPass.Needed(onnx.Executor, layer.Output!.Name, onnx.Output.Name);
        needed.Should().Contain([layer.Output.Name, onnx.Output.Name]);
        var only = new Dictionary<string, Tensor> { [layer.Output.Name] = Tensor.Scalar(0) };
        var act = () => OnnxForwardPass.FromValues(onnx.Executor, only, layer.Output.Name, onnx.Output.Name);
        act.Should().Throw<ArgumentException>().WithMessage($"*lack*'{onnx.Output.Name}'*Return them from the forward*");
    }
}
