using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CamAssert.Imaging;

/// <summary>
/// Reads image files through ImageSharp (<see cref="ImageCodecs"/>): identifies the file first and
/// checks the size limits before anything sized by the image is allocated, applies the EXIF
/// orientation, keeps 16-bit samples, gray and alpha as the file stores them. Every failure,
/// whatever ImageSharp throws, is an <see cref="ImageFormatException"/> naming the file.
/// </summary>
internal static class ImageReader
{
    /// <summary>Reads the image file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageFormatException">The file is missing, unreadable, damaged, too large or in no format CamAssert reads.</exception>
    public static CamImage ReadFile(string path) => Read(ReadBytes(path), path);

    /// <summary>Decodes <paramref name="file"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="ImageFormatException">The bytes are damaged, too large or in no format CamAssert reads.</exception>
    public static CamImage Read(byte[] file, string path)
    {
        var (info, format) = Identify(file, path);
        var layout = Layout(info, format);
        CheckLimits(info, layout, format, path);
        RefuseKnownHang(info, format, path);
        try
        {
            return layout.BitDepth == 16 ? Decode<Rgba64>(file, path, format, layout, 65535f) : Decode<Rgba32>(file, path, format, layout, 255f);
        }
        catch (Exception e) when (e is not ImageFormatException)
        {
            throw Damaged(path, format.Name, e);
        }
    }

    private static (IImageInfo Info, IImageFormat Format) Identify(byte[] file, string path)
    {
        IImageInfo? info;
        IImageFormat? format;
        try { info = Image.Identify(ImageCodecs.Configuration, file, out format); }
        catch (Exception e) { throw Damaged(path, "image", e); }
        if (info is null || format is null)
            throw new ImageFormatException(path, $"it is not in a format CamAssert reads ({ImageCodecs.Readable}){Start(file)}. Save it as PNG or JPEG.");
        return (info, format);
    }

    private readonly record struct PixelLayout(bool Gray, bool DeclaredAlpha, int BitDepth);

    private static PixelLayout Layout(IImageInfo info, IImageFormat format)
    {
        var m = info.Metadata;
        switch (format)
        {
            case PngFormat:
                var png = m.GetPngMetadata();
                bool gray = png.ColorType is PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha;
                bool alpha = png.ColorType is PngColorType.GrayscaleWithAlpha or PngColorType.RgbWithAlpha || png.HasTransparency;
                return new(gray, alpha, png.BitDepth == PngBitDepth.Bit16 ? 16 : 8);
            case JpegFormat:
                return new(m.GetJpegMetadata().ColorType == JpegColorType.Luminance, false, 8);
            case PbmFormat:
                var pbm = m.GetPbmMetadata();
                return new(pbm.ColorType != PbmColorType.Rgb, false, pbm.ComponentType == PbmComponentType.Short ? 16 : 8);
            case TiffFormat:
                return new(false, false, info.PixelType.BitsPerPixel >= 48 ? 16 : 8);
            default:
                return new(false, false, 8);
        }
    }

    private static void CheckLimits(IImageInfo info, PixelLayout layout, IImageFormat format, string path)
    {
        int w = info.Width, h = info.Height;
        if (w < 1 || h < 1)
            throw new ImageFormatException(path, $"its {format.Name} header gives a size of {w}×{h} pixels, so the file is corrupt. Save the image again.");
        if (w > ImageCodecs.MaxSide || h > ImageCodecs.MaxSide)
            throw new ImageFormatException(path, $"it is {w}×{h} pixels; CamAssert reads at most {ImageCodecs.MaxSide} pixels a side. Scale the image down (models take far smaller inputs).");
        long bytes = (long)w * h * 4 * (layout.BitDepth / 8);
        if (bytes > ImageCodecs.MaxDecodedBytes)
            throw new ImageFormatException(path, $"it is {w}×{h} pixels, {bytes / (1 << 20)} MB decoded ({layout.BitDepth}-bit RGBA); CamAssert decodes at most {ImageCodecs.MaxDecodedBytes >> 20} MB. Scale the image down.");
    }

    /// <summary>
    /// ImageSharp 2.1.13 never returns from an interlaced (Adam7) PNG narrower than 5 pixels (a pass
    /// with no columns; measured on 1 to 17 pixels a side, every width below 5 affected, none above).
    /// </summary>
    private static void RefuseKnownHang(IImageInfo info, IImageFormat format, string path)
    {
        if (format is PngFormat && info.Width < 5 && info.Metadata.GetPngMetadata().InterlaceMethod == PngInterlaceMode.Adam7)
            throw new ImageFormatException(path, $"it is an interlaced (Adam7) PNG only {info.Width} pixels wide, which ImageSharp 2.1.13 cannot decode (it never finishes). Save the image without interlacing.");
    }

    private static CamImage Decode<TPixel>(byte[] file, string path, IImageFormat format, PixelLayout layout, float max)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = Image.Load<TPixel>(ImageCodecs.Configuration, file);
        int orientation = Orientation(image);
        if (orientation != 1) image.Mutate(x => x.AutoOrient());
        int w = image.Width, h = image.Height;
        var native = new TPixel[(long)w * h];
        image.CopyPixelDataTo(native);
        var vectors = new System.Numerics.Vector4[native.Length];
        PixelOperations<TPixel>.Instance.ToVector4(ImageCodecs.Configuration, native, vectors);
        var rgba = new float[(long)w * h * 4];
        bool opaque = true;
        for (long i = 0; i < vectors.Length; i++)
        {
            var v = vectors[i];
            (rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]) = (Exact(v.X, max), Exact(v.Y, max), Exact(v.Z, max), Exact(v.W, max));
            opaque &= v.W >= 1f;
        }
        if (format is PngFormat) opaque &= !ApplySixteenBitColourKey(image.Metadata.GetPngMetadata(), rgba, max);
        int channels = (layout.Gray ? 1 : 3) + (layout.DeclaredAlpha || !opaque ? 1 : 0);
        var pixels = channels == 4 ? rgba : Select(rgba, w * h, channels);
        var text = format is PngFormat ? Text(image.Metadata.GetPngMetadata()) : new Dictionary<string, string>();
        return new CamImage(w, h, channels, pixels, path, layout.BitDepth)
        {
            Text = text,
            Provenance = new ImageProvenance(format.Name, channels, layout.BitDepth, orientation),
        };
    }

    /// <summary>
    /// ImageSharp 2.1.13 reads a 16-bit gray or RGB PNG's tRNS colour key with its bytes swapped
    /// (30000 = 0x7530 comes back as 0x3075) and so leaves those pixels opaque; the PNG
    /// specification makes them transparent, so CamAssert swaps the key back and applies it.
    /// Returns whether any pixel matched.
    /// </summary>
    private static bool ApplySixteenBitColourKey(PngMetadata png, float[] rgba, float max)
    {
        if (png.BitDepth != PngBitDepth.Bit16) return false;
        (float R, float G, float B)? key = png.ColorType switch
        {
            PngColorType.Grayscale when png.TransparentL16 is { } l => (Swap(l.PackedValue), Swap(l.PackedValue), Swap(l.PackedValue)),
            PngColorType.Rgb when png.TransparentRgb48 is { } c => (Swap(c.R), Swap(c.G), Swap(c.B)),
            _ => null,
        };
        if (key is not { } k) return false;
        float Swap(ushort v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v) / max;
        bool any = false;
        for (long i = 0; i < rgba.Length; i += 4)
            if (rgba[i] == k.R && rgba[i + 1] == k.G && rgba[i + 2] == k.B) (rgba[i + 3], any) = (0f, true);
        return any;
    }

    /// <summary>The sample as q / max exactly: ImageSharp's vector is q / max in float, rounded back to q first.</summary>
    private static float Exact(float v, float max) => MathF.Round(v * max) / max;

    private static float[] Select(float[] rgba, int count, int channels)
    {
        var result = new float[(long)count * channels];
        for (long i = 0; i < count; i++)
        {
            result[i * channels] = rgba[i * 4];
            if (channels == 2) result[i * 2 + 1] = rgba[i * 4 + 3];
            if (channels == 3) (result[i * 3 + 1], result[i * 3 + 2]) = (rgba[i * 4 + 1], rgba[i * 4 + 2]);
        }
        return result;
    }

    private static int Orientation(Image image)
    {
        var value = image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        return value?.Value is ushort o and >= 1 and <= 8 ? o : 1;
    }

    private static Dictionary<string, string> Text(PngMetadata png)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in png.TextData) text.TryAdd(t.Keyword, t.Value);
        return text;
    }

    private static ImageFormatException Damaged(string path, string format, Exception e) => e switch
    {
        UnknownImageFormatException => new ImageFormatException(path, $"it is not in a format CamAssert reads ({ImageCodecs.Readable}). Save it as PNG or JPEG.", e),
        SixLabors.ImageSharp.Memory.InvalidMemoryOperationException => new ImageFormatException(path, $"decoding it would need more memory than CamAssert allows ({e.Message}). Scale the image down.", e),
        NotSupportedException => new ImageFormatException(path, $"it uses a {format} feature ImageSharp 2.1 does not decode ({e.Message}). Save it again as a plain PNG or baseline JPEG.", e),
        _ => new ImageFormatException(path, $"the {format} data is damaged or truncated ({e.GetType().Name}: {e.Message}). Copy or save the image again.", e),
    };

    private static string Start(byte[] file) =>
        file.Length == 0 ? ": the file is empty" : $": it starts with bytes {Convert.ToHexString(file, 0, Math.Min(8, file.Length))}";

    private static byte[] ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageFormatException(path, $"the file does not exist (looked at '{Path.GetFullPath(path)}'). Check the path; relative paths start at '{Environment.CurrentDirectory}'.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ImageFormatException(path, $"the file cannot be read ({e.Message}). Check the path and its permissions.", e);
        }
    }
}
