namespace CamAssert.Imaging.Png;

/// <summary>
/// Turns the samples stored in a PNG into decoded pixels: palette indices into RGB or RGBA
/// (alpha from tRNS), 1/2/4-bit gray scaled to 0..255, and a tRNS colour key on gray or RGB into
/// an alpha channel (0 where the pixel equals the key, opaque elsewhere).
/// </summary>
internal sealed class PngPixelFormat
{
    private readonly string _path;
    private readonly int _samplesIn;
    private readonly int _grayScale;
    private readonly ushort[]? _palette;
    private readonly ushort[]? _key;
    private readonly ushort _opaque;

    private PngPixelFormat(string path, int samplesIn, int channels, int depth, int grayScale, ushort[]? palette, ushort[]? key)
    {
        (_path, _samplesIn, Channels, Depth, _grayScale, _palette, _key) = (path, samplesIn, channels, depth, grayScale, palette, key);
        _opaque = (ushort)((1 << depth) - 1);
    }

    /// <summary>Channels per decoded pixel (1 to 4).</summary>
    public int Channels { get; }

    /// <summary>Bit depth of the decoded samples (8 or 16).</summary>
    public int Depth { get; }

    /// <summary>
    /// The format for <paramref name="header"/> with the file's PLTE and tRNS chunks (null when
    /// absent). A tRNS chunk that does not fit the colour type is ignored, as libpng does.
    /// </summary>
    /// <exception cref="ImageFormatException">A palette image lacks a valid PLTE chunk, or a gray image has one.</exception>
    public static PngPixelFormat Create(PngHeader header, byte[]? plte, byte[]? trns, string path)
    {
        ImageFormatException Bad(string problem) => new(path, problem);
        int samples = header.SamplesPerPixel;
        int grayScale = header.BitDepth < 8 && header.ColorType == PngColorType.Gray ? 255 / ((1 << header.BitDepth) - 1) : 1;
        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (plte is null) throw Bad("it is a palette image without a PLTE chunk (no palette), so the file is corrupt. Save the image again.");
                if (plte.Length == 0 || plte.Length % 3 != 0 || plte.Length > 768)
                    throw Bad($"its PLTE chunk has {plte.Length} bytes; a palette is 1 to 256 RGB entries of 3 bytes. Save the image again.");
                bool alpha = trns is not null && trns.Length <= plte.Length / 3;
                return new PngPixelFormat(path, 1, alpha ? 4 : 3, 8, 1, Palette(plte, alpha ? trns : null), null);
            case PngColorType.Gray or PngColorType.GrayAlpha when plte is not null:
                throw Bad("it is a gray image with a PLTE chunk, which PNG forbids, so the file is corrupt. Save the image again.");
            case PngColorType.Gray or PngColorType.Rgb when trns is not null && trns.Length == samples * 2:
                var key = new ushort[samples];
                for (int c = 0; c < samples; c++) key[c] = (ushort)(trns[2 * c] << 8 | trns[2 * c + 1]);
                return new PngPixelFormat(path, samples, samples + 1, header.OutputDepth, grayScale, null, key);
            default:
                return new PngPixelFormat(path, samples, samples, header.OutputDepth, grayScale, null, null);
        }
    }

    /// <summary>
    /// Decodes <paramref name="count"/> pixels from <paramref name="stored"/> (the samples as
    /// stored, <c>count × samples per pixel</c> of them) into <paramref name="image"/>, pixel k
    /// going to pixel index <c>first + k·step</c>.
    /// </summary>
    /// <exception cref="ImageFormatException">A palette index is beyond the palette.</exception>
    public void Write(ReadOnlySpan<ushort> stored, int count, Span<ushort> image, long first, int step)
    {
        int n = _samplesIn, channels = Channels;
        for (int k = 0; k < count; k++)
        {
            var pixel = stored.Slice(k * n, n);
            var target = image.Slice((int)((first + (long)k * step) * channels), channels);
            if (_palette is not null) WritePaletteEntry(pixel[0], target);
            else WriteSamples(pixel, target);
        }
    }

    private void WritePaletteEntry(int index, Span<ushort> target)
    {
        int entries = _palette!.Length / Channels;
        if (index >= entries)
            throw new ImageFormatException(_path, $"a pixel uses palette entry {index}, but the palette has only {entries} entries, so the file is corrupt. Save the image again.");
        _palette.AsSpan(index * Channels, Channels).CopyTo(target);
    }

    private void WriteSamples(ReadOnlySpan<ushort> pixel, Span<ushort> target)
    {
        bool transparent = _key is not null;
        for (int c = 0; c < pixel.Length; c++)
        {
            target[c] = (ushort)(pixel[c] * _grayScale);
            transparent &= _key is not null && pixel[c] == _key[c];
        }
        if (_key is not null) target[pixel.Length] = transparent ? (ushort)0 : _opaque;
    }

    /// <summary>The palette as RGB or RGBA entries (alpha 255 beyond the tRNS entries).</summary>
    private static ushort[] Palette(byte[] plte, byte[]? trns)
    {
        int entries = plte.Length / 3, channels = trns is null ? 3 : 4;
        var table = new ushort[entries * channels];
        for (int i = 0; i < entries; i++)
        {
            for (int c = 0; c < 3; c++) table[i * channels + c] = plte[i * 3 + c];
            if (trns is not null) table[i * 4 + 3] = i < trns.Length ? trns[i] : (ushort)255;
        }
        return table;
    }
}
