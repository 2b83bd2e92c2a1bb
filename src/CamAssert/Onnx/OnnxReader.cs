using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Proto;
using Google.Protobuf;

namespace CamAssert.Onnx;

/// <summary>What an ONNX file holds besides its graph.</summary>
/// <param name="Producer">Exporter name and version, such as <c>pytorch 1.13.1</c>.</param>
/// <param name="IrVersion">ONNX IR version.</param>
/// <param name="Opset">Version of the default operator set.</param>
/// <param name="Metadata">The <c>metadata_props</c> entries.</param>
public sealed record OnnxModelInfo(string Producer, long IrVersion, long Opset, IReadOnlyDictionary<string, string> Metadata);

/// <summary>Reads an ONNX file into an engine <see cref="Graph"/>; every problem becomes a <see cref="CamModelLoadException"/>.</summary>
internal static class OnnxReader
{
    /// <summary>IR versions this reader understands.</summary>
    public const long MinIrVersion = 3, MaxIrVersion = 10;

    /// <summary>Default-domain operator set versions this reader understands.</summary>
    public const long MinOpset = 7, MaxOpset = 21;

    /// <summary>Reads and validates the model at <paramref name="path"/>.</summary>
    public static (Graph Graph, OnnxModelInfo Info) Read(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new CamModelLoadException(path, "it is a directory; pass the path of an .onnx file.");
        if (!File.Exists(full)) throw new CamModelLoadException(path, $"the file does not exist (looked at '{full}'). Check the path, or copy the model next to the tests.");
        // Parsed from the stream, not from a copy of the file: a 100 MB model would otherwise be
        // held three times at once (file bytes, protobuf fields, float weights).
        var read = ReadStream(path, full);
        // A large model leaves its protobuf copy behind as garbage of the same size as its weights:
        // collect it now, before the first forward packs the weights, so the two never add up.
        if (new FileInfo(full).Length > LargeModelBytes)
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return read;
    }

    private const long LargeModelBytes = 32 << 20;

    private static (Graph Graph, OnnxModelInfo Info) ReadStream(string path, string full)
    {
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(path, stream.Length, () => ModelProto.Parser.ParseFrom(stream), Path.GetDirectoryName(full)!);
    }

    /// <summary>Reads a model from <paramref name="bytes"/>; external data is looked up in <paramref name="folder"/>.</summary>
    public static (Graph Graph, OnnxModelInfo Info) Read(string path, byte[] bytes, string folder) =>
        Read(path, bytes.Length, () => ModelProto.Parser.ParseFrom(bytes), folder);

    private static (Graph Graph, OnnxModelInfo Info) Read(string path, long length, Func<ModelProto> parse, string folder)
    {
        if (length == 0) throw new CamModelLoadException(path, "the file is empty (0 bytes). Export the model again.");
        ModelProto model;
        try
        {
            model = parse();
        }
        catch (InvalidProtocolBufferException e)
        {
            bool truncated = e.Message.Contains("ended unexpectedly", StringComparison.Ordinal) || e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);
            throw new CamModelLoadException(path, truncated
                ? $"the file is truncated ({length} bytes; the data ends in the middle of a field). Copy or export it again."
                : $"it is not an ONNX model (not a valid protobuf message: {e.Message}). Pass an .onnx file exported by torch.onnx, tf2onnx or similar.", e);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0 && model.Graph.Output.Count == 0)
            throw new CamModelLoadException(path, "it holds no graph (no nodes and no outputs). It may not be an ONNX model, or it was saved empty.");
        if (model.IrVersion < MinIrVersion || model.IrVersion > MaxIrVersion)
            throw new CamModelLoadException(path, $"its IR version {model.IrVersion} is not supported (CamAssert reads IR {MinIrVersion} to {MaxIrVersion}). Export with an ONNX version from that range.");
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(-1).Max();
        if (opset < MinOpset || opset > MaxOpset)
            throw new CamModelLoadException(path, opset < 0
                ? "it declares no default ONNX operator set (opset_import). Export it again with torch.onnx or tf2onnx."
                : $"its opset {opset} is not supported (CamAssert runs opsets {MinOpset} to {MaxOpset}). Export with opset_version=17, for example.");

        try
        {
            var graph = new GraphBuilder(model.Graph, opset, proto => ReadExternal(proto, folder)).Build();
            var info = new OnnxModelInfo(
                $"{model.ProducerName} {model.ProducerVersion}".Trim(), model.IrVersion, opset,
                model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));
            return (graph, info);
        }
        catch (FormatException e)
        {
            throw new CamModelLoadException(path, e.Message + ".", e);
        }
    }

    /// <summary>Reads external data for <paramref name="proto"/>, refusing locations outside <paramref name="folder"/>.</summary>
    private static byte[] ReadExternal(TensorProto proto, string folder)
    {
        var entries = proto.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        string what = $"tensor '{proto.Name}'";
        if (!entries.TryGetValue("location", out var location) || location.Length == 0)
            throw new FormatException($"{what} is marked external but names no location");
        string root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        string file = Path.GetFullPath(Path.Combine(folder, location));
        if (Path.IsPathRooted(location) || !file.StartsWith(root, StringComparison.Ordinal))
            throw new FormatException($"{what} stores its data at '{location}', outside the model's folder; CamAssert reads external data only from files beside the model");
        if (!File.Exists(file))
            throw new FormatException($"{what} stores its data in '{location}', which does not exist beside the model; copy that file next to the .onnx file");
        long offset = entries.TryGetValue("offset", out var o) && long.TryParse(o, out var ov) ? ov : 0;
        using var stream = File.OpenRead(file);
        long length = entries.TryGetValue("length", out var l) && long.TryParse(l, out var lv) ? lv : stream.Length - offset;
        if (offset < 0 || length < 0 || offset + length > stream.Length || length > OnnxTensors.MaxElements * 8)
            throw new FormatException($"{what} asks for bytes {offset}..{offset + length} of '{location}', which has {stream.Length} bytes");
        var buffer = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
