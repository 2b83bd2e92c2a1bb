using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>Transpose by a permutation (default: reverse the axes); backward applies the inverse permutation.</summary>
internal sealed class Transpose : Operator
{
    public override string OpType => "Transpose";

    private static int[] Perm(Node node, int rank) =>
        node.Attributes.Ints("perm")?.Select(p => (int)p).ToArray() ?? Enumerable.Range(0, rank).Reverse().ToArray();

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        return [new(ctx.Type(0), x is null ? null : new Shape(Perm(ctx.Node, x.Rank).Select(p => x[p]).ToArray()))];
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs) => [Permute(inputs[0]!, Perm(node, inputs[0]!.Rank))];

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var perm = Perm(node, inputs[0]!.Rank);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [Permute(outputGradients[0]!, inverse)];
    }

    /// <summary>Moves axis perm[i] of <paramref name="x"/> to position i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Permute(Tensor x, int[] perm)
    {
        if (perm.Length != x.Rank || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= x.Rank))
            throw new ArgumentException($"perm [{string.Join(", ", perm)}] is not a permutation of the {x.Rank} axes of {x}");
        var shape = perm.Select(p => x.Shape[p]).ToArray();
        var inStrides = ShapeMath.Strides(x.Shape);
        var strides = perm.Select(p => inStrides[p]).ToArray();
        var map = new int[x.Length];
        var index = new int[shape.Length];
        int src = 0;
        for (int n = 0; n < map.Length; n++)
        {
            map[n] = src;
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                src += strides[axis];
                if (++index[axis] < shape[axis]) break;
                src -= strides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        if (x.Floats is { } f)
        {
            var r = new float[map.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f[map[i]];
            return Tensor.FromFloats(shape, r);
        }
        var ri = new long[map.Length];
        for (int i = 0; i < ri.Length; i++) ri[i] = x.I[map[i]];
        return Tensor.FromInts(shape, ri, x.Type);
    }
}
