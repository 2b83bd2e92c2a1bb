using System.Buffers.Binary;

namespace CamAssert.Imaging.Png;

/// <summary>PNG colour types (IHDR byte 9).</summary>
internal enum PngColorType : byte
{
    Gray = 0,
    Rgb = 2,
    Palette = 3,
    GrayAlpha = 4,
    Rgba = 6,
}

/// <summary>
/// The IHDR chunk, validated: size within <see cref="MaxSide"/> per side, a valid colour type and
/// bit depth pair, standard compression and filter methods, no or Adam7 interlacing. Also the
/// limit on the decoded size (decompression bomb protection), checked before anything sized by
/// the image is allocated.
/// </summary>
internal sealed record PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>Largest width or height accepted.</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest decoded size accepted, in bytes of output samples (see <see cref="DecodedBytes"/>).</summary>
    public const long MaxDecodedBytes = 256L << 20;

    /// <summary>Parses and validates IHDR's 13 bytes; <paramref name="path"/> is named in errors.</summary>
    /// <exception cref="ImageFormatException">A field is invalid or the image is too large.</exception>
    public static PngHeader Parse(ReadOnlySpan<byte> data, string path)
    {
        ImageFormatException Bad(string problem) => new(path, problem);
        if (data.Length != 13) throw Bad($"its IHDR chunk has {data.Length} bytes instead of 13, so the file is corrupt. Save the image again.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data), height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width == 0 || height == 0)
            throw Bad($"its size is {width}×{height}; a PNG has at least 1×1 pixels, so the file is corrupt. Save the image again.");
        if (width > MaxSide || height > MaxSide)
            throw Bad($"its size {width}×{height} is outside what CamAssert reads (1 to {MaxSide} pixels per side). Resize the image.");
        int depth = data[8];
        var colorType = (PngColorType)data[9];
        if (!Enum.IsDefined(colorType)) throw Bad($"its colour type {data[9]} is not a PNG colour type (0, 2, 3, 4 or 6), so the file is corrupt. Save the image again.");
        if (!ValidDepth(colorType, depth)) throw Bad($"bit depth {depth} is not allowed with colour type {(int)colorType} ({colorType}), so the file is corrupt. Save the image again.");
        if (data[10] != 0) throw Bad($"it uses compression method {data[10]}; PNG defines only 0 (zlib). Save the image again.");
        if (data[11] != 0) throw Bad($"it uses filter method {data[11]}; PNG defines only 0. Save the image again.");
        if (data[12] > 1) throw Bad($"it uses interlace method {data[12]}; PNG defines only 0 (none) and 1 (Adam7). Save the image again.");
        var header = new PngHeader((int)width, (int)height, depth, colorType, data[12] == 1);
        header.EnsureDecodable(header.OutputChannels(transparency: false), path);
        return header;
    }

    /// <summary>Samples stored per pixel in the file (a palette index counts as one).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    /// <summary>
    /// Channels of the decoded image: a palette becomes RGB, and a tRNS chunk (palette alpha or
    /// a gray/RGB colour key) adds an alpha channel.
    /// </summary>
    public int OutputChannels(bool transparency) => ColorType switch
    {
        PngColorType.Palette => transparency ? 4 : 3,
        PngColorType.Gray or PngColorType.Rgb => SamplesPerPixel + (transparency ? 1 : 0),
        _ => SamplesPerPixel,
    };

    /// <summary>Bits per pixel in the file.</summary>
    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>The byte distance the filters look back (one whole pixel, at least one byte).</summary>
    public int FilterDistance => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bit depth of the decoded samples: 16 stays 16, everything else becomes 8.</summary>
    public int OutputDepth => BitDepth == 16 ? 16 : 8;

    /// <summary>Bytes of one scanline of <paramref name="pixels"/> pixels, without the filter byte.</summary>
    public int Stride(int pixels) => (int)(((long)pixels * BitsPerPixel + 7) / 8);

    /// <summary>Bytes of decompressed image data: every scanline of every pass plus its filter byte.</summary>
    public long RawBytes => Adam7.PassesOf(this).Sum(p => (long)p.Height * (1 + Stride(p.Width)));

    /// <summary>Bytes the decoded image takes: width × height × output channels × (1 or 2).</summary>
    public long DecodedBytes(int outputChannels) => (long)Width * Height * outputChannels * (OutputDepth / 8);

    /// <summary>Refuses images whose decoded size exceeds <see cref="MaxDecodedBytes"/>.</summary>
    /// <exception cref="ImageFormatException">The image is too large.</exception>
    public void EnsureDecodable(int outputChannels, string path)
    {
        long bytes = DecodedBytes(outputChannels);
        if (bytes > MaxDecodedBytes)
            throw new ImageFormatException(path,
                $"its {Width}×{Height} pixels ({outputChannels} channels at {OutputDepth} bits) would decode to {bytes / (1 << 20)} MB, over CamAssert's "
                + $"limit of {MaxDecodedBytes >> 20} MB (decompression bomb protection). Resize the image before testing with it.");
    }

    private static bool ValidDepth(PngColorType colorType, int depth) => colorType switch
    {
        PngColorType.Gray => depth is 1 or 2 or 4 or 8 or 16,
        PngColorType.Palette => depth is 1 or 2 or 4 or 8,
        _ => depth is 8 or 16,
    };
}
