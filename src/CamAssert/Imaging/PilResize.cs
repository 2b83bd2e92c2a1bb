namespace CamAssert.Imaging;

/// <summary>
/// PIL's bilinear resize (<c>Image.resize(size, Image.BILINEAR)</c>, what torchvision 0.14's
/// <c>Resize</c> runs on PIL images): a separable convolution with the triangle filter, its support
/// widened by the downscale factor (antialiasing), horizontal pass first, then vertical. On 8-bit
/// images every pass is PIL's fixed point (coefficients to 22 bits, rounded, clipped to 0..255
/// between the passes), so the result is PIL's to the bit; other depths use the same coefficients
/// in double precision, as PIL's float mode does.
/// </summary>
internal static class PilResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// <paramref name="image"/> resized to <paramref name="width"/>×<paramref name="height"/>, every
    /// channel alike (alpha is resized as a channel, not premultiplied).
    /// </summary>
    public static CamImage Resize(CamImage image, int width, int height)
    {
        bool eightBit = image.BitDepth == 8;
        int channels = image.Channels;
        var vertical = Coefficients(image.Height, height);
        float[] pixels = image.Pixels;
        if (width != image.Width)
        {
            // Only the source rows the vertical pass reads, as PIL does; the vertical taps then count from the first.
            int first = vertical.Min[0], last = vertical.Min[height - 1] + vertical.Count[height - 1];
            pixels = Horizontal(pixels, image.Width, first, last, channels, Coefficients(image.Width, width), eightBit);
            vertical = vertical with { Min = vertical.Min.Select(m => m - first).ToArray() };
        }
        if (height != image.Height) pixels = Vertical(pixels, width, channels, vertical, eightBit);
        return new CamImage(width, height, channels, pixels, image.Source, image.BitDepth) { Provenance = image.Provenance };
    }

    /// <summary>For each output sample: the first source sample, how many, and their weights (normalised to sum 1).</summary>
    internal sealed record Taps(int[] Min, int[] Count, double[][] Weights, int[][] Fixed);

    internal static Taps Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        var min = new int[outSize];
        var count = new int[outSize];
        var weights = new double[outSize][];
        var fixedPoint = new int[outSize][];
        double inverse = 1.0 / filterScale;
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int lo = Math.Max(0, (int)(center - support + 0.5));
            int hi = Math.Min(inSize, (int)(center + support + 0.5));
            var k = new double[Math.Max(0, hi - lo)];
            double sum = 0;
            for (int x = 0; x < k.Length; x++) sum += k[x] = Triangle((x + lo - center + 0.5) * inverse);
            if (sum != 0) for (int x = 0; x < k.Length; x++) k[x] /= sum;
            (min[i], count[i], weights[i]) = (lo, k.Length, k);
            fixedPoint[i] = k.Select(w => (int)(w < 0 ? -0.5 + w * (1 << PrecisionBits) : 0.5 + w * (1 << PrecisionBits))).ToArray();
        }
        return new Taps(min, count, weights, fixedPoint);
    }

    private static double Triangle(double x) => Math.Abs(x) < 1.0 ? 1.0 - Math.Abs(x) : 0.0;

    /// <summary>Rows <paramref name="first"/> to <paramref name="last"/> (exclusive) of the source, each resampled to the taps' width.</summary>
    private static float[] Horizontal(float[] src, int srcWidth, int first, int last, int channels, Taps taps, bool eightBit)
    {
        int outWidth = taps.Min.Length;
        var dst = new float[(long)outWidth * (last - first) * channels];
        for (int y = first; y < last; y++)
            for (int o = 0; o < outWidth; o++)
                for (int c = 0; c < channels; c++)
                    dst[((long)(y - first) * outWidth + o) * channels + c] = Sum(src, ((long)y * srcWidth + taps.Min[o]) * channels + c, channels, taps, o, eightBit);
        return dst;
    }

    /// <summary>Every column of the source (<paramref name="width"/> wide) resampled to the taps' height.</summary>
    private static float[] Vertical(float[] src, int width, int channels, Taps taps, bool eightBit)
    {
        int outHeight = taps.Min.Length;
        var dst = new float[(long)width * outHeight * channels];
        for (int o = 0; o < outHeight; o++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    dst[((long)o * width + x) * channels + c] = Sum(src, ((long)taps.Min[o] * width + x) * channels + c, (long)width * channels, taps, o, eightBit);
        return dst;
    }

    private static float Sum(float[] src, long start, long stride, Taps taps, int o, bool eightBit)
    {
        int n = taps.Count[o];
        if (eightBit)
        {
            var k = taps.Fixed[o];
            int ss = 1 << (PrecisionBits - 1);
            for (int t = 0; t < n; t++) ss += (int)MathF.Round(src[start + t * stride] * 255f) * k[t];
            return Math.Clamp(ss >> PrecisionBits, 0, 255) / 255f;
        }
        var w = taps.Weights[o];
        double sum = 0;
        for (int t = 0; t < n; t++) sum += src[start + t * stride] * w[t];
        return (float)sum;
    }
}
