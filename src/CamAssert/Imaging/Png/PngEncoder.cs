using System.Buffers.Binary;
using System.IO.Compression;

namespace CamAssert.Imaging.Png;

/// <summary>
/// Writes PNG files of 1 to 4 channels (gray, gray+alpha, RGB, RGBA) at 8 or 16 bits — golden
/// heatmaps are 16-bit gray, lossless to 1/65535 — with text chunks. Each row takes the filter
/// (None, Sub, Up, Average or Paeth) with the smallest sum of absolute filtered values; the data
/// is one zlib stream at <see cref="CompressionLevel.Optimal"/>; text chunks are written sorted
/// by key. The same input always gives the same bytes.
/// </summary>
internal static class PngEncoder
{
    /// <summary>
    /// Encodes <paramref name="samples"/>: row-major, channels interleaved, one byte per sample at
    /// 8 bits or two big-endian bytes at 16. <paramref name="path"/> only names the file in errors.
    /// </summary>
    /// <exception cref="ArgumentException">The layout is not one PNG can hold, the sample count is wrong, or a text key is invalid.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> samples, int width, int height, int channels, int bitDepth,
        IReadOnlyDictionary<string, string>? text = null, string? path = null)
    {
        path ??= "(in memory)";
        ArgumentException Bad(string problem) => new($"Cannot write PNG '{path}': {problem}");
        if (channels is < 1 or > 4) throw Bad($"PNG holds 1 to 4 channels (gray, gray+alpha, RGB, RGBA), not {channels}.");
        if (bitDepth is not (8 or 16)) throw Bad($"CamAssert writes 8- or 16-bit samples, not {bitDepth}-bit.");
        if (width is < 1 or > PngHeader.MaxSide || height is < 1 or > PngHeader.MaxSide)
            throw Bad($"the size {width}×{height} is outside 1 to {PngHeader.MaxSide} pixels per side, which CamAssert could not read back.");
        int distance = channels * bitDepth / 8;
        long stride = (long)width * distance;
        if (samples.Length != stride * height)
            throw Bad($"a {width}×{height} image of {channels} channels at {bitDepth} bits needs {stride * height} sample bytes, but {samples.Length} were given.");

        using var output = new MemoryStream();
        output.Write(PngChunkReader.Signature);
        PngChunkWriter.Write(output, "IHDR", Header(width, height, bitDepth, channels));
        foreach (var (key, value) in (text ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (type, data) = PngText.Chunk(key, value, path);
            PngChunkWriter.Write(output, type, data);
        }
        PngChunkWriter.Write(output, "IDAT", Compress(FilterRows(samples, height, (int)stride, distance)));
        PngChunkWriter.Write(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Header(int width, int height, int bitDepth, int channels)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)(channels switch { 1 => PngColorType.Gray, 2 => PngColorType.GrayAlpha, 3 => PngColorType.Rgb, _ => PngColorType.Rgba });
        return header; // compression 0, filter method 0, no interlacing
    }

    /// <summary>Each row prefixed by the filter type that gives the smallest score, and filtered with it.</summary>
    private static byte[] FilterRows(ReadOnlySpan<byte> samples, int height, int stride, int distance)
    {
        var filtered = new byte[(long)height * (stride + 1)];
        var candidate = new byte[stride];
        var zeros = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = samples.Slice(y * stride, stride);
            var previous = y > 0 ? samples.Slice((y - 1) * stride, stride) : zeros;
            var best = filtered.AsSpan(y * (stride + 1) + 1, stride);
            long bestScore = long.MaxValue;
            for (byte type = PngFilter.None; type <= PngFilter.Paeth; type++)
            {
                long score = PngFilter.Apply(type, row, previous, distance, candidate);
                if (score >= bestScore) continue;
                (bestScore, filtered[y * (stride + 1)]) = (score, type);
                candidate.CopyTo(best);
            }
        }
        return filtered;
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return buffer.ToArray();
    }
}
