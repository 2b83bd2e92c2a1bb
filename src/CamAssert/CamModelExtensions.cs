using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Models.Layers;

namespace CamAssert;

/// <summary>CAMs of a <see cref="CamModel"/>: <c>model.GradCam(input, Target.Class("circle"))</c> and friends.</summary>
public static class CamModelExtensions
{
    /// <summary>
    /// Computes a heatmap with <paramref name="method"/> for one image (batch of 1). With no
    /// <paramref name="layer"/>, the layer is chosen automatically and recorded on the heatmap.
    /// </summary>
    public static Heatmap Cam(this CamModel model, Tensor input, Target target, CamMethod method = CamMethod.GradCam, LayerPath? layer = null, CamOptions? options = null)
    {
        if (input.Shape.Length > 0 && input.Shape[0] != 1)
            throw new CamException($"The input holds {input.Shape[0]} images; use CamBatch with one target per image.");
        return CamRunner.Run(model, input, [target], method, layer, options ?? CamOptions.Default)[0];
    }

    /// <summary>Heatmaps for a batch, one target per image (a count mismatch is an error).</summary>
    public static IReadOnlyList<Heatmap> CamBatch(this CamModel model, Tensor input, IReadOnlyList<Target> targets, CamMethod method = CamMethod.GradCam, LayerPath? layer = null, CamOptions? options = null) =>
        CamRunner.Run(model, input, targets, method, layer, options ?? CamOptions.Default);

    /// <summary>
    /// Computes a heatmap for an image: preprocessed as <see cref="CamOptions.Preprocessing"/>
    /// says, resized to the model's input, and the map reported at the image's own size.
    /// </summary>
    public static Heatmap Cam(this CamModel model, CamImage image, Target target, CamMethod method = CamMethod.GradCam, LayerPath? layer = null, CamOptions? options = null)
    {
        options ??= CamOptions.Default;
        var map = model.Cam(model.InputFor(image, options.Preprocessing), target, method, layer, options);
        return map.WithImage(image);
    }

    /// <summary>
    /// Heatmaps for several targets of one image from one forward run (one backward per target),
    /// in the order of <paramref name="targets"/>, each at the image's own size.
    /// </summary>
    public static IReadOnlyList<Heatmap> Cams(this CamModel model, CamImage image, IReadOnlyList<Target> targets, CamMethod method = CamMethod.GradCam, LayerPath? layer = null, CamOptions? options = null)
    {
        options ??= CamOptions.Default;
        var maps = CamRunner.Run(model, model.InputFor(image, options.Preprocessing), targets.Select(t => (t, 0)).ToArray(), method, layer, options);
        return maps.Select(m => m.WithImage(image)).ToArray();
    }

    /// <summary>Grad-CAM for an image.</summary>
    public static Heatmap GradCam(this CamModel model, CamImage image, Target target, LayerPath? layer = null, CamOptions? options = null) =>
        model.Cam(image, target, CamMethod.GradCam, layer, options);

    /// <summary>The model input for <paramref name="image"/>: its size from the model's input shape (the image's own where that is dynamic).</summary>
    public static Tensor InputFor(this CamModel model, CamImage image, Preprocessing? preprocessing = null)
    {
        var input = model.Input;
        return (preprocessing ?? Preprocessing.Default).ToTensor(image, input.Width is > 0 and var w ? w : image.Width, input.Height is > 0 and var h ? h : image.Height, input.Layout);
    }

    /// <summary>
    /// The pixel attribution of one image (batch of 1) by <paramref name="method"/> (Saliency, InputXGradient,
    /// IntegratedGradients, GuidedBackprop, GuidedGradCam): Captum's (or pytorch-grad-cam's) values per input
    /// element, and its heatmap. <paramref name="layer"/> is Guided Grad-CAM's Grad-CAM layer (chosen when null).
    /// </summary>
    public static PixelAttribution Attribute(this CamModel model, Tensor input, Target target, CamMethod method = CamMethod.IntegratedGradients, CamOptions? options = null, LayerPath? layer = null)
    {
        if (input.Shape.Length > 0 && input.Shape[0] != 1)
            throw new CamException($"The input holds {input.Shape[0]} images; attribute one image at a time.");
        return PixelRunner.Attribute(model, input, target, method, layer, options ?? CamOptions.Default);
    }

    /// <summary>
    /// The pixel attribution of an image, preprocessed as <see cref="CamOptions.Preprocessing"/> says and resized to the
    /// model's input; its heatmap describes the image at the image's own size (regions, overlays).
    /// </summary>
    public static PixelAttribution Attribute(this CamModel model, CamImage image, Target target, CamMethod method = CamMethod.IntegratedGradients, CamOptions? options = null, LayerPath? layer = null)
    {
        options ??= CamOptions.Default;
        var attribution = model.Attribute(model.InputFor(image, options.Preprocessing), target, method, options, layer);
        return attribution.WithImage(image);
    }

    /// <summary>Grad-CAM for one image.</summary>
    public static Heatmap GradCam(this CamModel model, Tensor input, Target target, LayerPath? layer = null, CamOptions? options = null) =>
        model.Cam(input, target, CamMethod.GradCam, layer, options);
}
