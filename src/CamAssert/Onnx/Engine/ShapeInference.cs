using CamAssert.Models;
namespace CamAssert.Onnx.Engine;

/// <summary>
/// Static shape inference over a graph. Shape arithmetic that torch.onnx emits
/// (Shape → Gather → Concat → Reshape) is folded by running the operators on the known values,
/// so reshapes get static shapes too.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Largest tensor (in elements) whose values are tracked as a constant.</summary>
    private const long FoldLimit = 1 << 16;

    public static Dictionary<string, ValueInfo> Infer(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Tensor> initializers,
        IReadOnlyList<ValueInfo> inputs, IReadOnlyDictionary<string, ValueInfo> declared, long opset)
    {
        var values = new Dictionary<string, ValueInfo>();
        var constants = new Dictionary<string, Tensor>();
        foreach (var (name, t) in initializers)
        {
            values[name] = new ValueInfo(name, t.Type, Shape.Of(t.Shape.Select(d => (long)d).ToArray()));
            if (t.Length <= FoldLimit) constants[name] = t;
        }
        foreach (var i in inputs) values[i.Name] = i;

        foreach (var node in nodes)
        {
            var op = OperatorSet.Find(node, opset);
            var inInfo = node.Inputs.Select(n => n.Length > 0 ? values.GetValueOrDefault(n) : null).ToArray();
            var inConst = node.Inputs.Select(n => n.Length > 0 ? constants.GetValueOrDefault(n) : null).ToArray();
            OutputType[] outs;
            Tensor[]? folded = null;
            try
            {
                if (op is not null && node.Inputs.All(n => n.Length == 0 || constants.ContainsKey(n)))
                    folded = op.Forward(node, inConst);
                outs = folded is not null
                    ? folded.Select(t => new OutputType(t.Type, Shape.Of(t.Shape.Select(d => (long)d).ToArray()))).ToArray()
                    : op?.InferShapes(new ShapeContext(node, inInfo, inConst)) ?? [];
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or KeyNotFoundException or InvalidCastException or NullReferenceException)
            {
                throw new FormatException($"{node} cannot be applied to its inputs ({string.Join(", ", inInfo.Select(v => v?.Shape?.ToString() ?? "?"))}): {e.Message}", e);
            }
            for (int k = 0; k < node.Outputs.Count; k++)
            {
                string name = node.Outputs[k];
                if (name.Length == 0) continue;
                var inferred = k < outs.Length ? outs[k] : default;
                var declaredInfo = declared.GetValueOrDefault(name);
                Shape? shape = inferred.Shape is { IsFullyKnown: true } || declaredInfo?.Shape is null ? inferred.Shape : declaredInfo.Shape;
                var type = k < outs.Length ? inferred.Type : declaredInfo?.Type ?? DataType.Float32;
                values[name] = new ValueInfo(name, type, shape);
                if (folded is not null && k < folded.Length && folded[k].Length <= FoldLimit) constants[name] = folded[k];
            }
        }
        return values;
    }
}
