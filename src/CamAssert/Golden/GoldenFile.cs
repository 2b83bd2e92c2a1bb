using CamAssert.Imaging;
using CamAssert.Imaging.Png;

namespace CamAssert.Golden;

/// <summary>
/// A golden heatmap on disk: a 16-bit grayscale PNG (lossless to 1/65535, viewable in any image
/// viewer) with the map's provenance in text chunks.
/// </summary>
public sealed record GoldenFile(float[] Values, int Width, int Height, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Metadata keys written with every golden file.</summary>
    public static class Keys
    {
        /// <summary>The model's file name.</summary>
        public const string Model = "camassert:model";
        /// <summary>SHA-256 of the model file.</summary>
        public const string ModelSha256 = "camassert:model-sha256";
        /// <summary>The layer path.</summary>
        public const string Layer = "camassert:layer";
        /// <summary>The CAM method.</summary>
        public const string Method = "camassert:method";
        /// <summary>The target.</summary>
        public const string Target = "camassert:target";
        /// <summary>CamAssert's version.</summary>
        public const string Version = "camassert:version";
    }

    /// <summary>Writes the map atomically (values clamped to [0, 1]).</summary>
    public void Write(string path)
    {
        var bytes = new byte[Values.Length * 2];
        for (int i = 0; i < Values.Length; i++)
        {
            ushort v = (ushort)Math.Round(Math.Clamp(Values[i], 0f, 1f) * 65535f);
            bytes[2 * i] = (byte)(v >> 8);
            bytes[2 * i + 1] = (byte)v;
        }
        AtomicFile.Write(path, PngEncoder.Encode(bytes, Width, Height, 1, 16, Metadata));
    }

    /// <summary>Reads a golden file; a gray PNG of any depth is accepted.</summary>
    /// <exception cref="ImageFormatException">The file is not a readable grayscale PNG.</exception>
    public static GoldenFile Read(string path)
    {
        var png = PngDecoder.Decode(File.ReadAllBytes(path), path);
        if (png.Channels != 1) throw new ImageFormatException(path, $"a golden heatmap must be a grayscale PNG, but this one has {png.Channels} channels. Delete it and accept the map again.");
        float scale = png.BitDepth == 16 ? 65535f : 255f;
        return new GoldenFile(png.Samples.Select(s => s / scale).ToArray(), png.Width, png.Height, png.Text);
    }
}
