using System.Text.Json;
using CamAssert.Models;
using CamAssert.Suites;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Suites;

/// <summary>
/// The suite fixtures (tools/make_suite_fixtures.py): the val and cued shapes sets, three seeds of the
/// good model and the shortcut twin, and PyTorch's numbers for them in reference.json.
/// </summary>
internal static class SuiteFixtures
{
    public static string Dir(params string[] parts) => Fixtures.Path_(["suites", .. parts]);

    public static LabelledSet Val => LabelledSet.FromCoco(Dir("val", "annotations.json"));

    public static LabelledSet Cued => LabelledSet.FromCoco(Dir("cued", "annotations.json"));

    private static readonly Lazy<JsonDocument> Reference = new(() => JsonDocument.Parse(File.ReadAllBytes(Dir("reference.json"))));

    private static readonly Dictionary<string, CamModel> Models = [];

    /// <summary>A model by its reference name: shapes_seed1, shapes_seed3, shapes_seed4, shapes_shortcut.</summary>
    public static CamModel Model(string name)
    {
        lock (Models)
        {
            if (!Models.TryGetValue(name, out var m))
                Models[name] = m = CamModel.Load(Fixtures.Path_(Reference.Value.RootElement.GetProperty("models").GetProperty(name).GetString()!.Split('/')));
            return m;
        }
    }

    public static IReadOnlyList<string> GoodSeeds { get; } = ["shapes_seed1", "shapes_seed3", "shapes_seed4"];

    /// <summary>PyTorch's per-object numbers of set <paramref name="set"/> ("val" or "cued"), in annotation order.</summary>
    public static IReadOnlyList<JsonElement> Objects(string set) =>
        Reference.Value.RootElement.GetProperty("sets").GetProperty(set).GetProperty("objects").EnumerateArray().ToArray();

    /// <summary>PyTorch's set summary of one pair ("shapes_seed1->shapes_seed3").</summary>
    public static JsonElement Summary(string set, string pair) =>
        Reference.Value.RootElement.GetProperty("sets").GetProperty(set).GetProperty("summary").GetProperty(pair);
}
