using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Pad (opset 11+: pads and constant value as inputs; before: attributes) in constant, reflect
/// or edge mode; negative pads crop. Backward adds each output gradient onto the input element
/// it was copied from.
/// </summary>
internal sealed class Pad : Operator
{
    public override string OpType => "Pad";

    private static long[]? Pads(Node node, long[]? given) => given ?? node.Attributes.Ints("pads");

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        var pads = Pads(ctx.Node, ctx.Has(1) ? ctx.Ints(1) : null);
        if (x is null || pads is null) return [new(ctx.Type(0), x is null ? null : new Shape(x.Dims.Select(_ => Dim.Unknown).ToArray()))];
        if (pads.Length != 2 * x.Rank) throw new ArgumentException($"pads has {pads.Length} values; a rank-{x.Rank} input needs {2 * x.Rank}");
        return [new(ctx.Type(0), new Shape(x.Dims.Select((d, i) => d.IsKnown ? new Dim(d.Value + pads[i] + pads[i + x.Rank]) : d).ToArray()))];
    }

    /// <summary>For each output element, the input index it copies, or -1 for the constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Shape, int[] Map) Map(Node node, Tensor x, long[] pads)
    {
        int rank = x.Rank;
        if (pads.Length != 2 * rank) throw new ArgumentException($"pads has {pads.Length} values; a rank-{rank} input needs {2 * rank}");
        string mode = node.Attributes.String("mode", "constant");
        var shape = x.Shape.Select((d, i) => checked(d + (int)pads[i] + (int)pads[i + rank])).ToArray();
        if (shape.Any(d => d < 0)) throw new ArgumentException($"pads [{string.Join(", ", pads)}] crop more than the input {x} has");
        var strides = ShapeMath.Strides(x.Shape);
        var map = new int[Tensor.ElementCount(shape)];
        var index = new int[rank];
        for (int n = 0; n < map.Length; n++)
        {
            int src = 0;
            for (int a = 0; a < rank && src >= 0; a++)
            {
                int i = index[a] - (int)pads[a], size = x.Shape[a];
                if ((uint)i >= (uint)size)
                    i = mode switch
                    {
                        "edge" => Math.Clamp(i, 0, size - 1),
                        "reflect" when size > 1 => Reflect(i, size),
                        "reflect" => 0,
                        _ => -1,
                    };
                src = i < 0 ? -1 : src + i * strides[a];
            }
            map[n] = src;
            for (int a = rank - 1; a >= 0 && ++index[a] == shape[a]; a--) index[a] = 0;
        }
        return (shape, map);
    }

    private static int Reflect(int i, int size)
    {
        int period = 2 * (size - 1);
        i = ((i % period) + period) % period;
        return i < size ? i : period - i;
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var (shape, map) = Map(node, x, Pads(node, inputs.Length > 1 ? inputs[1]?.I : null) ?? throw new ArgumentException("Pad needs pads"));
        if (x.Floats is { } f)
        {
            float value = inputs.Length > 2 && inputs[2] is { } c ? (c.Floats?[0] ?? c.I[0]) : node.Attributes.Float("value", 0);
            return [Tensor.FromFloats(shape, map.Select(i => i < 0 ? value : f[i]).ToArray())];
        }
        long iv = inputs.Length > 2 && inputs[2] is { } ci ? ci.I[0] : 0;
        return [Tensor.FromInts(shape, map.Select(i => i < 0 ? iv : x.I[i]).ToArray(), x.Type)];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: false, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients)
    {
        var x = inputs[0]!;
        var (_, map) = Map(node, x, Pads(node, inputs.Length > 1 ? inputs[1]?.I : null)!);
        var dy = outputGradients[0]!.F;
        var dx = new float[x.Length];
        for (int i = 0; i < map.Length; i++) if (map[i] >= 0) dx[map[i]] += dy[i];
        return [Tensor.FromFloats(x.Shape, dx), null, null];
    }
}
