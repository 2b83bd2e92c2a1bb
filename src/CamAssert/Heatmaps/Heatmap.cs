using CamAssert.Cam;
using CamAssert.Imaging;

namespace CamAssert.Heatmaps;

/// <summary>
/// Where the evidence for a target comes from: the CAM normalised to [0, 1] at the model
/// input's resolution (pytorch-grad-cam's output), the raw map at the layer's resolution, and
/// how it was made (model, layer and why that layer, target, method, warnings), with the
/// per-channel weights and each channel's share of the map.
/// </summary>
/// <remarks>
/// Three sizes, each with one meaning: <see cref="LayerSize"/> is the layer's grid
/// (<see cref="LayerMap"/>); <see cref="InputSize"/> is the model input's size
/// (<see cref="Values"/>, the map as pytorch-grad-cam returns it); <see cref="ImageSize"/> is the
/// size of the image the map describes, which regions, assertions, golden files and overlays use
/// (<see cref="AtImageSize"/>). The image size equals the input size unless the image was resized
/// for the model.
/// </remarks>
public sealed class Heatmap
{
    internal Heatmap(HeatmapSource source, float[] layerMap, MapSize layerSize, float[] values, MapSize inputSize,
        float[]? channelWeights, double[] channelContributions, string? degenerateReason, CamImage? image = null)
    {
        Source = source;
        LayerMap = layerMap;
        LayerSize = layerSize;
        Values = values;
        InputSize = inputSize;
        ChannelWeights = channelWeights;
        ChannelContributions = channelContributions;
        double positive = channelContributions.Sum(c => Math.Max(0, c));
        ChannelShares = channelContributions.Select(c => positive > 0 ? Math.Max(0, c) / positive : 0).ToArray();
        DegenerateReason = degenerateReason;
        Image = image;
        ImageSize = image is null ? inputSize : new MapSize(image.Width, image.Height);
    }

    /// <summary>This map, describing <paramref name="image"/>: regions and overlays use the image's size.</summary>
    internal Heatmap WithImage(CamImage image) =>
        new(Source, LayerMap, LayerSize, Values, InputSize, ChannelWeights, ChannelContributions, DegenerateReason, image);

    /// <summary>The size of the layer's feature map (<see cref="LayerMap"/>).</summary>
    public MapSize LayerSize { get; }

    /// <summary>The size of the model input, and so of <see cref="Values"/>.</summary>
    public MapSize InputSize { get; }

    /// <summary>The size of the image the map describes: the input size unless the image was resized for the model.</summary>
    public MapSize ImageSize { get; }

    /// <summary>Width of the original image the map describes (<see cref="ImageSize"/>).</summary>
    public int ImageWidth => ImageSize.Width;

    /// <summary>Height of the original image the map describes (<see cref="ImageSize"/>).</summary>
    public int ImageHeight => ImageSize.Height;

    /// <summary>The image the map was computed for, when it came from one (for overlays).</summary>
    public CamImage? Image { get; }

    /// <summary>The map at the original image's size, as assertions and regions see it.</summary>
    public float[] AtImageSize() => AtSize(ImageWidth, ImageHeight);

    /// <summary>Model, layer, target, method and warnings behind this map.</summary>
    public HeatmapSource Source { get; }

    /// <summary>The model's file name.</summary>
    public string Model => Source.Model;

    /// <summary>The layer path the map was computed at.</summary>
    public string Layer => Source.Layer;

    /// <summary>The target, described.</summary>
    public string Target => Source.Target;

    /// <summary>The method.</summary>
    public CamMethod Method => Source.Method;

    /// <summary>Warnings about the choice of layer or the numbers (empty when all is well).</summary>
    public IReadOnlyList<string> Warnings => Source.Warnings;

    /// <summary>Width of <see cref="Values"/> (<see cref="InputSize"/>).</summary>
    public int Width => InputSize.Width;

    /// <summary>Height of <see cref="Values"/> (<see cref="InputSize"/>).</summary>
    public int Height => InputSize.Height;

    /// <summary>The map at input resolution, row-major, in [0, 1] (all zero when degenerate).</summary>
    public float[] Values { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/> of the input-resolution map.</summary>
    public float this[int x, int y] => Values[y * Width + x];

    /// <summary>Width of the layer's feature map (<see cref="LayerSize"/>).</summary>
    public int LayerWidth => LayerSize.Width;

    /// <summary>Height of the layer's feature map (<see cref="LayerSize"/>).</summary>
    public int LayerHeight => LayerSize.Height;

    /// <summary>The map at the layer's resolution after the ReLU and before any scaling.</summary>
    public float[] LayerMap { get; }

    /// <summary>The weight of each channel, for methods that weight channels (null for per-position methods).</summary>
    public float[]? ChannelWeights { get; }

    /// <summary>Each channel's contribution to the map before the ReLU: Σ over positions of its weighted activation.</summary>
    public double[] ChannelContributions { get; }

    /// <summary>Each channel's share of the positive evidence: max(0, contribution) / Σ max(0, contributions).</summary>
    public double[] ChannelShares { get; }

    /// <summary>The channels carrying the most evidence, largest share first.</summary>
    public IReadOnlyList<int> TopChannels(int count) =>
        ChannelShares.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(count).Select(p => p.i).ToArray();

    /// <summary>True when there is no map to speak of (zero gradients, no positive evidence); see <see cref="DegenerateReason"/>.</summary>
    public bool IsDegenerate => DegenerateReason is not null;

    /// <summary>Why the map is degenerate, or null.</summary>
    public string? DegenerateReason { get; }

    /// <summary>The map resized (bilinear, half-pixel centres) to <paramref name="width"/>×<paramref name="height"/>, such as the original image's size.</summary>
    public float[] AtSize(int width, int height) =>
        width == Width && height == Height ? (float[])Values.Clone() : Resample.Bilinear(Values, Height, Width, height, width);

    /// <inheritdoc/>
    public override string ToString() => $"{Method.Name()} of {Target} at '{Layer}' in {Model} ({Width}×{Height}{(IsDegenerate ? ", degenerate" : "")})";
}

/// <summary>How a heatmap was made.</summary>
/// <param name="Model">The model's file name.</param>
/// <param name="Layer">The layer path.</param>
/// <param name="LayerReason">Why this layer: given by the caller, or how it was chosen.</param>
/// <param name="Target">The target, described.</param>
/// <param name="Method">The CAM method.</param>
/// <param name="Warnings">Warnings about the layer or the numbers.</param>
/// <param name="ModelSha256">SHA-256 of the model file.</param>
public sealed record HeatmapSource(string Model, string Layer, string LayerReason, string Target, CamMethod Method, IReadOnlyList<string> Warnings, string ModelSha256 = "");
