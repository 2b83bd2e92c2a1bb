using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// Score-CAM's channel weights: each channel's map is upsampled to the input size (bilinear,
/// corners aligned), min-max normalised (÷ (max − min + 1e-8)), multiplied into the input, and
/// the target's score on that masked input is taken; the weights are the softmax of the scores.
/// One masked input per channel, run in batches (<see cref="BatchedScores"/>) when the model's
/// batch axis is free, as pytorch-grad-cam batches them.
/// </summary>
internal static class ScoreCam
{
    public static float[] Weights(CamModel model, Tensor input, int image, Target target, float[] a, (int K, int H, int W) grid, (int H, int W) size)
    {
        int hw = grid.H * grid.W, plane = size.H * size.W;
        int channels = input.Length / input.Shape[0] / plane;
        var one = input.F.AsSpan(image * channels * plane, channels * plane).ToArray();
        var scores = BatchedScores.Of(model, input.Shape[1..], grid.K, (k, masked) =>
        {
            var mask = Resample.Bilinear(a.AsSpan(k * hw, hw), grid.H, grid.W, size.H, size.W, alignCorners: true);
            float min = mask.Min(), max = mask.Max();
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++)
                {
                    int at = model.Input.IndexOf(c, p, channels, plane);
                    masked[at] = one[at] * ((mask[p] - min) / (max - min + 1e-8f));
                }
        }, target);
        return ChannelMaps.Softmax(scores);
    }
}
