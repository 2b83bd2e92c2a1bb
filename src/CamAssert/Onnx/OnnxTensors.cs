using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Proto;
using Google.Protobuf;

namespace CamAssert.Onnx;

/// <summary>Turns ONNX <c>TensorProto</c> messages into engine tensors, checking sizes against shapes.</summary>
internal static class OnnxTensors
{
    /// <summary>Largest tensor the engine accepts, in elements (arrays are indexed by int).</summary>
    public const long MaxElements = int.MaxValue / 2;

    /// <summary>Converts <paramref name="proto"/>; <paramref name="external"/> reads bytes of external data.</summary>
    public static Tensor ToTensor(TensorProto proto, Func<TensorProto, byte[]> external)
    {
        string what = $"tensor '{proto.Name}'";
        if (!DataTypes.IsKnown(proto.DataType))
            throw new FormatException($"{what} has element type {proto.DataType}, which CamAssert does not read (supported: float32, float16, float64, int64, int32, int8, uint8, bool)");
        var type = (DataType)proto.DataType;
        var shape = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0) throw new FormatException($"{what} has a negative dimension {d} in its shape [{string.Join(", ", proto.Dims)}]");
            count = d == 0 ? 0 : count > MaxElements / d ? MaxElements + 1 : count * d;
            if (count > MaxElements)
                throw new FormatException($"{what} claims shape [{string.Join(", ", proto.Dims)}], more than the {MaxElements} elements CamAssert accepts");
            shape[i] = (int)d;
        }
        int n = (int)count;

        ByteString? raw = proto.DataLocation == TensorProto.Types.DataLocation.External
            ? ByteString.CopyFrom(external(proto))
            : proto.RawData.Length > 0 ? proto.RawData : null;
        if (raw is not null)
        {
            long expected = (long)n * type.ByteSize();
            if (raw.Length != expected)
                throw new FormatException($"{what} of shape {Tensor.ShapeText(shape)} and type {type.Name()} needs {expected} bytes of data, but holds {raw.Length}");
            return FromBytes(type, shape, raw.Span);
        }
        return FromTypedFields(proto, type, shape, n, what);
    }

    private static Tensor FromBytes(DataType type, int[] shape, ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length / type.ByteSize();
        switch (type)
        {
            case DataType.Float32:
                return Tensor.FromFloats(shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            case DataType.Float16:
            {
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes);
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float)halves[i];
                return Tensor.FromFloats(shape, f);
            }
            case DataType.Float64:
            {
                var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes);
                var f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float)doubles[i];
                return Tensor.FromFloats(shape, f);
            }
            default:
            {
                var v = new long[n];
                for (int i = 0; i < n; i++)
                    v[i] = type switch
                    {
                        DataType.Int64 => BitConverter.ToInt64(bytes.Slice(i * 8, 8)),
                        DataType.Int32 => BitConverter.ToInt32(bytes.Slice(i * 4, 4)),
                        DataType.Int8 => (sbyte)bytes[i],
                        _ => bytes[i],
                    };
                return Tensor.FromInts(shape, v, type);
            }
        }
    }

    private static Tensor FromTypedFields(TensorProto p, DataType type, int[] shape, int n, string what)
    {
        int found = type switch
        {
            DataType.Float32 => p.FloatData.Count,
            DataType.Float64 => p.DoubleData.Count,
            DataType.Int64 => p.Int64Data.Count,
            _ => p.Int32Data.Count, // int32, int8, uint8, bool and float16 (as bits) live in int32_data
        };
        if (found != n)
            throw new FormatException($"{what} of shape {Tensor.ShapeText(shape)} and type {type.Name()} needs {n} values, but holds {found}");
        switch (type)
        {
            case DataType.Float32: return Tensor.FromFloats(shape, p.FloatData.ToArray());
            case DataType.Float64: return Tensor.FromFloats(shape, p.DoubleData.Select(d => (float)d).ToArray());
            case DataType.Float16:
                return Tensor.FromFloats(shape, p.Int32Data.Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray());
            case DataType.Int64: return Tensor.FromInts(shape, p.Int64Data.ToArray(), type);
            default: return Tensor.FromInts(shape, p.Int32Data.Select(v => (long)v).ToArray(), type);
        }
    }
}
