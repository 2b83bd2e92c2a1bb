using System.Buffers.Binary;
using System.Text;

namespace CamAssert.Imaging.Png;

/// <summary>Writes PNG chunks: length, type, data and the CRC-32 of type and data.</summary>
internal static class PngChunkWriter
{
    /// <summary>Appends one chunk of type <paramref name="type"/> (four ASCII letters) to <paramref name="output"/>.</summary>
    public static void Write(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> four = stackalloc byte[4];
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.Of(typeBytes, data));
        output.Write(four);
    }
}
