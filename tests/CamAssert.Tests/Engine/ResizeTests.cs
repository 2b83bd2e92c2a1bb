using CamAssert.Models;
using CamAssert.Onnx.Engine;

namespace CamAssert.Tests.Engine;

/// <summary>
/// Resize's backward against finite differences of its forward, for each mode and coordinate
/// transformation torch.onnx emits (agreement with PyTorch's F.interpolate: ResizeParityTests).
/// </summary>
public class ResizeTests
{
    public static TheoryData<string, string, int[], long[]?, float[]?> Cases => new()
    {
        { "linear", "half_pixel", [1, 2, 3, 4], [1, 2, 7, 9], null },
        { "linear", "pytorch_half_pixel", [1, 2, 5, 4], [1, 2, 1, 3], null },
        { "linear", "half_pixel", [2, 1, 6, 6], [2, 1, 4, 3], null },
        { "linear", "align_corners", [1, 3, 3, 4], [1, 3, 8, 5], null },
        { "linear", "half_pixel", [1, 2, 3, 5], null, [1, 1, 2, 2] },
        { "nearest", "asymmetric", [1, 2, 3, 4], null, [1, 1, 2, 3] },
        { "nearest", "half_pixel", [1, 2, 4, 3], [1, 2, 6, 7], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences(string mode, string transform, int[] shape, long[]? sizes, float[]? scales)
    {
        var rnd = new Random(shape.Sum() * 17 + mode.Length + transform.Length);
        var (node, impl) = Node(mode, transform, mode == "nearest" && transform == "asymmetric" ? "floor" : "round_prefer_floor");
        var x = Tensor.FromFloats(shape, Enumerable.Range(0, (int)Tensor.ElementCount(shape)).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray());
        Tensor?[] inputs = [x, null, scales is null ? null : Tensor.FromFloats([scales.Length], scales), sizes is null ? null : Tensor.FromInts([sizes.Length], sizes)];
        GradientCheckTests.FiniteDifferences(impl, node, inputs, rnd);
    }

    [Fact]
    public void Bilinear_upsampling_interpolates_between_pixel_centres()
    {
        // [0, 4] to 4 samples with half-pixel centres: source positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        var (node, impl) = Node("linear", "half_pixel", "round_prefer_floor");
        var y = impl.Forward(node, [Tensor.FromFloats([1, 1, 1, 2], [0, 4]), null, null, Tensor.FromInts([4], [1, 1, 1, 4])])[0];
        y.Shape.Should().Equal([1, 1, 1, 4]);
        y.F.Should().Equal([0f, 1f, 3f, 4f], "half-pixel bilinear puts the source centres at 0.25 and 0.75 of the output");
    }

    [Fact]
    public void Cubic_mode_is_refused_with_the_node_name_and_what_to_do()
    {
        var (node, impl) = Node("cubic", "half_pixel", "floor");
        var act = () => impl.Forward(node, [Tensor.FromFloats([1, 1, 2, 2], [1, 2, 3, 4]), null, null, Tensor.FromInts([4], [1, 1, 4, 4])]);
        act.Should().Throw<NotSupportedException>().WithMessage("*'up'*cubic*bilinear*");
    }

    private static (Node, Onnx.Engine.Operator) Node(string mode, string transform, string rounding)
    {
        var attrs = new Attributes(new() { ["mode"] = mode, ["coordinate_transformation_mode"] = transform, ["nearest_mode"] = rounding });
        var node = new Node("up", "Resize", ["x", "", "scales", "sizes"], ["y"], attrs);
        return (node, OperatorSet.Find(node) ?? throw new InvalidOperationException("Resize is not registered"));
    }
}
