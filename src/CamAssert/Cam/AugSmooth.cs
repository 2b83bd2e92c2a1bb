using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// pytorch-grad-cam's aug_smooth (test-time augmentation with ttach's HorizontalFlip × Multiply(0.9, 1, 1.1)):
/// the map of each of the 6 augmented inputs, flipped back where the input was flipped, and their
/// mean (not scaled again). The layer-resolution map, weights and contributions are those of the plain input.
/// </summary>
internal static class AugSmooth
{
    private static readonly float[] Factors = [0.9f, 1f, 1.1f];

    /// <summary>The smoothed maps of <paramref name="cams"/>' requests (one per entry of <paramref name="images"/>, the image each explains).</summary>
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<int> images, Func<Tensor, Heatmap[]> cams)
    {
        var (h, w) = CamRunner.InputSize(model, input);
        int requests = images.Count;
        var sums = Enumerable.Range(0, requests).Select(_ => new float[h * w]).ToArray();
        var live = new bool[requests];
        Heatmap[]? plain = null;
        foreach (bool flip in new[] { false, true })
            foreach (float factor in Factors)
            {
                var maps = cams(Augment(model, input, flip, factor, h, w));
                if (!flip && factor == 1) plain = maps;
                for (int i = 0; i < requests; i++)
                {
                    live[i] |= !maps[i].IsDegenerate;
                    var values = flip ? FlipRows(maps[i].Values, h, w) : maps[i].Values;
                    for (int j = 0; j < values.Length; j++) sums[i][j] += values[j];
                }
            }
        return plain!.Select((m, i) => new Heatmap(m.Source, m.LayerMap, m.LayerSize, sums[i].Select(v => v / 6).ToArray(), m.InputSize,
            m.ChannelWeights, m.ChannelContributions, live[i] ? null : m.DegenerateReason)).ToArray();
    }

    /// <summary>The input multiplied by <paramref name="factor"/> and, when <paramref name="flip"/>, mirrored left-right, in the model's input layout.</summary>
    private static Tensor Augment(CamModel model, Tensor input, bool flip, float factor, int h, int w)
    {
        int per = input.Length / input.Shape[0], pixels = h * w, channels = per / pixels;
        var source = input.F;
        var r = new float[source.Length];
        for (int b = 0; b < input.Shape[0]; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < pixels; p++)
                {
                    int from = flip ? p / w * w + (w - 1 - p % w) : p;
                    float v = source[b * per + model.Input.IndexOf(c, from, channels, pixels)];
                    r[b * per + model.Input.IndexOf(c, p, channels, pixels)] = factor == 1 ? v : v * factor;
                }
        return Tensor.FromFloats(input.Shape, r);
    }

    private static float[] FlipRows(float[] plane, int h, int w)
    {
        var r = new float[plane.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                r[y * w + x] = plane[y * w + (w - 1 - x)];
        return r;
    }
}
