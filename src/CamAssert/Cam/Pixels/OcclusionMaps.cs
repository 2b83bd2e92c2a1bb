using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// <see cref="CamMethod.Occlusion"/> as heatmaps: per requested (target, image), Captum's occlusion attribution
/// (<see cref="OcclusionAttribution"/>, window from <see cref="CamOptions.Occlusion"/>) scaled as Captum's
/// visualisation scales positive attributions (<c>_normalize_attr(attr, "positive", 2, reduction_axis=2)</c>):
/// the channels summed per pixel, negative sums set to 0, divided by the value where the cumulative sum of the
/// sorted values first reaches 98 % of their total, clipped to 1. No layer is involved.
/// </summary>
internal static class OcclusionMaps
{
    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamOptions options)
    {
        if (options.AugSmooth) throw new CamException("aug_smooth is defined for CAMs of a layer, not for occlusion.");
        var (h, w) = CamRunner.InputSize(model, input);
        int pixels = h * w, channels = input.Length / input.Shape[0] / pixels;
        var context = TargetContext.Of(model);
        var size = new MapSize(w, h);
        return requests.Select(r =>
        {
            var attribution = model.Occlusion(input, r.Target, options.Occlusion, r.Image).F;
            var (map, degenerate) = Positive(attribution, model.Input, channels, pixels);
            var source = new HeatmapSource(model.Name, "input", "occlusion perturbs the input itself", r.Target.Describe(context), CamMethod.Occlusion, [], model.Sha256);
            return new Heatmap(source, map, size, (float[])map.Clone(), size, null, [], degenerate);
        }).ToArray();
    }

    /// <summary>Captum's _normalize_attr(attr, "positive", outlier_perc = 2, reduction_axis = channels), in double.</summary>
    public static (float[] Map, string? Degenerate) Positive(float[] values, Models.Backends.ModelInput layout, int channels, int pixels)
    {
        var combined = new double[pixels];
        for (int p = 0; p < pixels; p++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += values[layout.IndexOf(c, p, channels, pixels)];
            combined[p] = Math.Max(sum, 0);
        }
        var sorted = combined.Order().ToArray();
        double total = sorted.Sum(), running = 0, threshold = sorted[^1];
        foreach (var v in sorted)
            if ((running += v) >= total * 0.01 * 98) { threshold = v; break; }
        var map = new float[pixels];
        if (!(threshold > 0)) return (map, "no window's occlusion lowers the target's score (the positive attribution is zero everywhere)");
        for (int p = 0; p < pixels; p++) map[p] = (float)Math.Min(combined[p] / threshold, 1);
        return (map, null);
    }
}
