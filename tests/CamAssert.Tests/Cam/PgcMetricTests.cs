using System.Text.Json;
using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// pytorch-grad-cam's faithfulness metrics (CamMultImageConfidenceChange, DropInConfidence,
/// IncreaseInConfidence, ROAD MoRF/LeRF, ROADCombined) on its own Grad-CAM maps, from
/// tests/fixtures/cams/pgc.json (tools/make_pgc_references.py; ROAD with noise 0): within 1e-4.
/// </summary>
public class PgcMetricTests
{

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var model in PgcReference.Models_.EnumerateObject())
        {
            if (!model.Value.TryGetProperty("metrics", out var metrics)) continue;
            int i = 0;
            foreach (var v in metrics.GetProperty("values").EnumerateArray())
                data.Add(model.Name, i++, $"{v.GetProperty("metric").GetString()} {v.GetProperty("target").GetString()}" + (v.TryGetProperty("percentile", out var p) ? $" at {p.GetDouble()}" : ""));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metric_matches_pytorch_grad_cam(string model, int index, string description)
    {
        var entry = PgcReference.Models_.GetProperty(model);
        var metrics = entry.GetProperty("metrics");
        var v = metrics.GetProperty("values")[index];
        var map = PgcReference.Decode(entry.GetProperty("cases")[metrics.GetProperty("map_case").GetInt32()].GetProperty("map").GetString()!);
        var (m, input) = PgcReference.Load(entry.GetProperty("dir").GetString()!);
        var target = PgcReference.TargetOf(v.GetProperty("target").GetString()!);
        var none = new RoadOptions { Noise = 0 };
        double expected = v.GetProperty("value").GetDouble();
        double actual = v.GetProperty("metric").GetString() switch
        {
            "confidence_change" => m.ConfidenceChange(input, map, target),
            "drop_in_confidence" => m.DropInConfidence(input, map, target),
            "increase_in_confidence" => m.IncreaseInConfidence(input, map, target),
            "road_morf" => m.Road(input, map, target, RoadOrder.MostRelevantFirst, v.GetProperty("percentile").GetDouble(), none),
            "road_lerf" => m.Road(input, map, target, RoadOrder.LeastRelevantFirst, v.GetProperty("percentile").GetDouble(), none),
            "road_combined" => m.RoadCombined(input, map, target, options: none),
            var other => throw new ArgumentException($"Unknown metric '{other}' in pgc.json."),
        };
        actual.Should().BeApproximately(expected, 1e-4, "{0} on {1} must be pytorch-grad-cam's value", description, model);
    }

}
