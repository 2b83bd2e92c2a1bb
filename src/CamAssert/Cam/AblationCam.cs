using CamAssert.Models;
using CamAssert.Models.Backends;

namespace CamAssert.Cam;

/// <summary>
/// Ablation-CAM's channel weights (pytorch-grad-cam's AblationCAM with its AblationLayer): for each
/// channel k, the layer's output with channel k of this image replaced, run through the rest of the
/// model (<see cref="ForwardPass.OutputWith"/>); weight = (score − ablated score) / score.
/// The replacement is 0 when the image's activation has minimum 0 (after a ReLU); otherwise
/// pytorch-grad-cam writes min − 1e7 in place and, because each write lowers the minimum it reads
/// next, the j-th channel of each batch of 32 gets min − (j + 1)·1e7 (float32): reproduced here.
/// A ViT layer's channel is ablated in every patch token (pytorch-grad-cam needs AblationLayerVit there).
/// </summary>
internal static class AblationCam
{
    /// <summary>pytorch-grad-cam's default batch size, which its ablation values depend on.</summary>
    private const int BatchSize = 32;

    public static float[] Weights(ForwardPass pass, int image, MapLayout layout, (int K, int H, int W) grid, Target target, TargetContext context)
    {
        var activation = pass.Activation;
        int per = activation.Length / activation.Shape[0], hw = grid.H * grid.W;
        float min = System.Numerics.Tensors.TensorPrimitives.Min(activation.F.AsSpan(image * per, per));
        float original = target.Score(pass.Output, image, context);
        var w = new float[grid.K];
        var values = (float[])activation.F.Clone();
        for (int k = 0; k < grid.K; k++)
        {
            float ablated = 0;
            if (min != 0)
            {
                ablated = min;
                for (int j = 0; j <= k % BatchSize; j++) ablated -= 1e7f;
            }
            var saved = new float[hw];
            for (int p = 0; p < hw; p++)
            {
                int at = MapLayouts.Offset(image, k, p, layout, grid);
                saved[p] = values[at];
                values[at] = ablated;
            }
            var output = pass.OutputWith(Tensor.FromFloats(activation.Shape, values));
            float score = target.Score(output, image, context);
            w[k] = (original - score) / original;
            for (int p = 0; p < hw; p++) values[MapLayouts.Offset(image, k, p, layout, grid)] = saved[p];
        }
        return w;
    }
}
