using CamAssert.Onnx.Engine;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Engine;

/// <summary>
/// The engine against PyTorch on the parity zoo (tests/fixtures/parity, made by tools/make_parity.py):
/// logits, the activation of a named layer, and the gradient of the top logit at that layer, each
/// within 1e-4 of PyTorch relative to the tensor's largest magnitude.
/// </summary>
public class ParityTests
{
    public static TheoryData<string> Zoo => new(Fixtures.ZooModels());

    [Fact]
    public void The_zoo_is_there() => Fixtures.ZooModels().Should().HaveCountGreaterThan(10, "the parity zoo covers every architecture family");

    [Theory]
    [MemberData(nameof(Zoo))]
    public void Logits_activation_and_gradient_match_pytorch(string name)
    {
        string dir = Fixtures.Path_("parity", name);
        var model = CamModel.Load(Path.Combine(dir, "model.onnx"));
        var input = Npy.Read(Path.Combine(dir, "input.npy"));
        var layer = model.Layer(File.ReadAllText(Path.Combine(dir, "layer.txt")).Trim());
        var classes = File.ReadAllText(Path.Combine(dir, "class.txt")).Trim().Split(',').Select(int.Parse).ToArray();

        var pass = model.Forward(input, layer);
        Close(pass.Output, Npy.Read(Path.Combine(dir, "logits.npy")), $"{name} logits");
        Close(pass.Activation, Npy.Read(Path.Combine(dir, "activation.npy")), $"{name} activation at {layer.Path}");

        var seed = new float[pass.Output.Length];
        int perImage = pass.Output.Length / pass.Output.Shape[0];
        for (int b = 0; b < classes.Length; b++) seed[b * perImage + classes[b]] = 1;
        var gradient = pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed));
        Close(gradient, Npy.Read(Path.Combine(dir, "gradient.npy")), $"{name} gradient at {layer.Path}");
    }

    internal static void Close(Tensor actual, Tensor expected, string what, double tolerance = 1e-4)
    {
        actual.Length.Should().Be(expected.Length, "{0} has PyTorch's element count ({1} vs {2})", what, Tensor.ShapeText(actual.Shape), Tensor.ShapeText(expected.Shape));
        var (a, e) = (actual.F, expected.F);
        double scale = Math.Max(1e-12, e.Max(v => Math.Abs((double)v)));
        int worst = 0;
        double worstError = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double err = Math.Abs(a[i] - e[i]) / scale;
            if (err > worstError || double.IsNaN(err)) { worstError = double.IsNaN(err) ? double.PositiveInfinity : err; worst = i; }
        }
        worstError.Should().BeLessThanOrEqualTo(tolerance, "{0} should match PyTorch (worst at element {1}: {2} vs {3}, scale {4})", what, worst, a[worst], e[worst], scale);
    }
}
