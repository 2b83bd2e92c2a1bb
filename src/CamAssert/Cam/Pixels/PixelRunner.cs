using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>
/// Runs the pixel attributions: per requested (target, image), the method's attribution of that image
/// (<see cref="PixelMethods"/>, gradients from the backend's input capture), and its heatmap. Guided Grad-CAM
/// multiplies guided backprop by the image's Grad-CAM map (pytorch-grad-cam's cam.py), channel by channel.
/// </summary>
internal static class PixelRunner
{
    public const string InputLayer = "input";

    public static Heatmap[] Run(CamModel model, Tensor input, IReadOnlyList<(Target Target, int Image)> requests, CamMethod method, LayerPath? layerPath, CamOptions options) =>
        requests.Select(r => Attribute(model, Image(input, r.Image), r.Target, method, layerPath, options).Heatmap).ToArray();

    /// <summary>The attribution of a one-image input.</summary>
    public static PixelAttribution Attribute(CamModel model, Tensor input, Target target, CamMethod method, LayerPath? layerPath, CamOptions options)
    {
        if (!method.IsPixelAttribution()) throw new CamException($"{method.Name()} is a CAM of a layer, not a pixel attribution: use model.Cam(...) for it.");
        if (options.AugSmooth) throw new CamException($"aug_smooth is defined for CAMs, not for the pixel attribution {method.Name()}: use AttributionOptions.NoiseTunnel to smooth it.");
        if (method == CamMethod.Occlusion) return OcclusionMaps.Attribute(model, input, target, options);
        var (h, w) = CamRunner.InputSize(model, input);
        int[] imageShape = input.Shape[1..];
        int channels = input.Length / (h * w);
        var gradients = new InputGradients(model, imageShape, target, PixelMethods.RuleOf(method), options.Attribution.BatchSize);
        var values = PixelMethods.Attribute(method, input.F, gradients, options.Attribution);
        string layer = InputLayer, reason = "pixel attributions take the gradient at the model input";
        Heatmap? cam = null;
        if (method == CamMethod.GuidedGradCam)
        {
            cam = CamRunner.Run(model, input, [target], CamMethod.GradCam, layerPath, options)[0];
            (layer, reason) = (cam.Layer, $"Guided Grad-CAM multiplies guided backprop by Grad-CAM at layer '{cam.Layer}': {cam.Source.LayerReason}");
            for (int i = 0; i < values.Length; i++)
                values[i] *= cam.Values[model.Input.Layout == TensorLayout.Nhwc ? i / channels : i % (h * w)];
        }
        var (map, degenerate) = AttributionMaps.Normalize(values, model.Input.Layout, channels, h * w);
        degenerate = cam?.DegenerateReason ?? degenerate;
        var source = new HeatmapSource(model.Name, layer, reason, gradients.TargetText, method, cam?.Warnings ?? [], model.Sha256);
        var size = new MapSize(w, h);
        var heatmap = new Heatmap(source, map, size, map, size, null, [], degenerate);
        return new PixelAttribution(method, gradients.TargetText, imageShape, model.Input.Layout, values, heatmap);
    }

    /// <summary>Image <paramref name="image"/> of a batch, as a batch of one.</summary>
    internal static Tensor Image(Tensor input, int image)
    {
        int size = input.Length / input.Shape[0];
        return Tensor.FromFloats([1, .. input.Shape[1..]], input.F.AsSpan(image * size, size).ToArray());
    }
}
