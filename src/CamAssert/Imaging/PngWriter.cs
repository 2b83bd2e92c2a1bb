using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CamAssert.Imaging;

/// <summary>
/// Writes PNG through ImageSharp (the only format CamAssert writes): 1 to 4 channels at 8 or 16
/// bits, text as tEXt chunks (iTXt when a value is not Latin-1), sorted by key, at the best
/// compression, so the same image always gives the same bytes.
/// </summary>
internal static class PngWriter
{
    /// <summary>
    /// Encodes <paramref name="samples"/> (row-major, channels interleaved, in [0, 1]; clamped, NaN
    /// as 0, rounded to the depth). <paramref name="path"/> names the file in errors.
    /// </summary>
    /// <exception cref="ArgumentException">A text key is not a PNG keyword (1 to 79 printable Latin-1 characters, no leading, trailing or double spaces).</exception>
    public static byte[] Encode(ReadOnlySpan<float> samples, int width, int height, int channels, int bitDepth,
        IReadOnlyDictionary<string, string>? text, string? path)
    {
        path ??= "(in memory)";
        foreach (var key in text?.Keys ?? []) CheckKeyword(key, path);
        // The pixel type matches the file's, so ImageSharp converts nothing (a gray image through RGBA would go through a luminance formula).
        using Image image = (channels, bitDepth) switch
        {
            (1, 16) => Build(samples, width, height, 1, 65535f, v => new L16(v[0])),
            (1, _) => Build(samples, width, height, 1, 255f, v => new L8((byte)v[0])),
            (2, 16) => Build(samples, width, height, 2, 65535f, v => new La32(v[0], v[1])),
            (2, _) => Build(samples, width, height, 2, 255f, v => new La16((byte)v[0], (byte)v[1])),
            (3, 16) => Build(samples, width, height, 3, 65535f, v => new Rgb48(v[0], v[1], v[2])),
            (3, _) => Build(samples, width, height, 3, 255f, v => new Rgb24((byte)v[0], (byte)v[1], (byte)v[2])),
            (_, 16) => Build(samples, width, height, 4, 65535f, v => new Rgba64(v[0], v[1], v[2], v[3])),
            _ => Build(samples, width, height, 4, 255f, v => new Rgba32((byte)v[0], (byte)v[1], (byte)v[2], (byte)v[3])),
        };
        var png = image.Metadata.GetPngMetadata();
        foreach (var (key, value) in (text ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            png.TextData.Add(new PngTextData(key, value, "", ""));
        var encoder = new PngEncoder
        {
            ColorType = channels switch { 1 => PngColorType.Grayscale, 2 => PngColorType.GrayscaleWithAlpha, 3 => PngColorType.Rgb, _ => PngColorType.RgbWithAlpha },
            BitDepth = bitDepth == 16 ? PngBitDepth.Bit16 : PngBitDepth.Bit8,
            CompressionLevel = PngCompressionLevel.BestCompression,
            TextCompressionThreshold = int.MaxValue,
            InterlaceMethod = PngInterlaceMode.None,
        };
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, encoder);
        return stream.ToArray();
    }

    private static Image<TPixel> Build<TPixel>(ReadOnlySpan<float> samples, int width, int height, int channels, float max, Func<ushort[], TPixel> pixel)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var pixels = new TPixel[(long)width * height];
        var v = new ushort[4];
        for (long i = 0; i < pixels.Length; i++)
        {
            for (int c = 0; c < channels; c++) v[c] = Quantize(samples[(int)(i * channels + c)], max);
            pixels[i] = pixel(v);
        }
        return Image.LoadPixelData<TPixel>(ImageCodecs.Configuration, pixels, width, height);
    }

    private static ushort Quantize(float v, float max) => (ushort)MathF.Round((float.IsNaN(v) ? 0f : Math.Clamp(v, 0f, 1f)) * max);

    private static void CheckKeyword(string key, string path)
    {
        bool printable = key.All(ch => ch is >= ' ' and <= '~' or >= '\u00A1' and <= '\u00FF');
        if (key.Length is < 1 or > 79 || !printable || key.StartsWith(' ') || key.EndsWith(' ') || key.Contains("  "))
            throw new ArgumentException($"Cannot write PNG '{path}': the text key '{key}' is not a PNG keyword (1 to 79 printable Latin-1 characters, no leading, trailing or double spaces). Rename the key.");
    }
}
