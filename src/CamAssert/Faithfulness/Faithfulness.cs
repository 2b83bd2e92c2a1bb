using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Faithfulness;

/// <summary>Which pixels ROAD removes first.</summary>
public enum RoadOrder
{
    /// <summary>MoRF: remove the pixels the map rates highest (those at or above the percentile); a faithful map makes the score fall.</summary>
    MostRelevantFirst,
    /// <summary>LeRF: remove the pixels the map rates lowest; a faithful map keeps the score.</summary>
    LeastRelevantFirst,
}

/// <summary>ROAD's imputation settings.</summary>
public sealed record RoadOptions
{
    /// <summary>The defaults: pytorch-grad-cam's noise of 0.01, seed 0.</summary>
    public static RoadOptions Default { get; } = new();

    /// <summary>Standard deviation of the noise added to imputed pixels (pytorch-grad-cam: 0.01; 0 for none).</summary>
    public double Noise { get; init; } = 0.01;

    /// <summary>Seed of the noise (numpy's legacy generator); pytorch-grad-cam draws it from torch's generator unseeded.</summary>
    public uint Seed { get; init; }
}

/// <summary>
/// pytorch-grad-cam's faithfulness metrics (pytorch_grad_cam.metrics), computed as it computes
/// them: the change of the target's score when the input is perturbed by a map at input size
/// (the heatmap's <see cref="Heatmap.Values"/>). Scores are the target's (a logit, a probability).
/// Each takes one image of <paramref name="input"/>-style batches (<c>image</c>, default 0).
/// </summary>
public static class FaithfulnessMetrics
{
    /// <summary>CamMultImageConfidenceChange: score(input ⊙ map) − score(input).</summary>
    public static double ConfidenceChange(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, int image = 0)
    {
        var copy = map.ToArray();
        var (before, after) = Scores(model, input, image, target, copy.Length, planes =>
        {
            int n = copy.Length;
            for (int i = 0; i < planes.Length; i++) planes[i] *= copy[i % n];
            return planes;
        });
        return after - before;
    }

    /// <summary>DropInConfidence: max(−ConfidenceChange, 0).</summary>
    public static double DropInConfidence(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, int image = 0) =>
        Math.Max(-model.ConfidenceChange(input, map, target, image), 0);

    /// <summary>IncreaseInConfidence: 1 when the score rises on input ⊙ map, else 0.</summary>
    public static double IncreaseInConfidence(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, int image = 0) =>
        model.ConfidenceChange(input, map, target, image) > 0 ? 1 : 0;

    /// <summary>
    /// ROAD at one percentile: score(imputed) − score(input). MoRF keeps the pixels whose map value is below the
    /// map's <paramref name="percentile"/>-th percentile (numpy's linear interpolation) and imputes the rest; LeRF
    /// does the same on 1 − map. pytorch-grad-cam's defaults: MoRF 80, LeRF 20.
    /// </summary>
    public static double Road(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, RoadOrder order, double percentile, RoadOptions? options = null, int image = 0)
    {
        var (before, after) = RoadScores(model, input, map, target, order, percentile, options, image);
        return after - before;
    }

    /// <summary>The target's score before and after ROAD's removal (what <see cref="Road"/> subtracts).</summary>
    internal static (float Before, float After) RoadScores(CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, RoadOrder order, double percentile, RoadOptions? options, int image)
    {
        options ??= RoadOptions.Default;
        var (h, w) = CamRunner.InputSize(model, input);
        var keep = Kept(map, order, percentile);
        var random = new NumpyRandom(options.Seed);
        return Scores(model, input, image, target, map.Length, planes => NoisyLinearImputer.Impute(planes, planes.Length / (h * w), h, w, keep, options.Noise, random));
    }

    /// <summary>The pixels ROAD keeps: those whose map value (1 − value for LeRF) is below its <paramref name="percentile"/>-th percentile.</summary>
    private static bool[] Kept(ReadOnlySpan<float> map, RoadOrder order, double percentile)
    {
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A ROAD percentile is between 0 and 100 (pytorch-grad-cam's MoRF default: 80, LeRF: 20).");
        var values = map.ToArray();
        if (order == RoadOrder.LeastRelevantFirst) for (int i = 0; i < values.Length; i++) values[i] = 1 - values[i];
        double threshold = Percentile(values, percentile);
        return [.. values.Select(v => v < threshold)];
    }

    /// <summary>
    /// ROADMostRelevantFirstAverage / ROADLeastRelevantFirstAverage: the mean of <see cref="Road"/> over percentiles (default 10, 20, …, 90).
    /// The imputed images run in batches when the model's batch axis is free; the value is the one <see cref="Road"/> gives percentile by percentile.
    /// </summary>
    public static double RoadAverage(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, RoadOrder order, IReadOnlyList<double>? percentiles = null, RoadOptions? options = null, int image = 0)
    {
        percentiles ??= DefaultPercentiles;
        return Mean(RoadChanges(model, input, map, target, [.. percentiles.Select(p => (order, p))], options, image));
    }

    /// <summary>ROADCombined: (LeRF average − MoRF average) / 2; higher is more faithful. Both orders' imputed images run in one series of batches.</summary>
    public static double RoadCombined(this CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, IReadOnlyList<double>? percentiles = null, RoadOptions? options = null, int image = 0)
    {
        percentiles ??= DefaultPercentiles;
        var removals = percentiles.Select(p => (RoadOrder.LeastRelevantFirst, p)).Concat(percentiles.Select(p => (RoadOrder.MostRelevantFirst, p))).ToArray();
        var changes = RoadChanges(model, input, map, target, removals, options, image);
        return (Mean(changes.AsSpan(0, percentiles.Count)) - Mean(changes.AsSpan(percentiles.Count))) / 2;
    }

    /// <summary>The mean of the changes, each a float (pytorch-grad-cam's scores are float32), summed in double.</summary>
    private static double Mean(ReadOnlySpan<float> changes)
    {
        double sum = 0;
        foreach (var c in changes) sum += c;
        return sum / changes.Length;
    }

    /// <summary>
    /// score(imputed) − score(input) for each (order, percentile), as <see cref="Road"/> computes it one at a time (a fresh
    /// noise generator per removal), the imputed images scored through <see cref="BatchedScores"/>.
    /// </summary>
    internal static float[] RoadChanges(CamModel model, Tensor input, ReadOnlySpan<float> map, Target target, (RoadOrder Order, double Percentile)[] removals, RoadOptions? options, int image)
    {
        if (removals.Length == 0) throw new ArgumentException("ROAD needs at least one percentile (pytorch-grad-cam's default: 10, 20, …, 90).", nameof(removals));
        options ??= RoadOptions.Default;
        var (h, w) = CamRunner.InputSize(model, input);
        var (one, planes) = Planes(model, input, image, map.Length);
        var keeps = new bool[removals.Length][];
        for (int i = 0; i < removals.Length; i++) keeps[i] = Kept(map, removals[i].Order, removals[i].Percentile);
        int[] shape = input.Shape[1..];
        float before = (float)BatchedScores.Of(model, shape, 1, (_, x) => one.CopyTo(x), target)[0];
        var after = BatchedScores.Of(model, shape, removals.Length, (i, x) =>
            ToLayout(model, NoisyLinearImputer.Impute([.. planes], planes.Length / (h * w), h, w, keeps[i], options.Noise, new NumpyRandom(options.Seed)), h * w, x), target);
        return [.. after.Select(a => (float)a - before)];
    }

    /// <summary>pytorch-grad-cam's default ROAD percentiles: 10, 20, …, 90.</summary>
    public static IReadOnlyList<double> DefaultPercentiles { get; } = [10, 20, 30, 40, 50, 60, 70, 80, 90];

    /// <summary>np.percentile with its default linear interpolation (including numpy's form of the lerp for t ≥ 0.5).</summary>
    internal static double Percentile(float[] values, double percentile)
    {
        var sorted = values.Select(v => (double)v).Order().ToArray();
        double rank = percentile / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Length - 1);
        double t = rank - lo, a = sorted[lo], b = sorted[hi], d = b - a;
        return t >= 0.5 ? b - d * (1 - t) : a + d * t;
    }

    /// <summary>score(original) and score(perturbed) for one image, the perturbation acting on its channel-major planes.</summary>
    private static (float Before, float After) Scores(CamModel model, Tensor input, int image, Target target, int pixels, Func<float[], float[]> perturb)
    {
        var (one, planes) = Planes(model, input, image, pixels);
        var x = new float[one.Length];
        ToLayout(model, perturb(planes), pixels, x);
        var context = TargetContext.Of(model);
        int[] shape = [1, .. input.Shape[1..]];
        float before = target.Score(model.Run(Tensor.FromFloats(shape, one)), 0, context);
        float after = target.Score(model.Run(Tensor.FromFloats(shape, x)), 0, context);
        return (before, after);
    }

    /// <summary>Image <paramref name="image"/> of the input in the model's layout, and its channel-major planes.</summary>
    private static (float[] One, float[] Planes) Planes(CamModel model, Tensor input, int image, int pixels)
    {
        if (image < 0 || image >= input.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(image), image, $"The input holds {input.Shape[0]} image(s).");
        var (h, w) = CamRunner.InputSize(model, input);
        if (pixels != h * w)
            throw new ArgumentException($"The map has {pixels} values but the input of '{model.Name}' is {w}×{h}: give the heatmap's Values (input size).");
        int per = input.Length / input.Shape[0], channels = per / pixels;
        var one = input.F.AsSpan(image * per, per).ToArray();
        var planes = new float[per];
        for (int c = 0; c < channels; c++) for (int p = 0; p < pixels; p++) planes[c * pixels + p] = one[model.Input.IndexOf(c, p, channels, pixels)];
        return (one, planes);
    }

    /// <summary>Channel-major planes of <paramref name="pixels"/> each, written into one image in the model's layout.</summary>
    private static void ToLayout(CamModel model, float[] planes, int pixels, Span<float> x)
    {
        int channels = planes.Length / pixels;
        for (int c = 0; c < channels; c++) for (int p = 0; p < pixels; p++) x[model.Input.IndexOf(c, p, channels, pixels)] = planes[c * pixels + p];
    }
}
