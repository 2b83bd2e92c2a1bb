using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// Score-CAM's channel weights: each channel's map is upsampled to the input size (bilinear,
/// corners aligned), min-max normalised (÷ (max − min + 1e-8)), multiplied into the input, and
/// the target's score on that masked input is taken; the weights are the softmax of the scores.
/// One forward per channel.
/// </summary>
internal static class ScoreCam
{
    public static float[] Weights(CamModel model, Tensor input, int image, Target target, float[] a, (int K, int H, int W) grid, (int H, int W) size)
    {
        int hw = grid.H * grid.W, plane = size.H * size.W;
        int channels = input.Length / input.Shape[0] / plane;
        var context = TargetContext.Of(model);
        var scoreLayer = target.ScoreLayer is { } path ? model.Layer(path) : null;
        var scores = new double[grid.K];
        var one = input.F.AsSpan(image * channels * plane, channels * plane);
        for (int k = 0; k < grid.K; k++)
        {
            var mask = Resample.Bilinear(a.AsSpan(k * hw, hw), grid.H, grid.W, size.H, size.W, alignCorners: true);
            float min = mask.Min(), max = mask.Max();
            var masked = new float[channels * plane];
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++)
                {
                    int at = model.Input.IndexOf(c, p, channels, plane);
                    masked[at] = one[at] * ((mask[p] - min) / (max - min + 1e-8f));
                }
            var x = Tensor.FromFloats([1, .. input.Shape[1..]], masked);
            Tensor output;
            if (scoreLayer is null) output = model.Run(x);
            else { using var pass = model.Forward(x, scoreLayer, scoreLayer); output = pass.Output; }
            scores[k] = target.Score(output, 0, context);
        }
        return ChannelMaps.Softmax(scores);
    }
}
