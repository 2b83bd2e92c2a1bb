using System.Runtime.CompilerServices;
namespace CamAssert.Imaging;

/// <summary>
/// Bilinear resampling of one float plane. Half-pixel centres (OpenCV INTER_LINEAR, torch
/// <c>interpolate(align_corners=False)</c>, clamped at the edges) is what pytorch-grad-cam uses for
/// heatmaps; corner alignment (<c>align_corners=True</c>) is what its ScoreCAM uses for masks.
/// </summary>
public static class Resample
{
    /// <summary>Resizes <paramref name="src"/> (h×w, row-major) to <paramref name="outH"/>×<paramref name="outW"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Bilinear(ReadOnlySpan<float> src, int h, int w, int outH, int outW, bool alignCorners = false)
    {
        if (h < 1 || w < 1 || outH < 1 || outW < 1) throw new ArgumentException($"Cannot resize {h}×{w} to {outH}×{outW}: sizes must be positive.");
        if (src.Length != h * w) throw new ArgumentException($"Expected {h * w} values for a {h}×{w} plane, but found {src.Length}.");
        var (y0, y1, fy) = Taps(h, outH, alignCorners);
        var (x0, x1, fx) = Taps(w, outW, alignCorners);
        var dst = new float[outH * outW];
        for (int y = 0; y < outH; y++)
        {
            int r0 = y0[y] * w, r1 = y1[y] * w;
            float wy = fy[y];
            for (int x = 0; x < outW; x++)
            {
                float top = src[r0 + x0[x]] * (1 - fx[x]) + src[r0 + x1[x]] * fx[x];
                float bottom = src[r1 + x0[x]] * (1 - fx[x]) + src[r1 + x1[x]] * fx[x];
                dst[y * outW + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return dst;
    }

    /// <summary>
    /// <paramref name="image"/> resized to <paramref name="width"/>×<paramref name="height"/>, each
    /// channel with <see cref="Bilinear"/> (half-pixel centres); the image itself when the size matches.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not positive.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CamImage Image(CamImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width < 1 || height < 1)
            throw new ArgumentException($"Cannot resize {(image.Source is null ? $"a {image.Width}×{image.Height} image" : $"'{image.Source}'")} to {width}×{height}: the target size must be at least 1×1.", nameof(width));
        if (image.Width == width && image.Height == height) return image;
        int channels = image.Channels;
        var result = new float[width * height * channels];
        var plane = new float[image.Width * image.Height];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < plane.Length; i++) plane[i] = image.Pixels[i * channels + c];
            var resized = Bilinear(plane, image.Height, image.Width, height, width);
            for (int i = 0; i < resized.Length; i++) result[i * channels + c] = resized[i];
        }
        return new CamImage(width, height, channels, result, image.Source, image.BitDepth) { Provenance = image.Provenance };
    }

    /// <summary>For each output coordinate: the two source taps and the weight of the second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Lo, int[] Hi, float[] Frac) Taps(int inSize, int outSize, bool alignCorners)
    {
        var lo = new int[outSize];
        var hi = new int[outSize];
        var frac = new float[outSize];
        float scale = alignCorners
            ? (outSize > 1 ? (inSize - 1f) / (outSize - 1f) : 0f)
            : (float)inSize / outSize;
        for (int i = 0; i < outSize; i++)
        {
            float s = alignCorners ? i * scale : Math.Max(0f, (i + 0.5f) * scale - 0.5f);
            int l = Math.Min((int)MathF.Floor(s), inSize - 1);
            lo[i] = l;
            hi[i] = Math.Min(l + 1, inSize - 1);
            frac[i] = hi[i] == l ? 0f : s - l;
        }
        return (lo, hi, frac);
    }
}
