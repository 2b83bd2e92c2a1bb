using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// Every method and target kind against references computed with PyTorch by
/// tools/make_cam_references.py (pytorch-grad-cam's recipe): at most 1e-4 absolute difference.
/// </summary>
public class CamReferenceTests
{
    private static readonly Dictionary<string, CamModel> Models = new();

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        using var index = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "index.json")));
        foreach (var model in index.RootElement.EnumerateObject())
            foreach (var map in model.Value.GetProperty("maps").EnumerateArray())
                data.Add(model.Name, map.GetProperty("method").GetString()!, map.GetProperty("target").GetString()!, map.GetProperty("file").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_matches_the_pytorch_reference(string model, string method, string target, string file)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Fixtures.Path_("cams", "index.json")));
        string layer = index.RootElement.GetProperty(model).GetProperty("layer").GetString()!;
        CamModel m;
        lock (Models)
            if (!Models.TryGetValue(model, out m!)) Models[model] = m = CamModel.Load(Fixtures.Path_("cams", model, "model.onnx"));
        var input = Npy.Read(Fixtures.Path_("cams", model, "input.npy"));
        var (kind, k) = (target.Split(':')[0], int.Parse(target.Split(':')[1]));
        var t = kind switch { "class" => Target.Class(k), "prob" => Target.Probability(k), _ => Target.Channel(k) };
        var heatmap = m.Cam(input, t, CamMethods.Parse(method), layer);
        var expected = Npy.Read(Fixtures.Path_("cams", model, file)).F;
        heatmap.Values.Length.Should().Be(expected.Length);
        heatmap.IsDegenerate.Should().Be(expected.All(v => v == 0), "the reference map is {0}", expected.All(v => v == 0) ? "all zero" : "a map");
        double worst = heatmap.Values.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        worst.Should().BeLessThanOrEqualTo(1e-4, "{0} of {1} on {2} at {3}", method, target, model, layer);
    }
}
