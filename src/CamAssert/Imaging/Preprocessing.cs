using CamAssert.Models;

namespace CamAssert.Imaging;

/// <summary>
/// How an image becomes a model input (see <see cref="Preprocess"/>). Default: RGB, samples in
/// [0, 1], no mean/std; the image is resized (bilinear, half-pixel centres) to the model's input
/// size when it differs.
/// </summary>
public sealed record Preprocessing
{
    /// <summary>The default: RGB, [0, 1], no mean/std.</summary>
    public static Preprocessing Default { get; } = new();

    /// <summary>ImageNet mean/std normalisation, as torchvision's pretrained models expect.</summary>
    public static Preprocessing ImageNet { get; } = new() { Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };

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

    /// <summary>
    /// The input tensor [1, 3, H, W] (or [1, H, W, 3] when <paramref name="channelsLast"/>) for an
    /// image resized to <paramref name="width"/>×<paramref name="height"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Mean or Std have the wrong length, a Std value is 0, or the size is not positive.</exception>
    public Tensor ToTensor(CamImage image, int width, int height, bool channelsLast = false) =>
        Preprocess.ToTensor(image, width, height, this, channelsLast ? TensorLayout.Nhwc : TensorLayout.Nchw);
}

/// <summary>The order of a batch-of-one image tensor's axes.</summary>
public enum TensorLayout
{
    /// <summary>[1, channels, height, width] (PyTorch, ONNX exports of PyTorch models).</summary>
    Nchw,

    /// <summary>[1, height, width, channels] (TensorFlow/Keras).</summary>
    Nhwc,
}
