using CamAssert.Cam;
using CamAssert.Models;

namespace CamAssert.Faithfulness;

/// <summary>One image of an input batch and a map at its size, checked: what the perturbation metrics start from.</summary>
/// <param name="Height">The image's height.</param>
/// <param name="Width">The image's width.</param>
/// <param name="Channels">Its channels.</param>
/// <param name="Values">A copy of the image's values, in the model input's layout.</param>
internal readonly record struct MapOnImage(int Height, int Width, int Channels, float[] Values)
{
    public int Pixels => Height * Width;

    /// <exception cref="ArgumentOutOfRangeException">The batch has no image <paramref name="image"/>.</exception>
    /// <exception cref="ArgumentException">The map is not at the input's size.</exception>
    public static MapOnImage Of(CamModel model, Tensor input, int mapLength, int image)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (image < 0 || image >= input.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(image), image, $"The input holds {input.Shape[0]} image(s).");
        var (h, w) = CamRunner.InputSize(model, input);
        int per = input.Length / input.Shape[0];
        if (mapLength != h * w)
            throw new ArgumentException($"The map has {mapLength} values but the input of '{model.Name}' is {w}×{h}: give the heatmap's Values (input size).", "map");
        return new MapOnImage(h, w, per / (h * w), input.F.AsSpan(image * per, per).ToArray());
    }
}
