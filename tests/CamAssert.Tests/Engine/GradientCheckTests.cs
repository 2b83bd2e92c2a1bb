using CamAssert.Models;
using CamAssert.Onnx.Engine;

namespace CamAssert.Tests.Engine;

/// <summary>
/// Each operator's backward agrees with a central finite difference of its own forward.
/// (Agreement with PyTorch is checked separately, on the parity zoo.)
/// </summary>
public class GradientCheckTests
{
    public static TheoryData<string, int[][], (string, object)[]> Cases => new()
    {
        { "Relu", [[2, 3, 4]], [] },
        { "Sigmoid", [[2, 5]], [] },
        { "Tanh", [[7]], [] },
        { "Erf", [[9]], [] },
        { "HardSwish", [[2, 8]], [] },
        { "HardSigmoid", [[2, 8]], [("alpha", 1f / 6), ("beta", 0.5f)] },
        { "Add", [[2, 3, 4], [3, 1]], [] },
        { "Sub", [[2, 3], [2, 3]], [] },
        { "Mul", [[2, 3, 4, 4], [1, 3, 1, 1]], [] },
        { "Div", [[4, 5], [5]], [] },
        { "Conv", [[1, 4, 7, 6], [6, 2, 3, 3]], [("group", 2L), ("pads", new long[] { 1, 0, 2, 1 }), ("strides", new long[] { 2, 1 }), ("kernel_shape", new long[] { 3, 3 })] },
        { "Conv", [[2, 3, 8, 8], [5, 3, 3, 3]], [("dilations", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER")] },
        { "Conv", [[1, 3, 6, 6], [6, 1, 3, 3]], [("group", 3L), ("pads", new long[] { 1, 1, 1, 1 })] },
        { "Conv", [[1, 4, 5, 5], [3, 4, 1, 1]], [] },
        { "MaxPool", [[1, 2, 7, 7]], [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)] },
        { "AveragePool", [[1, 2, 7, 7]], [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }), ("count_include_pad", 1L), ("ceil_mode", 1L)] },
        { "AveragePool", [[1, 2, 6, 5]], [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)] },
        { "GlobalAveragePool", [[2, 3, 4, 5]], [] },
        { "Gemm", [[3, 4], [5, 4], [5]], [("transB", 1L)] },
        { "MatMul", [[2, 3, 4], [4, 5]], [] },
        { "MatMul", [[2, 3, 4], [2, 4, 2]], [] },
        { "Transpose", [[2, 3, 4]], [("perm", new long[] { 2, 0, 1 })] },
        { "Softmax", [[3, 5]], [("axis", -1L)] },
        { "Softmax", [[2, 3, 4]], [("axis", 1L)] },
        { "LayerNormalization", [[2, 3, 6], [6], [6]], [("axis", -1L)] },
        { "ReduceMean", [[2, 3, 4]], [("axes", new long[] { -1 }), ("keepdims", 1L)] },
        { "Flatten", [[2, 3, 4]], [("axis", 1L)] },
        { "Concat", [[2, 3], [2, 2]], [("axis", 1L)] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences(string op, int[][] shapes, (string, object)[] attributes)
    {
        var rnd = new Random(op.Sum(c => c) * 31 + shapes.Sum(x => x.Sum()));
        var attrs = new Attributes(attributes.ToDictionary(a => a.Item1, a => a.Item2 is int i ? (object)(long)i : a.Item2));
        var node = new Node("n", op, shapes.Select((_, i) => $"x{i}").ToArray(), ["y"], attrs);
        var impl = OperatorSet.Find(node) ?? throw new InvalidOperationException(op);
        var inputs = shapes.Select(s => Tensor.FromFloats(s, Enumerable.Range(0, (int)Tensor.ElementCount(s)).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray())).ToArray();
        if (op == "Div") for (int i = 0; i < inputs[1].Length; i++) inputs[1].F[i] += 2; // keep the denominator away from 0
        FiniteDifferences(impl, node, inputs, rnd);
    }

    /// <summary>Checks every float input's gradient from <paramref name="impl"/>'s backward against central differences of its forward (inputs given a null gradient are skipped).</summary>
    internal static void FiniteDifferences(Operator impl, Node node, Tensor?[] inputs, Random rnd)
    {
        string op = node.OpType;
        var y = impl.Forward(node, inputs)[0];
        var seed = Tensor.FromFloats(y.Shape, Enumerable.Range(0, y.Length).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray());
        var grads = impl.Backward(node, inputs, [y], [seed]);

        double Loss(Tensor?[] xs) => impl.Forward(node, xs)[0].F.Zip(seed.F, (a, b) => (double)a * b).Sum();
        for (int k = 0; k < inputs.Length; k++)
        {
            if (grads.Length <= k || grads[k] is null || inputs[k] is null) continue;
            var g = grads[k]!.F;
            g.Length.Should().Be(inputs[k]!.Length, "the gradient of input {0} has the input's shape", k);
            for (int probe = 0; probe < Math.Min(12, g.Length); probe++)
            {
                int i = rnd.Next(g.Length);
                const float h = 1e-2f;
                var x = inputs[k]!.F;
                float saved = x[i];
                x[i] = saved + h; double plus = Loss(inputs);
                x[i] = saved - h; double minus = Loss(inputs);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                Math.Abs(numeric - g[i]).Should().BeLessThan(2e-2 * Math.Max(1, Math.Abs(numeric)), "{0} input {1} element {2}: numeric {3}, analytic {4}", op, k, i, numeric, g[i]);
            }
        }
    }
}
