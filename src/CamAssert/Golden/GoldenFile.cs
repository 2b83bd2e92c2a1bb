using CamAssert.Imaging;

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
        /// <summary>The image's file, format and conversion (<see cref="ImageProvenance"/>), when the map was made from a loaded file.</summary>
        public const string Image = "camassert:image";
        /// <summary>CamAssert's version.</summary>
        public const string Version = "camassert:version";
    }

    /// <summary>Writes the map atomically as a 16-bit gray PNG through ImageSharp (values clamped to [0, 1], rounded to 1/65535).</summary>
    public void Write(string path)
    {
        AtomicFile.Write(path, PngWriter.Encode(Values, Width, Height, 1, 16, Metadata, path));
    }

    /// <summary>Reads a golden file; a gray PNG of any depth is accepted.</summary>
    /// <exception cref="ImageFormatException">The file is not a readable grayscale PNG.</exception>
    public static GoldenFile Read(string path)
    {
        var png = CamImage.Load(path);
        if (png.Channels != 1 || png.Provenance?.Format != "PNG")
            throw new ImageFormatException(path, $"a golden heatmap must be a grayscale PNG, but this one is {png.Provenance}. Delete it and accept the map again.");
        return new GoldenFile(png.Pixels, png.Width, png.Height, png.Text);
    }
}
