using CamAssert.Models;
using System.Runtime.CompilerServices;

namespace CamAssert.Cam;

/// <summary>
/// The target's score on many inputs made one by one (masked, noisy or occluded copies of an
/// image), run through the model in batches of <see cref="BatchSize"/> when its batch axis is free
/// (in batches of the fixed size, the last padded, when the model fixes it). Inputs are made in order, so a generator that
/// draws noise as it goes draws it in the same order whatever the batch size.
/// </summary>
internal static class BatchedScores
{
    /// <summary>
    /// Perturbed inputs per run. TorchCAM and Captum default to 32; on the CPU a batch gains little past
    /// a few images (ResNet50 per image, Zen 3: 77.7 ms at 4, 85–90 ms at 8–32, `bench … batchprobe`) while its
    /// memory grows with it (peak 0.6 GB at 8, 1.6 GB at 32), so 8. Scores do not depend on it beyond rounding.
    /// </summary>
    public const int BatchSize = 8;

    /// <summary>How many images one run takes: <see cref="BatchSize"/>, or the batch the model's input fixes.</summary>
    public static int BatchOf(CamModel model) => FixedBatch(model) ?? BatchSize;

    /// <summary>The batch size the model's input fixes, or null when its batch axis is free.</summary>
    public static int? FixedBatch(CamModel model) => model.Input.Shape is { Rank: > 0 } s && s[0].IsKnown ? (int)s[0].Value : null;

    /// <summary>The score of <paramref name="target"/> on each of <paramref name="count"/> inputs; <paramref name="make"/>(i) writes input i (one image, the model's layout) into the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Of(CamModel model, int[] imageShape, int count, Action<int, Span<float>> make, Target target)
    {
        var context = TargetContext.Of(model);
        var scoreLayer = target.ScoreLayer is { } path ? model.Layer(path) : null;
        int per = (int)Tensor.ElementCount(imageShape), batch = Math.Max(1, BatchOf(model));
        var scores = new double[count];
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start), rows = FixedBatch(model) ?? n;   // a fixed batch is padded with zeros
            var x = new float[rows * per];
            for (int i = 0; i < n; i++) make(start + i, x.AsSpan(i * per, per));
            var t = Tensor.FromFloats([rows, .. imageShape], x);
            if (scoreLayer is null)
            {
                var output = model.Run(t);
                for (int i = 0; i < n; i++) scores[start + i] = target.Score(output, i, context);
            }
            else
            {
                using var pass = model.Forward(t, scoreLayer, scoreLayer);
                for (int i = 0; i < n; i++) scores[start + i] = target.Score(pass.Output, i, context);
            }
        }
        return scores;
    }
}
