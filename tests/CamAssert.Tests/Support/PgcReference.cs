using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Tests.Support;

/// <summary>tests/fixtures/cams/pgc.json (pytorch-grad-cam's own maps and metric values, from tools/make_pgc_references.py) and the models it was made on.</summary>
internal static class PgcReference
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "pgc.json"))));
    private static readonly Dictionary<string, CamModel> Models = new();

    /// <summary>The "models" object: name → { dir, layer, cases, metrics }.</summary>
    public static JsonElement Models_ => Document.Value.RootElement.GetProperty("models");

    /// <summary>A fixture model and its input, from its folder under tests/fixtures (e.g. <c>cams/resnetish</c>); each model is loaded once.</summary>
    public static (CamModel Model, Tensor Input) Load(string dir)
    {
        var parts = dir.Split('/');
        CamModel m;
        lock (Models)
            if (!Models.TryGetValue(dir, out m!)) Models[dir] = m = CamModel.Load(Fixtures.Path_([.. parts, "model.onnx"]));
        return (m, Npy.Read(Fixtures.Path_([.. parts, "input.npy"])));
    }

    /// <summary>A map stored as base64 of little-endian float32.</summary>
    public static float[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var r = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, r, 0, bytes.Length);
        return r;
    }

    /// <summary>A target as pgc.json writes it: class:k, prob:k, binary:c, finer:main:r1,r2:alpha.</summary>
    public static Target TargetOf(string text)
    {
        var parts = text.Split(':');
        return parts[0] switch
        {
            "class" => Target.Class(int.Parse(parts[1])),
            "prob" => Target.Probability(int.Parse(parts[1])),
            "binary" => Target.Binary(int.Parse(parts[1])),
            "finer" => Target.Finer(int.Parse(parts[1]), parts[2].Split(',').Select(int.Parse).ToList(), double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException($"Unknown target '{text}' in pgc.json."),
        };
    }
}
