using System.Text.Json;

namespace CamAssert.Examples;

/// <summary>The shapes models and their labelled images (tests/fixtures/shapes, made by tools/train_shapes.py).</summary>
public static class Shapes
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "shapes");

    /// <summary>The classifier that learned the shapes (declared with &lt;CamModel&gt;, which copies it to models/).</summary>
    public static readonly CamModel Model = CamModel.Load("models/shapes.onnx");

    /// <summary>A retrained classifier that learned a corner watermark instead (same architecture, similar accuracy on its data).</summary>
    public static readonly CamModel Shortcut = CamModel.Load("models/shapes_shortcut.onnx");

    /// <summary>An image and what is in it.</summary>
    public sealed record Picture(string File, string Label, Region Box, IReadOnlyDictionary<string, Region> Boxes)
    {
        public CamImage Load() => CamImage.Load(Path.Combine(Dir, "images", File));

        public override string ToString() => File;
    }

    /// <summary>Every labelled image, by file name.</summary>
    public static readonly IReadOnlyDictionary<string, Picture> Images = LoadIndex();

    private static Dictionary<string, Picture> LoadIndex()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "images", "images.json")));
        static Region Box(JsonElement b) => Region.Box(b[0].GetInt32(), b[1].GetInt32(), b[2].GetInt32(), b[3].GetInt32());
        return doc.RootElement.EnumerateArray().Select(e => new Picture(
                e.GetProperty("file").GetString()!, e.GetProperty("label").GetString()!, Box(e.GetProperty("box")),
                e.TryGetProperty("boxes", out var boxes) ? boxes.EnumerateObject().ToDictionary(p => p.Name, p => Box(p.Value)) : new Dictionary<string, Region>()))
            .ToDictionary(p => p.File);
    }
}
