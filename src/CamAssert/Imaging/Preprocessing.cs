using CamAssert.Models;

namespace CamAssert.Imaging;

/// <summary>
/// How an image becomes a model input, the one helper for it: RGB (gray replicated, alpha
/// dropped), optionally torchvision's <c>Resize(n)</c> of the shorter side and <c>CenterCrop</c>,
/// a resize to the model's input size when it still differs (torchvision's <c>Resize((h, w))</c>),
/// then per channel <c>(sample · Scale − mean) / std</c> in RGB or BGR order, laid out NCHW or NHWC.
/// </summary>
/// <remarks>
/// The default keeps CamAssert's earlier behaviour: [0, 1], no mean/std, resized to the model's
/// input with half-pixel bilinear (<see cref="ResizeMethod.HalfPixelBilinear"/>). For what users
/// ran in Python, take a preset: <see cref="TorchvisionImageNet"/> (PIL-exact), <see cref="KerasCaffe"/>,
/// <see cref="KerasTf"/>, <see cref="KerasTorch"/>.
/// </remarks>
public sealed record Preprocessing
{
    /// <summary>The default: RGB, [0, 1], no mean/std, half-pixel bilinear to the model's size.</summary>
    public static Preprocessing Default { get; } = new();

    /// <summary>ImageNet mean/std normalisation on [0, 1] samples, as torchvision's pretrained models expect (no crop).</summary>
    public static Preprocessing ImageNet { get; } = new() { Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };

    /// <summary>
    /// torchvision's <c>Resize(256) → CenterCrop(224) → ToTensor → Normalize(ImageNet)</c> on a PIL
    /// image (0.14: PIL bilinear with antialias), reproduced to the bit on 8-bit images.
    /// </summary>
    public static Preprocessing TorchvisionImageNet { get; } = ImageNet with { ShorterSide = 256, CenterCrop = 224, Resize = ResizeMethod.PilBilinear };

    /// <summary>Keras <c>preprocess_input(mode="caffe")</c> (VGG, ResNet50 v1): BGR, 0..255, minus the ImageNet means in BGR order, no scaling.</summary>
    public static Preprocessing KerasCaffe { get; } = new() { Bgr = true, Scale = 255f, Mean = [103.939f, 116.779f, 123.68f] };

    /// <summary>Keras <c>preprocess_input(mode="tf")</c> (Inception, MobileNet, Xception): samples in [−1, 1].</summary>
    public static Preprocessing KerasTf { get; } = new() { Scale = 2f, Mean = [1f] };

    /// <summary>Keras <c>preprocess_input(mode="torch")</c> (DenseNet): [0, 1], ImageNet mean/std, RGB.</summary>
    public static Preprocessing KerasTorch { get; } = ImageNet;

    /// <summary>
    /// Multiplies the [0, 1] samples before mean and std: 1 (the default) for models trained on
    /// [0, 1] inputs, 255 for models that take 0..255 (e.g. Keras' "caffe" mode).
    /// </summary>
    public float Scale { get; init; } = 1f;

    /// <summary>
    /// Per-channel mean subtracted after scaling (null: none), in the order the model receives
    /// the channels (B, G, R when <see cref="Bgr"/>); one value applies to all three.
    /// </summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by after the mean (null: none); order as <see cref="Mean"/>.</summary>
    public float[]? Std { get; init; }

    /// <summary>Feed channels as BGR instead of RGB.</summary>
    public bool Bgr { get; init; }

    /// <summary>torchvision's <c>Resize(n)</c>: the shorter side resized to n, the longer in proportion (truncated), before the crop. Null: none.</summary>
    public int? ShorterSide { get; init; }

    /// <summary>torchvision's <c>CenterCrop(n)</c>: an n×n square from the middle (offsets rounded half to even, as Python's round). Null: none.</summary>
    public int? CenterCrop { get; init; }

    /// <summary>How every resize is done.</summary>
    public ResizeMethod Resize { get; init; } = ResizeMethod.HalfPixelBilinear;

    /// <summary>
    /// The RGB image the model sees before normalisation: <see cref="ShorterSide"/>, <see cref="CenterCrop"/>,
    /// then resized to <paramref name="width"/>×<paramref name="height"/> if it still differs.
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, or the crop is larger than the resized image.</exception>
    public CamImage Prepare(CamImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width < 1 || height < 1)
            throw new ArgumentException($"Cannot preprocess {Describe(image)} to {width}×{height}: the target size must be at least 1×1.", nameof(width));
        var rgb = image.ToRgb();
        if (ShorterSide is { } side)
        {
            if (side < 1) throw new ArgumentException($"Cannot preprocess {Describe(image)}: ShorterSide is {side}; give a positive size such as 256.");
            bool wide = rgb.Width >= rgb.Height;
            int shortLength = wide ? rgb.Height : rgb.Width, longLength = wide ? rgb.Width : rgb.Height;
            int scaled = (int)((double)side * longLength / shortLength);
            rgb = Resized(rgb, wide ? scaled : side, wide ? side : scaled);
        }
        if (CenterCrop is { } crop) rgb = Crop(rgb, crop);
        return Resized(rgb, width, height);
    }

    /// <summary>
    /// The model input for <paramref name="image"/> as a flat array and its shape
    /// ([1, 3, height, width] for NCHW, [1, height, width, 3] for NHWC).
    /// </summary>
    /// <exception cref="ArgumentException">A size is not positive, Mean or Std have a length other than 1 or 3, a Std value is 0, or the crop does not fit.</exception>
    public (float[] Values, int[] Shape) ToArray(CamImage image, int width, int height, TensorLayout layout = TensorLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mean = PerChannel(Mean, 0f, "Mean", image);
        var std = PerChannel(Std, 1f, "Std", image);
        if (std.Contains(0f)) throw new ArgumentException($"Cannot preprocess {Describe(image)}: a Std value is 0, which would divide by zero. Use the model's training std (e.g. 0.229, 0.224, 0.225).");
        var rgb = Prepare(image, width, height);
        int plane = width * height;
        var values = new float[3 * plane];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
            {
                float v = (rgb.Pixels[i * 3 + (Bgr ? 2 - c : c)] * Scale - mean[c]) / std[c];
                values[layout == TensorLayout.Nhwc ? i * 3 + c : c * plane + i] = v;
            }
        return (values, layout == TensorLayout.Nhwc ? [1, height, width, 3] : [1, 3, height, width]);
    }

    /// <summary><see cref="ToArray"/> wrapped as an engine tensor.</summary>
    /// <exception cref="ArgumentException">As <see cref="ToArray"/>.</exception>
    public Tensor ToTensor(CamImage image, int width, int height, TensorLayout layout = TensorLayout.Nchw)
    {
        var (values, shape) = ToArray(image, width, height, layout);
        return Tensor.FromFloats(shape, values);
    }

    /// <summary>
    /// The input tensor [1, 3, H, W] (or [1, H, W, 3] when <paramref name="channelsLast"/>) for an
    /// image resized to <paramref name="width"/>×<paramref name="height"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="ToArray"/>.</exception>
    public Tensor ToTensor(CamImage image, int width, int height, bool channelsLast) =>
        ToTensor(image, width, height, channelsLast ? TensorLayout.Nhwc : TensorLayout.Nchw);

    private CamImage Resized(CamImage image, int width, int height) =>
        image.Width == width && image.Height == height ? image
        : Resize == ResizeMethod.PilBilinear ? PilResize.Resize(image, width, height)
        : Resample.Image(image, width, height);

    private static CamImage Crop(CamImage image, int size)
    {
        if (size < 1 || size > image.Width || size > image.Height)
            throw new ArgumentException($"Cannot center-crop {Describe(image)} to {size}×{size}: the crop must be positive and fit inside the resized image. Make ShorterSide at least CenterCrop.");
        int top = (int)Math.Round((image.Height - size) / 2.0), left = (int)Math.Round((image.Width - size) / 2.0);
        var pixels = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            Array.Copy(image.Pixels, ((top + y) * image.Width + left) * 3, pixels, y * size * 3, size * 3);
        return new CamImage(size, size, 3, pixels, image.Source, image.BitDepth) { Provenance = image.Provenance };
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

/// <summary>How <see cref="Preprocessing"/> resizes.</summary>
public enum ResizeMethod
{
    /// <summary>Bilinear with half-pixel centres, clamped at the edges, no antialiasing (OpenCV INTER_LINEAR, torch <c>interpolate(align_corners=False)</c>).</summary>
    HalfPixelBilinear,

    /// <summary>
    /// PIL's <c>Image.resize(BILINEAR)</c>, as torchvision 0.14's <c>Resize</c> on PIL images: antialiased
    /// when shrinking, fixed point on images of <see cref="CamImage.BitDepth"/> 8 (their samples taken
    /// as levels k/255, rounded, as PIL's uint8 images), double precision on 16-bit images.
    /// </summary>
    PilBilinear,
}

/// <summary>The order of a batch-of-one image tensor's axes.</summary>
public enum TensorLayout
{
    /// <summary>[1, channels, height, width] (PyTorch, ONNX exports of PyTorch models).</summary>
    Nchw,

    /// <summary>[1, height, width, channels] (TensorFlow/Keras).</summary>
    Nhwc,
}
