using CamAssert.Models;
using CamAssert.Onnx.Proto;
using CamAssert.Tests.Support;
using Google.Protobuf;

namespace CamAssert.Tests.Models;

public class ModelLoadErrorTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private CamModelLoadException LoadFails(string path)
    {
        var e = Assert.Throws<CamModelLoadException>(() => CamModel.Load(path));
        e.Message.Should().Contain(path, "every load error names the file");
        return e;
    }

    private string Write(byte[] bytes, string name = "m.onnx")
    {
        File.WriteAllBytes(_dir.File(name), bytes);
        return _dir.File(name);
    }

    [Fact]
    public void Missing_file_says_so() =>
        LoadFails(_dir.File("nope.onnx")).Problem.Should().Contain("does not exist");

    [Fact]
    public void Directory_is_not_a_model() =>
        LoadFails(_dir.Path).Problem.Should().Contain("directory");

    [Fact]
    public void Empty_file_says_empty() =>
        LoadFails(Write([])).Problem.Should().Contain("empty");

    [Fact]
    public void Truncated_file_says_truncated()
    {
        var bytes = OnnxBuilder.NestedClassifier().Bytes();
        LoadFails(Write(bytes[..(bytes.Length / 2)])).Problem.Should().Contain("truncated");
    }

    [Fact]
    public void Text_file_is_not_protobuf() =>
        LoadFails(Write("hello, this is not a model\n"u8.ToArray())).Problem.Should().Contain("not an ONNX model");

    [Fact]
    public void Model_without_graph_says_no_graph()
    {
        var m = new ModelProto { IrVersion = 8 };
        m.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        LoadFails(Write(m.ToByteArray())).Problem.Should().Contain("no graph");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(99)]
    public void Unsupported_ir_version_names_the_range(long ir)
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Model.IrVersion = ir;
        LoadFails(Write(b.Bytes())).Problem.Should().Contain($"IR version {ir}").And.Contain("IR 3 to 10");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void Unsupported_opset_names_the_range(long opset)
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Model.OpsetImport[0].Version = opset;
        LoadFails(Write(b.Bytes())).Problem.Should().Contain($"opset {opset}").And.Contain("opsets 7 to 21");
    }

    [Fact]
    public void Initializer_size_disagreeing_with_shape_names_the_tensor()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Initializer.First(t => t.Name == "fc_b").Dims[0] = 4;
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("'fc_b'").And.Contain("needs 16 bytes").And.Contain("holds 12");
    }

    [Fact]
    public void Typed_field_count_disagreeing_with_shape_names_the_tensor()
    {
        var b = OnnxBuilder.NestedClassifier();
        var t = b.Graph.Initializer.First(t => t.Name == "fc_b");
        t.FloatData.AddRange([1f, 2f]);
        t.RawData = ByteString.Empty;
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("'fc_b'").And.Contain("needs 3 values, but holds 2");
    }

    [Fact]
    public void Absurd_dimensions_are_refused_before_allocating()
    {
        var b = OnnxBuilder.NestedClassifier();
        var t = b.Graph.Initializer.First(t => t.Name == "fc_b");
        t.Dims.Clear();
        t.Dims.AddRange([1_000_000, 1_000_000]);
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("more than the");
    }

    [Fact]
    public void External_data_outside_the_model_folder_is_refused()
    {
        var b = OnnxBuilder.NestedClassifier();
        var t = b.Graph.Initializer.First(t => t.Name == "fc_b");
        t.RawData = ByteString.Empty;
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../secrets.bin" });
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("outside the model's folder");
    }

    [Fact]
    public void External_data_beside_the_model_is_read()
    {
        var b = OnnxBuilder.NestedClassifier();
        var t = b.Graph.Initializer.First(t => t.Name == "fc_b");
        byte[] data = [.. new byte[8], .. t.RawData.ToByteArray()];
        t.RawData = ByteString.Empty;
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "8" });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "12" });
        File.WriteAllBytes(_dir.File("weights.bin"), data);
        var model = CamModel.Load(Write(b.Bytes()));
        ((CamAssert.Onnx.OnnxModel)model.Backend).Graph.Initializers["fc_b"].F.Should().Equal(OnnxBuilder.NestedClassifier().Graph.Initializer.First(x => x.Name == "fc_b").RawData.ToByteArray().Chunk(4).Select(c => BitConverter.ToSingle(c)));
    }

    [Fact]
    public void Missing_external_file_is_named()
    {
        var b = OnnxBuilder.NestedClassifier();
        var t = b.Graph.Initializer.First(t => t.Name == "fc_b");
        t.RawData = ByteString.Empty;
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "gone.bin" });
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("'gone.bin'").And.Contain("does not exist");
    }

    [Fact]
    public void Dangling_input_names_node_and_tensor()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Node[3].Input[0] = "ghost";
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("'ghost'").And.Contain("/backbone/layer1/layer1.0/relu/Relu");
    }

    [Fact]
    public void Cycle_is_reported()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Node[2].Input[0] = "a5"; // conv1 reads the block's own output
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("cycle");
    }

    [Fact]
    public void Unsupported_operator_names_operator_node_layer_and_supported_set()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Node[3].OpType = "Mish";
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("'Mish'").And.Contain("/backbone/layer1/layer1.0/relu/Relu")
            .And.Contain("backbone.layer1.0.relu").And.Contain("Supported operators: ").And.Contain("Conv");
    }

    [Fact]
    public void Shape_mismatch_between_layers_names_the_node()
    {
        var b = OnnxBuilder.NestedClassifier();
        b.Graph.Initializer.First(t => t.Name == "fc_w").Dims[1] = 2;
        b.Graph.Initializer.First(t => t.Name == "fc_w").RawData = ByteString.CopyFrom(new byte[24]);
        LoadFails(Write(b.Bytes())).Problem.Should().Contain("/head/head.1/Gemm");
    }
}
