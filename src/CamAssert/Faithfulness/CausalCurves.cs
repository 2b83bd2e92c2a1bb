using CamAssert.Cam;
using CamAssert.Models;

namespace CamAssert.Faithfulness;

/// <summary>Which game a causal curve plays (Petsiuk et al. 2018, RISE).</summary>
public enum CausalGame
{
    /// <summary>Deletion: start from the image and replace the pixels the map rates highest first by 0; a faithful map makes the score fall fast (low area).</summary>
    Deletion,
    /// <summary>Insertion: start from the blurred image and put back the original pixels the map rates highest first; a faithful map makes the score rise fast (high area).</summary>
    Insertion,
}

/// <summary>Settings of the deletion and insertion curves, with the RISE evaluation's defaults.</summary>
public sealed record CausalCurveOptions
{
    /// <summary>The defaults: one image row of pixels per step, insertion's blur an 11×11 Gaussian of σ = 5 (RISE's Evaluation notebook).</summary>
    public static CausalCurveOptions Default { get; } = new();

    /// <summary>Pixels changed per step; null: the image's width (RISE's 224 for 224×224 images).</summary>
    public int? Step { get; init; }

    /// <summary>Side of insertion's blur kernel (RISE's klen, 11).</summary>
    public int BlurSize { get; init; } = 11;

    /// <summary>σ of insertion's blur (RISE's ksig, 5).</summary>
    public double BlurSigma { get; init; } = 5;
}

/// <summary>
/// A deletion or insertion curve: the target's score after each step (the first before any change, the last
/// after every pixel), and its normalised area (RISE's auc: the trapezoid rule over [0, 1]).
/// </summary>
/// <param name="Game">Deletion or insertion.</param>
/// <param name="Step">Pixels changed per step.</param>
/// <param name="Scores">The score after 0, 1, …, n steps (n = ⌈pixels / step⌉).</param>
public sealed record CausalCurve(CausalGame Game, int Step, IReadOnlyList<double> Scores)
{
    /// <summary>(Σ scores − first/2 − last/2) / (count − 1): the area under the curve over [0, 1].</summary>
    public double Auc => (Scores.Sum() - Scores[0] / 2 - Scores[^1] / 2) / (Scores.Count - 1);
}

/// <summary>
/// The deletion and insertion metrics of RISE (Petsiuk, Das and Saenko 2018), as its reference
/// implementation (eclique/RISE, evaluation.py's CausalMetric.single_run) computes them: pixels are taken in
/// order of decreasing map value (at input size, e.g. a heatmap's <see cref="Heatmaps.Heatmap.Values"/>),
/// <c>step</c> at a time, every channel of a pixel at once; deletion replaces them by 0, insertion starts from
/// the image blurred per channel (RISE's gkern: scipy's gaussian_filter of a centred delta, zero padding) and
/// puts the originals back. RISE scores the softmax probability of the top class: pass
/// <see cref="Target.Probability(int)"/> for that, or any target. Pixels of equal map value are taken the later
/// pixel first (numpy's np.flip of a stable argsort; RISE's default argsort leaves their order unspecified).
/// The n + 1 inputs run in batches when the model's batch axis is free.
/// </summary>
public static class CausalCurves
{
    /// <summary>The deletion curve of <paramref name="map"/> for <paramref name="target"/> on image <paramref name="image"/>.</summary>
    public static CausalCurve DeletionCurve(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, CausalCurveOptions? options = null, int image = 0) =>
        Curve(model, input, map, target, CausalGame.Deletion, options ?? CausalCurveOptions.Default, image);

    /// <summary>The insertion curve of <paramref name="map"/> for <paramref name="target"/> on image <paramref name="image"/>.</summary>
    public static CausalCurve InsertionCurve(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, CausalCurveOptions? options = null, int image = 0) =>
        Curve(model, input, map, target, CausalGame.Insertion, options ?? CausalCurveOptions.Default, image);

    private static CausalCurve Curve(CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, CausalGame game, CausalCurveOptions options, int image)
    {
        ArgumentNullException.ThrowIfNull(target);
        var one = MapOnImage.Of(model, input, map.Length, image);
        int h = one.Height, w = one.Width, pixels = one.Pixels, channels = one.Channels, per = one.Values.Length;
        int step = options.Step ?? w;
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(options), step, "A causal curve's step is at least 1 pixel.");
        var original = one.Values;
        var blurred = game == CausalGame.Insertion ? GaussianBlur.Apply(original, model.Input, channels, h, w, options.BlurSize, options.BlurSigma) : new float[per];
        var (start, finish) = game == CausalGame.Deletion ? (original, blurred) : (blurred, original);
        var values = map.ToArray();
        var order = Enumerable.Range(0, pixels).OrderByDescending(p => values[p]).ThenByDescending(p => p).ToArray();
        int steps = (pixels + step - 1) / step;
        var current = (float[])start.Clone();
        int done = 0;
        var scores = BatchedScores.Of(model, input.Shape[1..], steps + 1, (i, x) =>
        {
            for (; done < i; done++)
                foreach (int p in order.AsSpan(done * step, Math.Min(step, pixels - done * step)))
                    for (int c = 0; c < channels; c++)
                    {
                        int at = model.Input.IndexOf(c, p, channels, pixels);
                        current[at] = finish[at];
                    }
            current.CopyTo(x);
        }, target);
        return new CausalCurve(game, step, scores);
    }
}
