using System.Text.Json;
using CamAssert.Imaging;
using CamAssert.Models;

namespace CamAssert.Tests.Support;

/// <summary>
/// The reference files the tools/ scripts write under tests/fixtures/cams (torchcam.json, occlusion.json,
/// causal.json, arcc.json): their "models" object, their cases as theory rows, and the models they name, either a
/// CAM fixture (<c>resnetish</c>) or the trained shapes classifier on one of its images (<c>shapes/circle_1.png</c>).
/// </summary>
internal static class ReferenceCases
{
    private static readonly Dictionary<string, JsonElement> Files = new();
    private static readonly Lazy<CamModel> Shapes = new(() => CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx")));

    /// <summary>The "models" object of tests/fixtures/cams/<paramref name="file"/>, parsed once.</summary>
    public static JsonElement Models(string file)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(file, out var models))
                Files[file] = models = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", file))).RootElement.GetProperty("models");
            return models;
        }
    }

    /// <summary>One row (model name, case index) per case of every model in <paramref name="file"/>.</summary>
    public static TheoryData<string, int> Rows(string file)
    {
        var data = new TheoryData<string, int>();
        foreach (var model in Models(file).EnumerateObject())
            for (int i = 0; i < model.Value.GetProperty("cases").GetArrayLength(); i++) data.Add(model.Name, i);
        return data;
    }

    /// <summary>One row (model name, case index, "method target") per case of every model in a "models" object.</summary>
    public static TheoryData<string, int, string> DescribedRows(JsonElement models)
    {
        var data = new TheoryData<string, int, string>();
        foreach (var model in models.EnumerateObject())
        {
            int i = 0;
            foreach (var c in model.Value.GetProperty("cases").EnumerateArray())
                data.Add(model.Name, i++, $"{c.GetProperty("method").GetString()} {c.GetProperty("target").GetString()}");
        }
        return data;
    }

    /// <summary>Case <paramref name="index"/> of <paramref name="model"/> in <paramref name="file"/>.</summary>
    public static JsonElement Case(string file, string model, int index) => Models(file).GetProperty(model).GetProperty("cases")[index];

    /// <summary>The model and input a reference names: <c>shapes/IMAGE</c> (the shapes classifier, RGB / 255) or a CAM fixture.</summary>
    public static (CamModel Model, Tensor Input) Load(string name) => name.StartsWith("shapes/", StringComparison.Ordinal)
        ? (Shapes.Value, Shapes.Value.InputFor(CamImage.Load(Fixtures.Path_("shapes", "images", name["shapes/".Length..])), Preprocessing.Default))
        : PgcReference.Load($"cams/{name}");
}
