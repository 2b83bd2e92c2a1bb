using CamAssert.Cam.Factorization;

namespace CamAssert.Imaging;

/// <summary>
/// The picture of Deep Feature Factorization's concepts over an image, pixel for pixel pytorch-grad-cam's
/// <c>show_factorization_on_image</c>: each pixel takes the colour of the concept whose map is largest there
/// (gist_rainbow at i / K for concept i of K), as bright as that map's value, blended half and half with the image.
/// </summary>
/// <remarks>
/// pytorch-grad-cam sets the colour's brightness through OpenCV's 8-bit HSV conversions (the colour quantised to
/// 8 bits, to HSV, its value replaced by ⌊255·map⌋, back to RGB); they are reproduced here with OpenCV's rounding,
/// including that its x86 (AVX2) build truncates in blocks of 32 pixels and rounds the rest of a row, so the
/// pictures are the same bytes as pytorch-grad-cam's on such a machine (tested); other OpenCV builds differ from
/// it by at most one level in some pixels. No legend is drawn: the colours are <see cref="Colors"/>.
/// </remarks>
public static class ConceptOverlay
{
    /// <summary>The colour of each of <paramref name="count"/> concepts (RGB in [0, 1]): gist_rainbow at i / count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1.</exception>
    public static (float R, float G, float B)[] Colors(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Concept colours need at least one concept.");
        return Enumerable.Range(0, count).Select(i => ColorMap.GistRainbow.Map((float)(i * (1.0 / count)))).ToArray();
    }

    /// <summary>Image <paramref name="imageIndex"/>'s concepts of <paramref name="factorization"/> over <paramref name="image"/> (without one, the colours alone).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The factorisation has no image <paramref name="imageIndex"/>.</exception>
    public static CamImage Render(FeatureFactorization factorization, CamImage? image = null, int imageIndex = 0, float imageWeight = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(factorization);
        if ((uint)imageIndex >= (uint)factorization.Maps.Length)
            throw new ArgumentOutOfRangeException(nameof(imageIndex), imageIndex, $"The factorisation of layer '{factorization.Layer}' covers {factorization.Maps.Length} image(s) (0 to {factorization.Maps.Length - 1}).");
        return Render(factorization.Maps[imageIndex], factorization.Width, factorization.Height, image, image is null ? 0 : imageWeight);
    }

    /// <summary>
    /// Concept maps (each <paramref name="width"/>×<paramref name="height"/>, row-major, values in [0, 1]) over
    /// <paramref name="image"/>, made RGB and resized (bilinear) to the maps' size when they differ:
    /// <c>image · imageWeight + colours · (1 − imageWeight)</c>, then truncated to 8 bits as pytorch-grad-cam does.
    /// </summary>
    /// <exception cref="ArgumentException">No maps, or a map whose length is not width × height.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The image weight is outside [0, 1].</exception>
    public static CamImage Render(IReadOnlyList<float[]> maps, int width, int height, CamImage? image = null, float imageWeight = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("Cannot draw the concepts: there are none. Factorise into at least one concept.", nameof(maps));
        for (int j = 0; j < maps.Count; j++)
            if (width < 1 || height < 1 || maps[j].Length != (long)width * height)
                throw new ArgumentException($"Cannot draw the concepts: map {j} has {maps[j].Length} values, but {width}×{height} needs {(long)Math.Max(0, width) * Math.Max(0, height)}.", nameof(maps));
        if (!(imageWeight is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(imageWeight), imageWeight, "Cannot draw the concepts: the image weight is the image's share of the picture, from 0 (colours only) to 1 (image only). 0.5 is usual.");
        var background = image is null ? null : Resample.Image(image.ToRgb(), width, height).Pixels;
        var hues = Colors(maps.Count).Select(c => HueSaturation(Level(c.R), Level(c.G), Level(c.B))).ToArray();
        float colourWeight = 1 - imageWeight;
        var rgb = new float[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            int owner = 0;
            for (int j = 1; j < maps.Count; j++) if (maps[j][i] > maps[owner][i]) owner = j;   // the first largest, as NumPy's argmax
            var (h, s) = hues[owner];
            var colour = FromHsv(h, s, (int)(maps[owner][i] * 255f), truncate: i % width < width / OpenCvBlock * OpenCvBlock);
            for (int ch = 0; ch < 3; ch++)
            {
                // The image as pytorch-grad-cam holds it: its 8-bit level / 255 (not a float a step off it, which truncation would show).
                float under = background is null ? 0f : MathF.Round(background[i * 3 + ch] * 255f) / 255f;
                float level = (under * imageWeight + colour[ch] / 255f * colourWeight) * 255f;
                rgb[i * 3 + ch] = (int)level / 255f;
            }
        }
        return new CamImage(width, height, 3, rgb);
    }

    /// <summary>⌊255·c⌋, as NumPy's uint8 cast of the colour.</summary>
    private static int Level(float c) => (int)(c * 255.0);

    /// <summary>OpenCV's 8-bit RGB → HSV hue (0..180) and saturation (0..255), with its 12-bit fixed-point rounding.</summary>
    private static (int H, int S) HueSaturation(int r, int g, int b)
    {
        const int shift = 12, half = 1 << (shift - 1);
        int v = Math.Max(r, Math.Max(g, b)), diff = v - Math.Min(r, Math.Min(g, b));
        int s = v == 0 ? 0 : (diff * (int)Math.Round((255 << shift) / (double)v) + half) >> shift;
        if (diff == 0) return (0, s);
        int h = v == r ? g - b : v == g ? b - r + 2 * diff : r - g + 4 * diff;
        h = (h * (int)Math.Round((180 << shift) / (6.0 * diff)) + half) >> shift;
        return (h < 0 ? h + 180 : h, s);
    }

    /// <summary>
    /// Pixels OpenCV 4.6's x86 build (AVX2) converts HSV → RGB at a time: within a row, each whole block of 32 is
    /// converted with vector code that truncates to bytes, the rest of the row with scalar code that rounds.
    /// </summary>
    private const int OpenCvBlock = 32;

    /// <summary>OpenCV's 8-bit HSV → RGB: the hue in sixths of the circle, the channels truncated or rounded to bytes (see <see cref="OpenCvBlock"/>).</summary>
    private static int[] FromHsv(int h, int s, int v, bool truncate)
    {
        int Byte(float x) => Math.Clamp(truncate ? (int)(x * 255f) : (int)MathF.Round(x * 255f, MidpointRounding.ToEven), 0, 255);
        float value = v * (1f / 255f), saturation = s * (1f / 255f), hue = h * (6f / 180f);
        if (saturation == 0) return [Byte(value), Byte(value), Byte(value)];
        int sector = (int)MathF.Floor(hue);
        float f = hue - sector;
        sector %= 6;
        float p = value * (1 - saturation), q = value * (1 - saturation * f), t = value * (1 - saturation * (1 - f));
        var (r, g, b) = sector switch
        {
            0 => (value, t, p),
            1 => (q, value, p),
            2 => (p, value, t),
            3 => (p, q, value),
            4 => (t, p, value),
            _ => (value, p, q),
        };
        return [Byte(r), Byte(g), Byte(b)];
    }
}
