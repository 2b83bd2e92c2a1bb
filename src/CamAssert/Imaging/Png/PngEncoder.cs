using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CamAssert.Imaging.Png;

/// <summary>
/// Writes PNG files: 8-bit gray, RGB or RGBA, and 16-bit gray (how golden heatmaps are stored
/// losslessly), with tEXt chunks. Each row takes the filter with the smallest sum of absolute
/// values; the same input always gives the same bytes.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes raw samples (big-endian for 16-bit) of <paramref name="channels"/> 1, 3 or 4 channels.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, int channels, int bitDepth, IReadOnlyDictionary<string, string>? text = null)
    {
        byte colorType = channels switch { 1 => 0, 2 => 4, 3 => 2, 4 => 6, _ => throw new ArgumentException($"PNG encoding needs 1 to 4 channels, not {channels}.") };
        int bpp = channels * bitDepth / 8, stride = width * bpp;
        if (samples.Length != stride * height) throw new ArgumentException($"Expected {stride * height} bytes of samples for {width}×{height}, but found {samples.Length}.");
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = colorType;
        Chunk(output, "IHDR", header);
        if (text is not null)
            foreach (var (key, value) in text.OrderBy(p => p.Key, StringComparer.Ordinal))
                Chunk(output, "tEXt", Encoding.Latin1.GetBytes(key + "\0" + value));
        Chunk(output, "IDAT", Compress(Filter(samples, height, stride, bpp)));
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Filter(ReadOnlySpan<byte> samples, int height, int stride, int bpp)
    {
        var filtered = new byte[height * (stride + 1)];
        var candidate = new byte[stride];
        var best = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = samples.Slice(y * stride, stride);
            var prev = y > 0 ? samples.Slice((y - 1) * stride, stride) : new byte[stride];
            long bestScore = long.MaxValue;
            byte bestType = 0;
            for (byte type = 0; type <= 4; type++)
            {
                long score = 0;
                for (int x = 0; x < stride; x++)
                {
                    int a = x >= bpp ? row[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
                    byte v = (byte)(row[x] - type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => Paeth(a, b, c) });
                    candidate[x] = v;
                    score += (sbyte)v < 0 ? -(sbyte)v : v;
                }
                if (score < bestScore) { bestScore = score; bestType = type; candidate.CopyTo(best, 0); }
            }
            filtered[y * (stride + 1)] = bestType;
            best.CopyTo(filtered, y * (stride + 1) + 1);
        }
        return filtered;
    }

    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return buffer.ToArray();
    }

    private static void Chunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        s.Write(four);
        var t = Encoding.ASCII.GetBytes(type);
        s.Write(t);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.Of(t, data));
        s.Write(four);
    }
}
