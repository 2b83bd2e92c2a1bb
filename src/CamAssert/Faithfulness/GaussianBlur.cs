using CamAssert.Models.Backends;

namespace CamAssert.Faithfulness;

/// <summary>
/// RISE's insertion substrate: each channel convolved with gkern(size, σ), zero-padded to keep its size.
/// gkern is scipy's gaussian_filter(σ, truncate 4, mode 'reflect') of a centred delta in a size×size grid, so
/// the Gaussian's tails beyond the grid are folded back in: with a delta, that is the outer product of the
/// one-dimensional filter of a delta, computed here in double and rounded to float as RISE rounds it.
/// </summary>
internal static class GaussianBlur
{
    public static float[] Apply(float[] image, ModelInput layout, int channels, int h, int w, int size, double sigma)
    {
        if (size < 1 || !(sigma > 0))
            throw new ArgumentOutOfRangeException(nameof(size), $"The blur needs a positive size and σ, but found {size} and {sigma}.");
        var k1 = Kernel1D(size, sigma);
        var kernel = new float[size * size];
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) kernel[i * size + j] = (float)(k1[i] * k1[j]);
        int pad = size / 2, pixels = h * w;
        var result = new float[image.Length];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float sum = 0;
                    for (int i = 0; i < size; i++)
                    {
                        int yy = y + i - pad;
                        if (yy < 0 || yy >= h) continue;
                        for (int j = 0; j < size; j++)
                        {
                            int xx = x + j - pad;
                            if (xx < 0 || xx >= w) continue;
                            sum += kernel[i * size + j] * image[layout.IndexOf(c, yy * w + xx, channels, pixels)];
                        }
                    }
                    result[layout.IndexOf(c, y * w + x, channels, pixels)] = sum;
                }
        return result;
    }

    /// <summary>scipy's gaussian_filter1d of a delta at size / 2 in a line of <paramref name="size"/>, mode 'reflect' (d c b a | a b c d | d c b a).</summary>
    private static double[] Kernel1D(int size, double sigma)
    {
        int radius = (int)(4.0 * sigma + 0.5);
        var weights = new double[2 * radius + 1];
        for (int j = -radius; j <= radius; j++) weights[j + radius] = Math.Exp(-0.5 / (sigma * sigma) * j * j);
        double total = weights.Sum();
        var k = new double[size];
        int centre = size / 2;
        for (int i = 0; i < size; i++)
            for (int j = -radius; j <= radius; j++)
                if (Reflect(i + j, size) == centre) k[i] += weights[j + radius] / total;
        return k;
    }

    private static int Reflect(int m, int n)
    {
        m %= 2 * n;
        if (m < 0) m += 2 * n;
        return m < n ? m : 2 * n - 1 - m;
    }
}
