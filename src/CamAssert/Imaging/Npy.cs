using System.Text;
using System.Text.RegularExpressions;
using CamAssert.Models;

namespace CamAssert.Imaging;

/// <summary>NumPy <c>.npy</c> files (version 1–3, little-endian float32, float64, int64 or int32, or uint8, C order).</summary>
public static partial class Npy
{
    /// <summary>Reads <paramref name="path"/> into a tensor (floats and uint8 become float32, uint8 keeping its values 0..255).</summary>
    /// <exception cref="FormatException">The file is not a .npy array CamAssert reads; the message says why.</exception>
    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The .npy file '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new FormatException($"'{path}' is not a .npy file (no \\x93NUMPY magic). Save it with numpy.save.");
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
        int offset = major == 1 ? 10 : 12;
        if (offset + headerLength > bytes.Length) throw new FormatException($"'{path}' is truncated inside its header.");
        string header = Encoding.Latin1.GetString(bytes, offset, headerLength);
        var descr = Descr().Match(header).Groups[1].Value;
        if (Fortran().IsMatch(header)) throw new FormatException($"'{path}' is in Fortran order; save a C-contiguous array (numpy.ascontiguousarray).");
        var shapeText = ShapeRegex().Match(header).Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        long count = Tensor.ElementCount(shape);
        var data = bytes.AsSpan(offset + headerLength);
        int size = descr switch { "|u1" => 1, "<f4" or "<i4" => 4, "<f8" or "<i8" => 8, _ => throw new FormatException($"'{path}' holds dtype '{descr}'; CamAssert reads <f4, <f8, <i8, <i4 and |u1.") };
        if (data.Length != count * size) throw new FormatException($"'{path}' has shape [{string.Join(", ", shape)}] but {data.Length} data bytes (expected {count * size}).");
        return descr switch
        {
            "|u1" => Tensor.FromFloats(shape, data.ToArray().Select(b => (float)b).ToArray()),
            "<f4" => Tensor.FromFloats(shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray()),
            "<f8" => Tensor.FromFloats(shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(data).ToArray().Select(d => (float)d).ToArray()),
            "<i8" => Tensor.FromInts(shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data).ToArray()),
            _ => Tensor.FromInts(shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(data).ToArray().Select(i => (long)i).ToArray(), DataType.Int32),
        };
    }

    /// <summary>Writes a float tensor as a float32 .npy file.</summary>
    public static void Write(string path, Tensor tensor)
    {
        string shape = tensor.Rank == 1 ? $"({tensor.Shape[0]},)" : "(" + string.Join(", ", tensor.Shape) + ")";
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int pad = 64 - (10 + header.Length + 1) % 64;
        header = header + new string(' ', pad % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.F.AsSpan()));
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")] private static partial Regex Descr();
    [GeneratedRegex(@"'fortran_order':\s*True")] private static partial Regex Fortran();
    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")] private static partial Regex ShapeRegex();
}
