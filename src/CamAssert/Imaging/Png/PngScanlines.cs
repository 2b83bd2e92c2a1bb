namespace CamAssert.Imaging.Png;

/// <summary>
/// Turns the decompressed image data (a filter byte and a filtered scanline per row, pass after
/// pass) into decoded pixels: undoes each row's filter, unpacks samples of 1 to 16 bits, and
/// places each pass's pixels at their positions in the image.
/// </summary>
internal static class PngScanlines
{
    /// <summary>
    /// Decodes <paramref name="raw"/> (exactly <see cref="PngHeader.RawBytes"/> long) into
    /// width × height × <see cref="PngPixelFormat.Channels"/> samples.
    /// </summary>
    /// <exception cref="ImageFormatException">A row has an unknown filter type or a palette index is out of range.</exception>
    public static ushort[] Decode(Span<byte> raw, PngHeader header, PngPixelFormat format, string path)
    {
        var image = new ushort[(long)header.Width * header.Height * format.Channels];
        var stored = new ushort[(long)header.Width * header.SamplesPerPixel];
        int offset = 0, distance = header.FilterDistance;
        foreach (var pass in Adam7.PassesOf(header))
        {
            int stride = header.Stride(pass.Width);
            Span<byte> previous = default;
            for (int y = 0; y < pass.Height; y++)
            {
                byte filter = raw[offset];
                if (filter > PngFilter.Paeth)
                    throw new ImageFormatException(path, $"row {y}{PassName(header, pass)} uses filter type {filter}, but PNG has only types 0 to 4, so the file is corrupt. Save the image again.");
                var row = raw.Slice(offset + 1, stride);
                PngFilter.Undo(filter, row, y == 0 ? new byte[stride] : previous, distance);
                int count = pass.Width * header.SamplesPerPixel;
                Unpack(row, header.BitDepth, stored.AsSpan(0, count));
                format.Write(stored, pass.Width, image, (long)(pass.Y0 + y * pass.Dy) * header.Width + pass.X0, pass.Dx);
                previous = row;
                offset += stride + 1;
            }
        }
        return image;
    }

    /// <summary>Reads <c>samples.Length</c> big-endian samples of <paramref name="depth"/> bits (1, 2, 4, 8 or 16) from <paramref name="row"/>.</summary>
    public static void Unpack(ReadOnlySpan<byte> row, int depth, Span<ushort> samples)
    {
        switch (depth)
        {
            case 8:
                for (int i = 0; i < samples.Length; i++) samples[i] = row[i];
                return;
            case 16:
                for (int i = 0; i < samples.Length; i++) samples[i] = (ushort)(row[2 * i] << 8 | row[2 * i + 1]);
                return;
            default:
                int perByte = 8 / depth, mask = (1 << depth) - 1;
                for (int i = 0; i < samples.Length; i++)
                    samples[i] = (ushort)(row[i / perByte] >> (8 - depth * (i % perByte + 1)) & mask);
                return;
        }
    }

    private static string PassName(PngHeader header, PngPass pass) =>
        header.Interlaced ? $" of the Adam7 pass starting at ({pass.X0}, {pass.Y0})" : "";
}
