using CamAssert.Engine;

namespace CamAssert.Imaging;

/// <summary>
/// How an image becomes a model input. Default: RGB, pixel/255 (samples are already in [0, 1]),
/// resized (bilinear, half-pixel centres) only when its size differs from the model's input,
/// NCHW or NHWC as the model's input shape says.
/// </summary>
public sealed record Preprocessing
{
    /// <summary>The default: RGB, [0, 1], no mean/std.</summary>
    public static Preprocessing Default { get; } = new();

    /// <summary>ImageNet mean/std normalisation, as torchvision's pretrained models expect.</summary>
    public static Preprocessing ImageNet { get; } = new() { Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };

    /// <summary>Per-channel mean subtracted after scaling to [0, 1] (null: none).</summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by (null: none).</summary>
    public float[]? Std { get; init; }

    /// <summary>Feed channels as BGR instead of RGB.</summary>
    public bool Bgr { get; init; }

    /// <summary>
    /// The input tensor [1, 3, H, W] (or [1, H, W, 3] when <paramref name="channelsLast"/>) for an
    /// image resized to <paramref name="width"/>×<paramref name="height"/>.
    /// </summary>
    public Tensor ToTensor(CamImage image, int width, int height, bool channelsLast = false)
    {
        if (Mean is { Length: not 3 } || Std is { Length: not 3 }) throw new ArgumentException("Mean and Std need three values (R, G, B).");
        if (Std?.Any(s => s == 0) == true) throw new ArgumentException("Std values must not be 0.");
        var rgb = Overlay.Fit(image.ToRgb(), width, height);
        var data = new float[3 * width * height];
        int plane = width * height;
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
            {
                float v = rgb.Pixels[i * 3 + (Bgr ? 2 - c : c)];
                if (Mean is not null) v -= Mean[c];
                if (Std is not null) v /= Std[c];
                data[channelsLast ? i * 3 + c : c * plane + i] = v;
            }
        return Tensor.FromFloats(channelsLast ? [1, height, width, 3] : [1, 3, height, width], data);
    }
}
