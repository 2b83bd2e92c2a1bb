using CamAssert.Onnx.Proto;
using Google.Protobuf;

namespace CamAssert.Tests.Support;

/// <summary>Builds small ONNX models in code, for tests of reading, layer paths and operators.</summary>
internal sealed class OnnxBuilder
{
    public ModelProto Model { get; } = new() { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "1.13.1", Graph = new GraphProto { Name = "test" } };

    public OnnxBuilder(long opset = 13) => Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });

    public GraphProto Graph => Model.Graph;

    public OnnxBuilder Input(string name, params long[] dims)
    {
        Graph.Input.Add(Value(name, dims));
        return this;
    }

    public OnnxBuilder Output(string name, params long[] dims)
    {
        Graph.Output.Add(Value(name, dims));
        return this;
    }

    public OnnxBuilder Weight(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return this;
    }

    public OnnxBuilder Ints(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return this;
    }

    public OnnxBuilder Node(string op, string name, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        foreach (var (an, av) in attributes)
        {
            var a = new AttributeProto { Name = an };
            switch (av)
            {
                case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
                case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
                case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
                case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
                case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
                default: throw new ArgumentException($"attribute type {av.GetType()}");
            }
            n.Attribute.Add(a);
        }
        Graph.Node.Add(n);
        return this;
    }

    public byte[] Bytes() => Model.ToByteArray();

    public string Save(string folder, string file = "model.onnx")
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, file);
        File.WriteAllBytes(path, Bytes());
        return path;
    }

    private static ValueInfoProto Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    /// <summary>
    /// A tiny PyTorch-named classifier: backbone (stem conv, layer1 with two blocks that reuse
    /// one ReLU module), global pooling and a head, with node names as torch.onnx 1.13 writes them.
    /// The batch axis is dynamic unless <paramref name="batch"/> fixes it.
    /// </summary>
    public static OnnxBuilder NestedClassifier(int batch = -1)
    {
        var b = new OnnxBuilder();
        var rnd = new Random(1);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(rnd.NextDouble() - 0.5)).ToArray();
        b.Input("input", batch, 3, 8, 8).Output("logits", batch, 3);
        b.Weight("w_stem", [4, 3, 3, 3], R(108)).Weight("b_stem", [4], R(4));
        b.Weight("w1", [4, 4, 3, 3], R(144)).Weight("w2", [4, 4, 3, 3], R(144)).Weight("w3", [4, 4, 3, 3], R(144));
        b.Weight("fc_w", [3, 4], R(12)).Weight("fc_b", [3], R(3));
        var conv = new (string, object)[] { ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }) };
        b.Node("Conv", "/backbone/stem/stem.0/Conv", ["input", "w_stem", "b_stem"], ["/backbone/stem/stem.0/Conv_output_0"], conv);
        b.Node("Relu", "/backbone/stem/stem.1/Relu", ["/backbone/stem/stem.0/Conv_output_0"], ["s"]);
        b.Node("Conv", "/backbone/layer1/layer1.0/conv1/Conv", ["s", "w1"], ["a1"], conv);
        b.Node("Relu", "/backbone/layer1/layer1.0/relu/Relu", ["a1"], ["a2"]);
        b.Node("Conv", "/backbone/layer1/layer1.0/conv2/Conv", ["a2", "w2"], ["a3"], conv);
        b.Node("Add", "/backbone/layer1/layer1.0/Add", ["a3", "s"], ["a4"]);
        b.Node("Relu", "/backbone/layer1/layer1.0/relu_1/Relu", ["a4"], ["a5"]);
        b.Node("Conv", "/backbone/layer1/layer1.1/conv1/Conv", ["a5", "w3"], ["a6"], conv);
        b.Node("Relu", "/backbone/layer1/layer1.1/relu/Relu", ["a6"], ["a7"]);
        b.Node("GlobalAveragePool", "/pool/GlobalAveragePool", ["a7"], ["p"]);
        b.Node("Flatten", "/head/head.0/Flatten", ["p"], ["f"], ("axis", 1L));
        b.Node("Gemm", "/head/head.1/Gemm", ["f", "fc_w", "fc_b"], ["logits"], ("transB", 1L));
        return b;
    }
}
