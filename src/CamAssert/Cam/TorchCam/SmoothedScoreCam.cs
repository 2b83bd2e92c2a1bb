using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cam.TorchCam;

/// <summary>
/// TorchCAM's SS-CAM and IS-CAM channel weights, as its <c>SSCAM</c> and <c>ISCAM</c> compute them.
/// Each channel's map is min-max normalised at layer resolution (÷ (max − min + 1e-8)) and
/// upsampled to the input (bilinear, half-pixel centres): U_k. SS-CAM scores the input times
/// U_k + δ, δ ~ N(0, σ²) drawn afresh per sample for every channel and pixel (σ = 2, 35 samples by
/// default); IS-CAM scores the input times c_i·U_k with c_i = Σ_{j ≤ i} j / N (10 samples). The
/// weights are the softmax over channels of the mean of score − score(input). The inputs are run
/// in batches (<see cref="BatchedScores"/>). SS-CAM's noise is torch's: what TorchCAM draws after
/// <c>torch.manual_seed(</c><see cref="CamOptions.Seed"/><c>)</c>, one (1, C, H, W) tensor per sample.
/// </summary>
internal static class SmoothedScoreCam
{
    public static float[] Weights(CamMethod method, CamModel model, Tensor input, int image, Target target, float[] a, (int K, int H, int W) grid, (int H, int W) size, CamOptions options)
    {
        int hw = grid.H * grid.W, plane = size.H * size.W, k = grid.K;
        int per = input.Length / input.Shape[0], channels = per / plane;
        var one = input.F.AsSpan(image * per, per).ToArray();
        int[] shape = input.Shape[1..];
        var up = new float[k][];
        for (int c = 0; c < k; c++) up[c] = Resample.Bilinear(Normalised(a.AsSpan(c * hw, hw)), grid.H, grid.W, size.H, size.W);

        bool smoothed = method == CamMethod.SsCam;
        int samples = options.Samples ?? (smoothed ? 35 : 10);
        if (samples < 1) throw new CamException($"{method.Name()} needs at least one sample, but CamOptions.Samples is {samples}.");
        double std = options.NoiseStd ?? 2.0;
        var random = new TorchNormal(options.Seed);
        var noise = new float[k * plane];
        int drawn = -1;
        double baseline = BatchedScores.Of(model, shape, 1, (_, x) => one.CopyTo(x), target)[0];
        var scores = BatchedScores.Of(model, shape, samples * k, (n, x) =>
        {
            int s = n / k, c = n % k;
            if (smoothed && s != drawn)
            {
                noise = random.Normal(noise.Length, (float)std);
                drawn = s;
            }
            float coefficient = (float)Coefficient(s, samples);
            for (int ch = 0; ch < channels; ch++)
                for (int p = 0; p < plane; p++)
                {
                    int at = model.Input.IndexOf(ch, p, channels, plane);
                    x[at] = smoothed ? one[at] * (up[c][p] + noise[c * plane + p]) : coefficient * (one[at] * up[c][p]);
                }
        }, target);
        var mean = new double[k];
        for (int n = 0; n < scores.Length; n++) mean[n % k] += scores[n] - baseline;
        for (int c = 0; c < k; c++) mean[c] /= samples;
        return ChannelMaps.Softmax(mean);
    }

    /// <summary>IS-CAM's factor for sample <paramref name="s"/> (from 0): Σ_{j=1}^{s+1} j / N, summed as TorchCAM sums it.</summary>
    private static double Coefficient(int s, int samples)
    {
        double c = 0;
        for (int j = 0; j <= s; j++) c += (double)(j + 1) / samples;
        return c;
    }

    /// <summary>TorchCAM's _normalize of one plane: x − min, then ÷ (max + 1e-8).</summary>
    private static float[] Normalised(ReadOnlySpan<float> plane)
    {
        float min = float.MaxValue;
        foreach (var v in plane) min = Math.Min(min, v);
        var r = new float[plane.Length];
        float max = float.MinValue;
        for (int i = 0; i < r.Length; i++) { r[i] = plane[i] - min; max = Math.Max(max, r[i]); }
        for (int i = 0; i < r.Length; i++) r[i] /= max + 1e-8f;
        return r;
    }
}
