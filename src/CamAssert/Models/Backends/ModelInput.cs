using CamAssert.Imaging;

namespace CamAssert.Models.Backends;

/// <summary>
/// A model's image input: its name, static shape and axis layout. The backend decides the
/// layout once, at load; preprocessing, CAM scaling and Score-CAM's masking all read it here.
/// </summary>
public sealed class ModelInput
{
    /// <summary>Describes an input; <paramref name="shape"/> null when not even the rank is known.</summary>
    public ModelInput(string name, Shape? shape, TensorLayout layout)
    {
        Name = name;
        Shape = shape;
        Layout = layout;
    }

    /// <summary>
    /// An input whose layout is read off its static shape: NHWC when the last axis has 1 or 3
    /// elements and axis 1 has neither (a Keras/tf2onnx export), NCHW otherwise.
    /// </summary>
    public static ModelInput FromShape(string name, Shape? shape)
    {
        var d = shape?.ToArray();
        bool channelsLast = d is { Length: 4 } && d[3] is 1 or 3 && d[1] is not (1 or 3);
        return new ModelInput(name, shape, channelsLast ? TensorLayout.Nhwc : TensorLayout.Nchw);
    }

    /// <summary>The input's name in the framework.</summary>
    public string Name { get; }

    /// <summary>The static shape, unknown dimensions included; null when unknown.</summary>
    public Shape? Shape { get; }

    /// <summary>NCHW or NHWC.</summary>
    public TensorLayout Layout { get; }

    /// <summary>The image height the model takes, or null when it takes any (or the rank is not 4).</summary>
    public int? Height => Axis(Layout == TensorLayout.Nhwc ? 1 : 2);

    /// <summary>The image width the model takes, or null when it takes any.</summary>
    public int? Width => Axis(Layout == TensorLayout.Nhwc ? 2 : 3);

    /// <summary>(height, width) of the images in an input tensor of <paramref name="shape"/> in this layout; null unless rank 4.</summary>
    public (int Height, int Width)? ImageSize(int[] shape) =>
        shape.Length != 4 ? null : Layout == TensorLayout.Nhwc ? (shape[1], shape[2]) : (shape[2], shape[3]);

    /// <summary>Index in one image's values of channel <paramref name="channel"/> at pixel <paramref name="pixel"/> (row-major).</summary>
    public int IndexOf(int channel, int pixel, int channels, int pixels) =>
        Layout == TensorLayout.Nhwc ? pixel * channels + channel : channel * pixels + pixel;

    /// <summary>Throws when <paramref name="input"/> does not fit the static shape; the message names the model and both shapes.</summary>
    /// <exception cref="ArgumentException">The rank or a known dimension differs.</exception>
    public void Check(Tensor input, string model)
    {
        if (Shape is null) return;
        bool fits = Shape.Rank == input.Rank && Shape.Dims.Select((d, i) => !d.IsKnown || d.Value == input.Shape[i]).All(b => b);
        if (!fits)
            throw new ArgumentException($"Model '{model}' expects input '{Name}' of shape {Shape}, but the input has shape {Tensor.ShapeText(input.Shape)}. Resize or reshape the input to match.");
    }

    private int? Axis(int axis) => Shape is { Rank: 4 } s && s[axis].IsKnown ? (int)s[axis].Value : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Shape?.ToString() ?? "[?]"} {Layout}";
}
