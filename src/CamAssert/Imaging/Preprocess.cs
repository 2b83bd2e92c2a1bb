using CamAssert.Models;

namespace CamAssert.Imaging;

/// <summary>
/// Image to model input: bilinear resize with half-pixel centres (OpenCV INTER_LINEAR,
/// torch <c>interpolate(align_corners=False)</c>, clamped at the edges), samples in [0, 1]
/// times <see cref="Preprocessing.Scale"/>, optional per-channel mean/std, RGB or BGR, laid out
/// NCHW or NHWC with a batch of one.
/// </summary>
public static class Preprocess
{
    /// <summary>
    /// <paramref name="image"/> resized to <paramref name="width"/>×<paramref name="height"/>,
    /// each channel bilinearly with half-pixel centres; the image itself when the size matches.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not positive.</exception>
    public static CamImage Resize(CamImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width < 1 || height < 1)
            throw new ArgumentException($"Cannot resize {Describe(image)} to {width}×{height}: the target size must be at least 1×1.", nameof(width));
        if (image.Width == width && image.Height == height) return image;
        int channels = image.Channels;
        var result = new float[width * height * channels];
        var plane = new float[image.Width * image.Height];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < plane.Length; i++) plane[i] = image.Pixels[i * channels + c];
            var resized = Resample.Bilinear(plane, image.Height, image.Width, height, width);
            for (int i = 0; i < resized.Length; i++) result[i * channels + c] = resized[i];
        }
        return new CamImage(width, height, channels, result, image.Source, image.BitDepth);
    }

    /// <summary>
    /// The model input for <paramref name="image"/> as a flat array and its shape
    /// ([1, 3, height, width] for NCHW, [1, height, width, 3] for NHWC): RGB (gray replicated,
    /// alpha dropped), resized, then per channel <c>(sample · Scale − mean) / std</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not positive, Mean or Std have a length other than 1 or 3, or a Std value is 0.</exception>
    public static (float[] Values, int[] Shape) ToArray(CamImage image, int width, int height, Preprocessing? options = null, TensorLayout layout = TensorLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= Preprocessing.Default;
        var mean = PerChannel(options.Mean, 0f, "Mean", image);
        var std = PerChannel(options.Std, 1f, "Std", image);
        if (std.Contains(0f)) throw new ArgumentException($"Cannot preprocess {Describe(image)}: a Std value is 0, which would divide by zero. Use the model's training std (e.g. 0.229, 0.224, 0.225).");
        var rgb = Resize(image.ToRgb(), width, height);
        int plane = width * height;
        var values = new float[3 * plane];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
            {
                float v = (rgb.Pixels[i * 3 + (options.Bgr ? 2 - c : c)] * options.Scale - mean[c]) / std[c];
                values[layout == TensorLayout.Nhwc ? i * 3 + c : c * plane + i] = v;
            }
        return (values, layout == TensorLayout.Nhwc ? [1, height, width, 3] : [1, 3, height, width]);
    }

    /// <summary><see cref="ToArray"/> wrapped as an engine tensor.</summary>
    /// <exception cref="ArgumentException">As <see cref="ToArray"/>.</exception>
    public static Tensor ToTensor(CamImage image, int width, int height, Preprocessing? options = null, TensorLayout layout = TensorLayout.Nchw)
    {
        var (values, shape) = ToArray(image, width, height, options, layout);
        return Tensor.FromFloats(shape, values);
    }

    private static float[] PerChannel(float[]? given, float none, string name, CamImage image) => given switch
    {
        null => [none, none, none],
        { Length: 1 } => [given[0], given[0], given[0]],
        { Length: 3 } => given,
        _ => throw new ArgumentException($"Cannot preprocess {Describe(image)}: {name} has {given.Length} values; give 3 (one per channel, in the model's channel order) or 1 (for all channels)."),
    };

    private static string Describe(CamImage image) =>
        image.Source is null ? $"a {image.Width}×{image.Height} image" : $"'{image.Source}' ({image.Width}×{image.Height})";
}
