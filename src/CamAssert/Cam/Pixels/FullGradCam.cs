using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Backends;

namespace CamAssert.Cam;

/// <summary>
/// pytorch-grad-cam's FullGrad: |input ⊙ ∂score/∂input| per input channel, and |bias_c · ∂score/∂output_c| per channel
/// of every layer that adds a bias per channel (its 2-D convolutions with a bias and batch normalisations), each
/// plane min-max scaled on its own and resized to the input (scale_accross_batch_and_channels), all summed, then
/// min-max scaled once more. One forward and one backward per image; no layer is chosen.
/// </summary>
internal static class FullGradCam
{
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamOptions options)
    {
        if (options.AugSmooth || options.EigenSmooth)
            throw new CamException("FullGrad is run without aug_smooth and eigen_smooth here: pytorch-grad-cam's FullGrad smooths differently from its other methods. Turn the options off for fullgrad.");
        return requests.Select(r => One(model, PixelRunner.Image(input, r.Image), r.Target)).ToArray();
    }

    private static Heatmap One(CamModel model, Tensor input, Target target)
    {
        var (h, w) = CamRunner.InputSize(model, input);
        int channels = input.Length / (h * w);
        var context = TargetContext.Of(model);
        var scoreLayer = target.ScoreLayer is { } path ? model.Layer(path) : null;
        using var pass = model.ForwardToInput(input, scoreLayer);
        var seed = target.Seed(pass.Output, 0, context);
        var inputGradient = pass.Gradient(seed).F;
        var biases = pass.BiasGradients(seed);

        var sum = new float[h * w];
        var x = input.F;
        for (int c = 0; c < channels; c++)
        {
            var plane = new float[h * w];
            for (int p = 0; p < plane.Length; p++)
            {
                int i = model.Input.IndexOf(c, p, channels, h * w);
                plane[p] = MathF.Abs(inputGradient[i] * x[i]);
            }
            Add(sum, CamRunner.MinMax(plane));
        }
        foreach (var layer in biases)
        {
            var g = layer.Gradient;
            int k = g.Shape[1], gh = g.Shape[2], gw = g.Shape[3];
            for (int c = 0; c < k; c++)
            {
                var plane = new float[gh * gw];
                for (int p = 0; p < plane.Length; p++) plane[p] = MathF.Abs(layer.Bias[c] * g.F[c * gh * gw + p]);
                Add(sum, Resample.Bilinear(CamRunner.MinMax(plane), gh, gw, h, w));
            }
        }
        string? degenerate = sum.Max() > sum.Min() ? null : $"FullGrad's terms for {target.Describe(context)} are constant over the image (zero gradients at the input and at every bias)";
        var map = degenerate is null ? CamRunner.MinMax(sum) : new float[h * w];
        var source = new HeatmapSource(model.Name, $"input + {biases.Count} bias layers", "FullGrad uses the input and every layer that adds a bias per channel", target.Describe(context), CamMethod.FullGrad, [], model.Sha256);
        var size = new MapSize(w, h);
        return new Heatmap(source, map, size, map, size, null, [], degenerate);
    }

    private static void Add(float[] sum, float[] plane)
    {
        for (int i = 0; i < sum.Length; i++) sum[i] += plane[i];
    }
}
