using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Operators;

/// <summary>
/// Operators that only change a tensor's shape, not its values: Reshape, Flatten, Squeeze and
/// Unsqueeze. One shape rule serves static inference and execution; backward reshapes the
/// gradient back.
/// </summary>
internal sealed class View(string opType) : Operator
{
    public override string OpType => opType;

    public static IEnumerable<Operator> All() => new[] { "Reshape", "Flatten", "Squeeze", "Unsqueeze" }.Select(o => new View(o));

    public override OutputType[] InferShapes(ShapeContext ctx)
    {
        var x = ctx.Shape(0);
        var arg = ctx.Has(1) ? ctx.Ints(1) : null;
        if (x is null || ctx.Has(1) && arg is null)
            return [new(ctx.Type(0), opType == "Flatten" ? new Shape([Dim.Unknown, Dim.Unknown]) : null)];
        return [new(ctx.Type(0), new Shape(Dims(ctx.Node, x.Dims.ToArray(), arg)))];
    }

    public override Tensor[] Forward(Node node, Tensor?[] inputs)
    {
        var x = inputs[0]!;
        var arg = inputs.Length > 1 && inputs[1] is { } a ? a.I : null;
        var dims = Dims(node, x.Shape.Select(d => new Dim(d)).ToArray(), arg);
        return [x.Reshaped(dims.Select(d => (int)d.Value).ToArray())];
    }

    public override Tensor?[] Tangent(SecondOrderArgs a) => SecondOrder.Affine(this, a, linear: true, 0);

    public override Tensor?[] BackwardTangent(SecondOrderArgs a) => SecondOrder.ThroughBackward(this, a);

    public override Tensor?[] Backward(Node node, Tensor?[] inputs, Tensor[] outputs, Tensor?[] outputGradients) =>
        [outputGradients[0]!.Reshaped(inputs[0]!.Shape), null];

    /// <summary>The output dimensions for input <paramref name="x"/> and the shape/axes argument (opset 13 passes axes as an input).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dim[] Dims(Node node, Dim[] x, long[]? arg)
    {
        switch (opType)
        {
            case "Flatten":
            {
                int axis = ShapeMath.Axis(node.Attributes.Int("axis", 1), x.Length + 1);
                return [x[..axis].Aggregate(new Dim(1), ShapeMath.Times), x[axis..].Aggregate(new Dim(1), ShapeMath.Times)];
            }
            case "Unsqueeze":
            {
                var axes = arg ?? node.Attributes.Ints("axes") ?? throw new ArgumentException("Unsqueeze needs axes");
                int rank = x.Length + axes.Length;
                var set = axes.Select(a => ShapeMath.Axis(a, rank)).ToHashSet();
                var r = new List<Dim>();
                int src = 0;
                for (int i = 0; i < rank; i++) r.Add(set.Contains(i) ? new Dim(1) : x[src++]);
                return [.. r];
            }
            case "Squeeze":
            {
                var axes = arg ?? node.Attributes.Ints("axes");
                var set = axes?.Select(a => ShapeMath.Axis(a, x.Length)).ToHashSet()
                          ?? Enumerable.Range(0, x.Length).Where(i => x[i].Value == 1).ToHashSet();
                foreach (int a in set)
                    if (x[a].IsKnown && x[a].Value != 1) throw new ArgumentException($"cannot squeeze axis {a} of size {x[a].Value}");
                return x.Where((_, i) => !set.Contains(i)).ToArray();
            }
            default:
                return Reshape(x, arg ?? throw new ArgumentException("Reshape needs a shape"), node.Attributes.Int("allowzero", 0) == 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dim[] Reshape(Dim[] x, long[] shape, bool allowZero)
    {
        var r = new Dim[shape.Length];
        int infer = -1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("the target shape has more than one -1");
                infer = i;
            }
            else if (shape[i] == 0 && !allowZero)
                r[i] = i < x.Length ? x[i] : throw new ArgumentException($"0 at position {i} copies a dimension the input does not have");
            else if (shape[i] < 0) throw new ArgumentException($"the target shape has a negative size {shape[i]}");
            else r[i] = shape[i];
        }
        long total = x.Aggregate(new Dim(1), ShapeMath.Times).Value;
        long known = r.Where((_, i) => i != infer).Aggregate(new Dim(1), ShapeMath.Times).Value;
        if (infer >= 0)
            r[infer] = total < 0 || known <= 0 ? Dim.Unknown : total % known == 0 ? total / known
                : throw new ArgumentException($"cannot reshape {total} elements to [{string.Join(", ", shape)}]");
        else if (total >= 0 && known >= 0 && total != known)
            throw new ArgumentException($"cannot reshape {total} elements to [{string.Join(", ", shape)}]");
        return r;
    }
}
