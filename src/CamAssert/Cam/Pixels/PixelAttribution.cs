using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Cam;

/// <summary>
/// A pixel attribution of one image: one value per input element (channels included), in the model input's
/// layout, exactly what Captum's <c>attribute</c> returns for the image (Saliency, InputXGradient,
/// IntegratedGradients, NoiseTunnel over them) or pytorch-grad-cam's guided backprop, and the
/// <see cref="Heatmaps.Heatmap"/> made from it the way Captum's <c>visualize_image_attr</c> scales it.
/// </summary>
public sealed class PixelAttribution
{
    internal PixelAttribution(CamMethod method, string target, int[] shape, TensorLayout layout, float[] values, Heatmap heatmap)
    {
        Method = method;
        Target = target;
        Shape = shape;
        Layout = layout;
        Values = values;
        Heatmap = heatmap;
    }

    /// <summary>The method that made it.</summary>
    public CamMethod Method { get; }

    /// <summary>The target it explains, as messages write it.</summary>
    public string Target { get; }

    /// <summary>The shape of one image's input (batch axis dropped): [C, H, W] for NCHW, [H, W, C] for NHWC.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The input's layout, and so the layout of <see cref="Values"/>.</summary>
    public TensorLayout Layout { get; }

    /// <summary>One value per input element, row-major in <see cref="Shape"/>.</summary>
    public float[] Values { get; }

    /// <summary>
    /// The attribution as a heatmap at the input's size: summed over channels, absolute value, divided by the
    /// value where the cumulative sum of the sorted values reaches 98 % of the total, clipped to [0, 1]
    /// (Captum's <c>visualize_image_attr</c> defaults: <c>sign="absolute_value"</c>, <c>outlier_perc=2</c>).
    /// Degenerate when the attribution is zero everywhere.
    /// </summary>
    public Heatmap Heatmap { get; }

    /// <summary>This attribution, its heatmap describing <paramref name="image"/>.</summary>
    internal PixelAttribution WithImage(CamImage image) => new(Method, Target, [.. Shape], Layout, Values, Heatmap.WithImage(image));

    /// <inheritdoc/>
    public override string ToString() => $"{Method.Name()} of {Target} ({string.Join("×", Shape)}, {Layout})";
}
