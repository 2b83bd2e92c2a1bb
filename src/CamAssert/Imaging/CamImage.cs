using CamAssert.Imaging.Png;

namespace CamAssert.Imaging;

/// <summary>
/// An image as float samples in [0, 1], channels interleaved (1 gray, 2 gray+alpha, 3 RGB,
/// 4 RGBA), row-major. Loads any PNG; saves as 8-bit PNG.
/// </summary>
public sealed class CamImage
{
    /// <summary>Creates an image over <paramref name="pixels"/> (not copied).</summary>
    public CamImage(int width, int height, int channels, float[] pixels, string? source = null)
    {
        if (width < 1 || height < 1 || channels is < 1 or > 4 || pixels.Length != width * height * channels)
            throw new ArgumentException($"An image of {width}×{height} with {channels} channels needs {width * height * channels} samples, but {pixels.Length} were given.");
        (Width, Height, Channels, Pixels, Source) = (width, height, channels, pixels, source);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>Samples in [0, 1], row-major, channels interleaved.</summary>
    public float[] Pixels { get; }

    /// <summary>The file it was loaded from, if any.</summary>
    public string? Source { get; }

    /// <summary>Text chunks of the file it was loaded from.</summary>
    public IReadOnlyDictionary<string, string> Text { get; private init; } = new Dictionary<string, string>();

    /// <summary>Loads a PNG file (any colour type, bit depth 1–16, interlaced or not).</summary>
    /// <exception cref="ImageFormatException">The file is missing or not a valid PNG; the message says why.</exception>
    public static CamImage Load(string path)
    {
        if (!File.Exists(path)) throw new ImageFormatException(path, $"the file does not exist (looked at '{Path.GetFullPath(path)}').");
        var png = PngDecoder.Decode(File.ReadAllBytes(path), path);
        float scale = png.BitDepth == 16 ? 65535f : 255f;
        var pixels = new float[png.Samples.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = png.Samples[i] / scale;
        return new CamImage(png.Width, png.Height, png.Channels, pixels, path) { Text = png.Text };
    }

    /// <summary>The sample of channel <paramref name="c"/> at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float this[int x, int y, int c] => Pixels[(y * Width + x) * Channels + c];

    /// <summary>The image as RGB (gray replicated, alpha dropped).</summary>
    public CamImage ToRgb()
    {
        if (Channels == 3) return this;
        var rgb = new float[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
            for (int c = 0; c < 3; c++)
                rgb[i * 3 + c] = Pixels[i * Channels + (Channels >= 3 ? c : 0)];
        return new CamImage(Width, Height, 3, rgb, Source);
    }

    /// <summary>Saves as an 8-bit PNG, with optional text chunks; the write is atomic.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? text = null)
    {
        var bytes = new byte[Pixels.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(Pixels[i] * 255f), 0, 255);
        AtomicFile.Write(path, PngEncoder.Encode(bytes, Width, Height, Channels, 8, text));
    }
}

/// <summary>Writes files via a temporary sibling and a rename, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }
}
