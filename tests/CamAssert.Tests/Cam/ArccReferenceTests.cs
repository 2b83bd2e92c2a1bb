using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// ARCC and its parts against pytorch-grad-cam's metrics/arcc.py itself (tests/fixtures/cams/arcc.json, from
/// tools/make_arcc_references.py, ROAD without noise): each value within 1e-4, on the Grad-CAM map CamAssert
/// computes (itself held to pytorch-grad-cam's by PgcReferenceTests).
/// </summary>
public class ArccReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Lazy<JsonElement> Models = new(() => ReferenceCases.Models("arcc.json"));

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var model in Models.Value.EnumerateObject()) data.Add(model.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Arcc_and_its_parts_match_pytorch_grad_cam(string name)
    {
        var c = Models.Value.GetProperty(name);
        var (model, input) = ReferenceCases.Load(name);
        var target = PgcReference.TargetOf(c.GetProperty("target").GetString()!);
        string layer = c.GetProperty("layer").GetString()!;
        var map = model.Cam(input, target, CamMethod.GradCam, layer).Values;
        var quiet = new RoadOptions { Noise = 0 };

        double complexity = ArccMetrics.Complexity(map), coherency = model.Coherency(input, map, target, CamMethod.GradCam, layer);
        double roadCombined = model.RoadCombined(input, map, target, ArccMetrics.RoadPercentiles, quiet), arcc = model.Arcc(input, map, target, CamMethod.GradCam, layer, road: quiet);
        output.WriteLine($"{name}: |Δ| complexity {Math.Abs(complexity - c.GetProperty("complexity").GetDouble()):E1}, coherency {Math.Abs(coherency - c.GetProperty("coherency").GetDouble()):E1}, " +
                         $"ROADCombined {Math.Abs(roadCombined - c.GetProperty("road_combined").GetDouble()):E1}, ARCC {Math.Abs(arcc - c.GetProperty("arcc").GetDouble()):E1}");
        ArccMetrics.Complexity(map).Should().BeApproximately(c.GetProperty("complexity").GetDouble(), 1e-4, "Complexity of {0}", name);
        model.Coherency(input, map, target, CamMethod.GradCam, layer).Should().BeApproximately(c.GetProperty("coherency").GetDouble(), 1e-4, "Coherency of {0}", name);
        model.RoadCombined(input, map, target, ArccMetrics.RoadPercentiles, quiet).Should().BeApproximately(c.GetProperty("road_combined").GetDouble(), 1e-4, "ROADCombined(20..80) of {0}", name);
        model.Arcc(input, map, target, CamMethod.GradCam, layer, road: quiet).Should().BeApproximately(c.GetProperty("arcc").GetDouble(), 1e-4, "ARCC of {0}", name);
    }

    [Fact]
    public void Arcc_is_the_harmonic_mean_the_code_computes_not_the_geometric_mean_its_docstring_names()
    {
        var c = Models.Value.GetProperty("resnetish");
        double coherency = c.GetProperty("coherency").GetDouble(), complexity = c.GetProperty("complexity").GetDouble();
        double road = Math.Clamp(2 * c.GetProperty("road_combined").GetDouble(), 0, 1);
        double geometric = Math.Cbrt(coherency * (1 - complexity) * road);
        c.GetProperty("arcc").GetDouble().Should().BeApproximately(3 / (1 / coherency + 1 / (1 - complexity) + 1 / road), 1e-6)
            .And.NotBeApproximately(geometric, 1e-3, "pytorch-grad-cam's ARCC is not the geometric mean (that would be {0})", geometric);
    }
}
