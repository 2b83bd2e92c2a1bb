using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam.TorchCam;

/// <summary>
/// TorchCAM's Smooth Grad-CAM++ (<c>SmoothGradCAMpp</c>), as its code computes it: N noisy copies
/// of the input (x + δ, δ ~ N(0, σ²), σ = 0.3, N = 4 by default) each give the gradient G_i at the
/// layer; with D2 = mean G_i² and D3 = mean G_i³, α = D2 / (2·D2 + Σ_hw D3·A + 1e-8) where A is the
/// activation of the clean input, and w_k = Σ_hw α·ReLU(G_N). TorchCAM's hooks are left holding the
/// last noisy copy's gradient G_N and activation A_N, so the weights use G_N and the map is
/// ReLU(Σ_k w_k·A_N): reproduced here. The noise is torch's: what TorchCAM draws after
/// <c>torch.manual_seed(</c><see cref="CamOptions.Seed"/><c>)</c>, one (1, C, H, W) tensor per copy (channel-major
/// whatever the input layout).
/// The copies run in batches when the model's batch axis is free.
/// </summary>
internal static class SmoothGradCamPlusPlus
{
    public static ChannelMaps.Result Map(CamModel model, Tensor input, int image, Target target, Layer layer, float[] clean, MapLayout layout, (int K, int H, int W) grid, CamOptions options)
    {
        int samples = options.Samples ?? 4;
        if (samples < 1) throw new CamException($"smoothgradcam++ needs at least one sample, but CamOptions.Samples is {samples}.");
        double std = options.NoiseStd ?? 0.3;
        var context = TargetContext.Of(model);
        var scoreLayer = target.ScoreLayer is { } path ? model.Layer(path) : null;
        var (h, w) = CamRunner.InputSize(model, input);
        int plane = h * w, per = input.Length / input.Shape[0], channels = per / plane, hw = grid.H * grid.W, size = grid.K * hw;
        var one = input.F.AsSpan(image * per, per).ToArray();
        var random = new TorchNormal(options.Seed);
        var d2 = new float[size];
        var d3 = new float[size];
        float[] lastA = clean, lastG = new float[size];
        int batch = Math.Max(1, BatchedScores.BatchOf(model));
        for (int start = 0; start < samples; start += batch)
        {
            int n = Math.Min(batch, samples - start), rows = BatchedScores.FixedBatch(model) ?? n;   // a fixed batch is padded with zeros
            var x = new float[rows * per];
            for (int i = 0; i < n; i++)
            {
                var noise = random.Normal(per, (float)std);
                for (int ch = 0; ch < channels; ch++)
                    for (int p = 0; p < plane; p++)
                    {
                        int at = model.Input.IndexOf(ch, p, channels, plane);
                        x[i * per + at] = one[at] + noise[ch * plane + p];
                    }
            }
            using var pass = model.Forward(Tensor.FromFloats([rows, .. input.Shape[1..]], x), layer, scoreLayer);
            var seed = new float[pass.Output.Length];
            for (int i = 0; i < n; i++)
            {
                var s = target.Seed(pass.Output, i, context).F;
                for (int j = 0; j < seed.Length; j++) seed[j] += s[j];
            }
            var gradient = pass.Gradient(Tensor.FromFloats(pass.Output.Shape, seed));
            for (int i = 0; i < n; i++)
            {
                var g = MapLayouts.ChannelMajor(gradient, i, layout, grid);
                for (int j = 0; j < size; j++) { float g2 = g[j] * g[j]; d2[j] += g2; d3[j] += g2 * g[j]; }
                if (start + i == samples - 1) { lastG = g; lastA = MapLayouts.ChannelMajor(pass.Activation, i, layout, grid); }
            }
        }
        if (options.RectifyActivation) for (int i = 0; i < size; i++) lastA[i] = MathF.Max(lastA[i], 0);
        var weights = new float[grid.K];
        for (int c = 0; c < grid.K; c++)
        {
            double sum = 0;
            for (int i = 0; i < hw; i++) sum += (double)(d3[c * hw + i] / samples) * clean[c * hw + i];
            double weight = 0;
            for (int i = 0; i < hw; i++)
            {
                float m2 = d2[c * hw + i] / samples;
                float alpha = m2 / (2 * m2 + (float)sum + 1e-8f);
                weight += alpha * MathF.Max(lastG[c * hw + i], 0);
            }
            weights[c] = (float)weight;
        }
        return ChannelMaps.Weighted(lastA, weights, grid.K, hw);
    }
}
