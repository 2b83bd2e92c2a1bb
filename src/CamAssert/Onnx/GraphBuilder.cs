using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Proto;

namespace CamAssert.Onnx;

/// <summary>
/// Builds an engine <see cref="Graph"/> from an ONNX <c>GraphProto</c>: converts weights and
/// attributes, orders the nodes, rejects cycles and dangling inputs, and infers static shapes.
/// Problems are reported as <see cref="FormatException"/> with a message for the user.
/// </summary>
internal sealed class GraphBuilder(GraphProto proto, long opset, Func<TensorProto, byte[]> external)
{
    public Graph Build()
    {
        var initializers = new Dictionary<string, Tensor>();
        foreach (var t in proto.Initializer)
        {
            initializers[t.Name] = OnnxTensors.ToTensor(t, external);
            // The weights now live in the tensor: let their protobuf copy go while the next ones are read.
            t.RawData = Google.Protobuf.ByteString.Empty;
        }

        var inputs = proto.Input.Where(i => !initializers.ContainsKey(i.Name)).Select(ToValueInfo).ToList();
        var outputs = proto.Output.Select(ToValueInfo).ToList();
        var declared = proto.ValueInfo.Select(ToValueInfo).Concat(inputs).Concat(outputs)
            .GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First());

        var nodes = Order(proto.Node.Select(ToNode).ToList(), initializers.Keys.Concat(inputs.Select(i => i.Name)).ToHashSet());
        foreach (var o in outputs)
            if (!initializers.ContainsKey(o.Name) && !inputs.Any(i => i.Name == o.Name) && !nodes.Any(n => n.Outputs.Contains(o.Name)))
                throw new FormatException($"graph output '{o.Name}' is produced by no node");

        var values = ShapeInference.Infer(nodes, initializers, inputs, declared, opset);
        outputs = outputs.Select(o => values.TryGetValue(o.Name, out var v) && o.Shape is null ? v : o).ToList();
        return new Graph(nodes, initializers, inputs, outputs, values);
    }

    private static ValueInfo ToValueInfo(ValueInfoProto v)
    {
        var tensorType = v.Type?.TensorType;
        if (tensorType is null) return new ValueInfo(v.Name, DataType.Float32, null);
        var type = DataTypes.IsKnown(tensorType.ElemType) ? (DataType)tensorType.ElemType : DataType.Float32;
        Shape? shape = tensorType.Shape is null ? null : new Shape(tensorType.Shape.Dim.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0
                ? new Dim(d.DimValue)
                : new Dim(-1, d.DimParam is { Length: > 0 } p ? p : null)).ToArray());
        return new ValueInfo(v.Name, type, shape);
    }

    private int _unnamed;

    private Node ToNode(NodeProto n)
    {
        string name = n.Name.Length > 0 ? n.Name : $"{n.OpType}_{_unnamed++}";
        var attributes = new Dictionary<string, object>();
        foreach (var a in n.Attribute)
        {
            object? value = a.Type switch
            {
                AttributeProto.Types.AttributeType.Float => a.F,
                AttributeProto.Types.AttributeType.Int => a.I,
                AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
                AttributeProto.Types.AttributeType.Tensor => OnnxTensors.ToTensor(a.T, external),
                AttributeProto.Types.AttributeType.Floats => a.Floats.ToArray(),
                AttributeProto.Types.AttributeType.Ints => a.Ints.ToArray(),
                AttributeProto.Types.AttributeType.Strings => a.Strings.Select(s => s.ToStringUtf8()).ToArray(),
                _ => null,
            };
            if (value is not null) attributes[a.Name] = value;
        }
        return new Node(name, n.OpType, n.Input.ToArray(), n.Output.ToArray(), new Attributes(attributes)) { Domain = n.Domain };
    }

    /// <summary>Kahn's algorithm, stable in file order; names the first node on a cycle or with a missing input.</summary>
    private static List<Node> Order(List<Node> nodes, HashSet<string> available)
    {
        var producedBy = new Dictionary<string, Node>();
        foreach (var node in nodes)
            foreach (var o in node.Outputs.Where(o => o.Length > 0))
                if (!producedBy.TryAdd(o, node) || available.Contains(o))
                    throw new FormatException($"tensor '{o}' is produced twice (by {node} and another); a graph must assign each tensor once");
        foreach (var node in nodes)
            foreach (var i in node.Inputs.Where(i => i.Length > 0))
                if (!available.Contains(i) && !producedBy.ContainsKey(i))
                    throw new FormatException($"{node} reads tensor '{i}', which is neither a graph input, a weight, nor the output of any node");

        var ordered = new List<Node>(nodes.Count);
        var done = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var known = new HashSet<string>(available);
        bool progress = true;
        while (ordered.Count < nodes.Count && progress)
        {
            progress = false;
            foreach (var node in nodes)
            {
                if (done.Contains(node) || !node.Inputs.All(i => i.Length == 0 || known.Contains(i))) continue;
                ordered.Add(node);
                done.Add(node);
                foreach (var o in node.Outputs) known.Add(o);
                progress = true;
            }
        }
        if (ordered.Count < nodes.Count)
        {
            var stuck = nodes.First(n => !done.Contains(n));
            throw new FormatException($"the graph has a cycle through {stuck}; ONNX graphs must be acyclic");
        }
        return ordered;
    }
}
