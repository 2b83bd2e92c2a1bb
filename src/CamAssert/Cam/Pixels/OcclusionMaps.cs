using CamAssert.Heatmaps;
using CamAssert.Models;

namespace CamAssert.Cam;

/// <summary>
/// <see cref="CamMethod.Occlusion"/> as a pixel attribution: Captum's occlusion values of one image
/// (<see cref="OcclusionAttribution"/>, window from <see cref="CamOptions.Occlusion"/>) and their heatmap, scaled as
/// Captum's visualisation scales positive attributions (<c>_normalize_attr(attr, "positive", 2, reduction_axis=2)</c>).
/// No layer and no gradient is involved.
/// </summary>
internal static class OcclusionMaps
{
    public static PixelAttribution Attribute(CamModel model, Tensor input, Target target, CamOptions options)
    {
        var (h, w) = CamRunner.InputSize(model, input);
        int channels = input.Length / input.Shape[0] / (h * w);
        var values = model.Occlusion(input, target, options.Occlusion).F;
        var (map, degenerate) = AttributionMaps.Normalize(values, model.Input.Layout, channels, h * w, positive: true);
        string described = target.Describe(TargetContext.Of(model));
        var source = new HeatmapSource(model.Name, PixelRunner.InputLayer, "occlusion perturbs the input itself", described, CamMethod.Occlusion, [], model.Sha256);
        var size = new MapSize(w, h);
        return new PixelAttribution(CamMethod.Occlusion, described, input.Shape[1..], model.Input.Layout, values, new Heatmap(source, map, size, map, size, null, [], degenerate));
    }
}
