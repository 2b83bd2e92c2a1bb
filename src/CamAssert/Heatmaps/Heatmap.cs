using CamAssert.Cam;
using CamAssert.Imaging;

namespace CamAssert.Heatmaps;

/// <summary>
/// Where the evidence for a target comes from: the CAM normalised to [0, 1] at the model
/// input's resolution (pytorch-grad-cam's output), the raw map at the layer's resolution, and
/// how it was made (model, layer and why that layer, target, method, warnings), with the
/// per-channel weights and each channel's share of the map.
/// </summary>
public sealed class Heatmap
{
    internal Heatmap(HeatmapSource source, float[] layerMap, int layerWidth, int layerHeight, float[] values, int width, int height,
        float[]? channelWeights, double[] channelContributions, string? degenerateReason)
    {
        Source = source;
        LayerMap = layerMap;
        LayerWidth = layerWidth;
        LayerHeight = layerHeight;
        Values = values;
        Width = width;
        Height = height;
        ChannelWeights = channelWeights;
        ChannelContributions = channelContributions;
        double positive = channelContributions.Sum(c => Math.Max(0, c));
        ChannelShares = channelContributions.Select(c => positive > 0 ? Math.Max(0, c) / positive : 0).ToArray();
        DegenerateReason = degenerateReason;
        ImageWidth = width;
        ImageHeight = height;
    }

    /// <summary>Width of the original image the map describes (the input width unless the image was resized for the model).</summary>
    public int ImageWidth { get; init; }

    /// <summary>Height of the original image the map describes.</summary>
    public int ImageHeight { get; init; }

    /// <summary>The image the map was computed for, when it came from one (for overlays).</summary>
    public CamImage? Image { get; private init; }

    /// <summary>This map, describing <paramref name="image"/>: regions and overlays use the image's size.</summary>
    internal Heatmap WithImage(CamImage image) =>
        new(Source, LayerMap, LayerWidth, LayerHeight, Values, Width, Height, ChannelWeights, ChannelContributions, DegenerateReason)
        { Image = image, ImageWidth = image.Width, ImageHeight = image.Height };

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

    /// <summary>Width of <see cref="Values"/> (the model input's width).</summary>
    public int Width { get; }

    /// <summary>Height of <see cref="Values"/> (the model input's height).</summary>
    public int Height { get; }

    /// <summary>The map at input resolution, row-major, in [0, 1] (all zero when degenerate).</summary>
    public float[] Values { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/> of the input-resolution map.</summary>
    public float this[int x, int y] => Values[y * Width + x];

    /// <summary>Width of the layer's feature map.</summary>
    public int LayerWidth { get; }

    /// <summary>Height of the layer's feature map.</summary>
    public int LayerHeight { get; }

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
