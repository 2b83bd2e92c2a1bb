using System.Text.Json;
using System.Text.Json.Serialization;
using CamAssert.Cam;
using CamAssert.Models;

namespace CamAssert.Manifest;

/// <summary>
/// What the compile-time checks need to know about a model, as JSON: every layer path with its
/// output shape, whether it is spatial and dominates the output, the default CAM layer, the
/// outputs and the class names. The build writes one per <c>&lt;CamModel&gt;</c> item; the analyzer reads it.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Format version; the analyzer refuses versions it does not know.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The model's file name.</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 of the model file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>PyTorch, Keras or Flat.</summary>
    public required string Scheme { get; init; }

    /// <summary>'.' or '/'.</summary>
    public required string Separator { get; init; }

    /// <summary>The Keras model scope that paths may start with, or null.</summary>
    public string? ModelScope { get; init; }

    /// <summary>The layer a CAM uses when none is given, or null when there is none.</summary>
    public string? DefaultLayer { get; init; }

    /// <summary>The model's outputs.</summary>
    public required IReadOnlyList<ManifestTensor> Outputs { get; init; }

    /// <summary>Class names (may be empty).</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Every layer of the tree, depth first.</summary>
    public required IReadOnlyList<ManifestLayer> Layers { get; init; }

    /// <summary>Exact ONNX node and tensor names, which are valid layer paths too.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Builds the manifest of a loaded model.</summary>
    public static ModelManifest Of(CamModel model)
    {
        var flow = model.Backend.Evidence;
        string? defaultLayer = null;
        try { defaultLayer = LayerChoice.Choose(model, null, MapLayout.Auto).Layer.Path; }
        catch (CamException) { }
        return new ModelManifest
        {
            Model = model.Name,
            Sha256 = model.Sha256,
            Scheme = model.Layers.Scheme.ToString(),
            Separator = model.Layers.Separator.ToString(),
            ModelScope = model.Layers.ModelName,
            DefaultLayer = defaultLayer,
            Outputs = [new ManifestTensor(model.Output.Name, model.Output.Shape?.ToArray())],
            Classes = model.Labels,
            Layers = model.Layers.All.Select(l => new ManifestLayer(
                l.Path, l.Name, l.OutputShape?.ToArray(), l.Output is not null && LayerChoice.IsSpatial(model, l.OutputShape, MapLayout.Auto),
                l.Output?.Name is { } d && flow?.PassesAll(d) == true, Channels(l.OutputShape?.ToArray()))).ToArray(),
            Names = model.Backend.ExactNames.ToArray(),
        };
    }

    private static long? Channels(long[]? shape) => shape is { Length: >= 2 } s && s[1] >= 0 ? s[1] : null;

    /// <summary>The manifest as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a manifest written by <see cref="ToJson"/>.</summary>
    public static ModelManifest FromJson(string json) =>
        JsonSerializer.Deserialize<ModelManifest>(json, Json) ?? throw new FormatException("The manifest is empty.");
}

/// <summary>One output of the model: name and static shape (-1 for unknown dimensions).</summary>
public sealed record ManifestTensor(string Name, long[]? Shape);

/// <summary>One layer: path, own name, output shape (-1 unknown), spatial, dominating, channel count.</summary>
public sealed record ManifestLayer(string Path, string Name, long[]? Shape, bool Spatial, bool Dominates, long? Channels);
