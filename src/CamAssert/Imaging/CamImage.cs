namespace CamAssert.Imaging;

/// <summary>
/// An image as float samples in [0, 1]: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)
/// channels, interleaved, row-major. Loads PNG, JPEG, BMP, GIF, WebP, TIFF, PBM and TGA; saves as PNG at its <see cref="BitDepth"/>.
/// </summary>
public sealed class CamImage
{
    /// <summary>Creates an image over <paramref name="pixels"/> (not copied).</summary>
    /// <param name="width">Width in pixels (at least 1).</param>
    /// <param name="height">Height in pixels (at least 1).</param>
    /// <param name="channels">1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</param>
    /// <param name="pixels">width × height × channels samples in [0, 1], row-major, channels interleaved.</param>
    /// <param name="source">The file the image came from, if any (named in messages).</param>
    /// <param name="bitDepth">Bits per sample when saved: 8 or 16.</param>
    /// <exception cref="ArgumentException">The sizes, channel count, depth or sample count do not fit together.</exception>
    public CamImage(int width, int height, int channels, float[] pixels, string? source = null, int bitDepth = 8)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        string what = source is null ? "An image" : $"The image '{source}'";
        if (width < 1 || height < 1) throw new ArgumentException($"{what} must be at least 1×1 pixels, not {width}×{height}.", nameof(width));
        if (channels is < 1 or > 4) throw new ArgumentException($"{what} needs 1 to 4 channels (gray, gray+alpha, RGB, RGBA), not {channels}.", nameof(channels));
        if (bitDepth is not (8 or 16)) throw new ArgumentException($"{what} has bit depth {bitDepth}; use 8 or 16.", nameof(bitDepth));
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"{what} of {width}×{height} with {channels} channels needs {(long)width * height * channels} samples, but {pixels.Length} were given.", nameof(pixels));
        (Width, Height, Channels, Pixels, Source, BitDepth) = (width, height, channels, pixels, source, bitDepth);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>
    /// Bits per sample of the source: 16 for a 16-bit PNG, TIFF or PGM/PPM, otherwise 8 (1/2/4-bit and palette
    /// images count as 8). <see cref="Save"/> writes at this depth, so a loaded image saves losslessly.
    /// </summary>
    public int BitDepth { get; }

    /// <summary>Samples in [0, 1], row-major, channels interleaved.</summary>
    public float[] Pixels { get; }

    /// <summary>The file it was loaded from, if any.</summary>
    public string? Source { get; }

    /// <summary>Text chunks of the file it was loaded from (tEXt, zTXt, iTXt).</summary>
    public IReadOnlyDictionary<string, string> Text { get; internal init; } = new Dictionary<string, string>();

    /// <summary>The file's format, what it stored and what loading did (null for an image made in code).</summary>
    public ImageProvenance? Provenance { get; internal init; }

    /// <summary>
    /// Loads an image file through SixLabors.ImageSharp: PNG (every colour type and depth, 16-bit
    /// kept), JPEG (baseline and progressive), BMP, GIF (first frame), WebP, TIFF (first frame),
    /// PBM/PGM/PPM and TGA. The EXIF orientation is applied.
    /// </summary>
    /// <remarks>
    /// Gray files stay one channel (two with alpha); palette images become RGB; an alpha channel is
    /// kept when a PNG declares one (alpha colour type or tRNS) or when any pixel is not opaque.
    /// <see cref="Provenance"/> says which. Images over 16384 pixels a side or 256 MB decoded (as
    /// RGBA at the file's depth) are refused before decoding.
    /// </remarks>
    /// <exception cref="ImageFormatException">The file is missing, unreadable, damaged, too large or in no format CamAssert reads; the message says why.</exception>
    public static CamImage Load(string path) => ImageReader.ReadFile(path);

    /// <summary>An RGB image from interleaved samples in [0, 1] (copied).</summary>
    public static CamImage FromRgb(int width, int height, ReadOnlySpan<float> rgb) => FromSamples(width, height, 3, rgb);

    /// <summary>An RGB image from interleaved 8-bit samples (0..255).</summary>
    public static CamImage FromRgb(int width, int height, ReadOnlySpan<byte> rgb) => FromSamples(width, height, 3, rgb);

    /// <summary>An RGBA image from interleaved samples in [0, 1] (copied).</summary>
    public static CamImage FromRgba(int width, int height, ReadOnlySpan<float> rgba) => FromSamples(width, height, 4, rgba);

    /// <summary>An RGBA image from interleaved 8-bit samples (0..255).</summary>
    public static CamImage FromRgba(int width, int height, ReadOnlySpan<byte> rgba) => FromSamples(width, height, 4, rgba);

    /// <summary>A gray image from samples in [0, 1] (copied).</summary>
    public static CamImage FromGray(int width, int height, ReadOnlySpan<float> gray) => FromSamples(width, height, 1, gray);

    /// <summary>A gray image from 8-bit samples (0..255).</summary>
    public static CamImage FromGray(int width, int height, ReadOnlySpan<byte> gray) => FromSamples(width, height, 1, gray);

    /// <summary>An RGB image whose pixel (x, y) is <paramref name="color"/>(x, y), each component in [0, 1].</summary>
    public static CamImage FromRgb(int width, int height, Func<int, int, (float R, float G, float B)> color)
    {
        ArgumentNullException.ThrowIfNull(color);
        var rgb = new float[Math.Max(0, width) * Math.Max(0, height) * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                (rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 1], rgb[(y * width + x) * 3 + 2]) = color(x, y);
        return new CamImage(width, height, 3, rgb);
    }

    /// <summary>The sample of channel <paramref name="c"/> at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position or channel is outside the image.</exception>
    public float this[int x, int y, int c]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)c >= (uint)Channels)
                throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) channel {c} is outside the {Width}×{Height} image{(Source is null ? "" : $" '{Source}'")} with {Channels} channels; x runs 0..{Width - 1}, y 0..{Height - 1}, c 0..{Channels - 1}.");
            return Pixels[(y * Width + x) * Channels + c];
        }
    }

    /// <summary>The samples of pixel (<paramref name="x"/>, <paramref name="y"/>), one per channel.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the image.</exception>
    public ReadOnlySpan<float> Pixel(int x, int y)
    {
        _ = this[x, y, 0];
        return Pixels.AsSpan((y * Width + x) * Channels, Channels);
    }

    /// <summary>The image as RGB: gray replicated, alpha dropped (not composited). Returns this image when it is RGB already.</summary>
    public CamImage ToRgb()
    {
        if (Channels == 3) return this;
        var rgb = new float[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
            for (int c = 0; c < 3; c++)
                rgb[i * 3 + c] = Pixels[i * Channels + (Channels >= 3 ? c : 0)];
        return new CamImage(Width, Height, 3, rgb, Source, BitDepth) { Provenance = Provenance };
    }

    /// <summary>
    /// The image as PNG bytes at <see cref="BitDepth"/> bits (samples clamped to [0, 1] and
    /// rounded), with optional text chunks; the same image always gives the same bytes.
    /// </summary>
    /// <exception cref="ArgumentException">A text key is not a valid PNG keyword (1 to 79 printable Latin-1 characters).</exception>
    public byte[] ToPng(IReadOnlyDictionary<string, string>? text = null, string? path = null)
    {
        return PngWriter.Encode(Pixels, Width, Height, Channels, BitDepth, text, path ?? Source);
    }

    /// <summary>Saves as PNG (see <see cref="ToPng"/>), creating the directory; the write is atomic.</summary>
    /// <exception cref="ArgumentException">A text key is not a valid PNG keyword.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path, IReadOnlyDictionary<string, string>? text = null) => AtomicFile.Write(path, ToPng(text, path));

    /// <summary>Returns a copy at <paramref name="bitDepth"/> bits per sample (8 or 16) for <see cref="Save"/>.</summary>
    public CamImage WithBitDepth(int bitDepth) => new(Width, Height, Channels, (float[])Pixels.Clone(), Source, bitDepth) { Text = Text };

    private static CamImage FromSamples(int width, int height, int channels, ReadOnlySpan<float> samples) =>
        new(width, height, channels, samples.ToArray());

    private static CamImage FromSamples(int width, int height, int channels, ReadOnlySpan<byte> samples)
    {
        var pixels = new float[samples.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = samples[i] / 255f;
        return new CamImage(width, height, channels, pixels);
    }
}
