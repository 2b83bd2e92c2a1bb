using System.Buffers.Binary;
using System.IO.Compression;
using CamAssert.Imaging.Png;

namespace CamAssert.Tests.Imaging;

/// <summary>
/// Hand-built PNG files for decoder tests: any IHDR, any chunks, scanlines written pass by pass
/// with filter None (a path independent of <see cref="PngEncoder"/>).
/// </summary>
internal static class PngBuilder
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>IHDR's 13 bytes.</summary>
    public static byte[] Ihdr(long width, long height, byte depth, byte colorType, byte interlace = 0, byte compression = 0, byte filter = 0)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        (ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]) = (depth, colorType, compression, filter, interlace);
        return ihdr;
    }

    /// <summary>Signature and the given chunks, CRCs correct.</summary>
    public static byte[] File(params (string Type, byte[] Data)[] chunks)
    {
        var s = new MemoryStream();
        s.Write(Signature);
        foreach (var (type, data) in chunks) PngChunkWriter.Write(s, type, data);
        return s.ToArray();
    }

    /// <summary>A file with IHDR, the extra chunks, one IDAT of <paramref name="idat"/> and IEND.</summary>
    public static byte[] Image(byte[] ihdr, byte[] idat, params (string Type, byte[] Data)[] before) =>
        File([("IHDR", ihdr), .. before, ("IDAT", idat), ("IEND", [])]);

    /// <summary>zlib-compressed bytes.</summary>
    public static byte[] Zlib(byte[] raw)
    {
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
        return z.ToArray();
    }

    /// <summary>
    /// Raw scanlines (filter byte 0 + row) of 8- or 16-bit samples, <paramref name="channels"/> per
    /// pixel, interlaced with Adam7 when asked. Samples are ints; at 16 bits written big-endian.
    /// </summary>
    public static byte[] Scanlines(int[] samples, int width, int height, int channels, int depth, bool interlaced)
    {
        var steps = interlaced
            ? new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) }
            : new[] { (0, 0, 1, 1) };
        var raw = new MemoryStream();
        foreach (var (x0, y0, dx, dy) in steps)
        {
            if (x0 >= width) continue;
            for (int y = y0; y < height; y += dy)
            {
                raw.WriteByte(0);
                for (int x = x0; x < width; x += dx)
                    for (int c = 0; c < channels; c++)
                    {
                        int v = samples[(y * width + x) * channels + c];
                        if (depth == 16) raw.WriteByte((byte)(v >> 8));
                        raw.WriteByte((byte)v);
                    }
            }
        }
        return raw.ToArray();
    }
}
