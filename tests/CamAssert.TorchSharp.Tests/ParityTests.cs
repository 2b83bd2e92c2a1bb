using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.TorchSharp.Tests.Support;

namespace CamAssert.TorchSharp.Tests;

/// <summary>
/// The TorchSharp backend against pytorch-grad-cam itself (maps computed by
/// tools/make_torchsharp_fixtures.py on the same weights in torch 1.13) and against CamAssert's
/// ONNX engine on the same weights exported to ONNX: at most 1e-4 absolute difference.
/// </summary>
public class ParityTests
{
    private static readonly Lazy<CamModel> Onnx = new(() => CamModel.Load(TorchFixtures.Path_("resnetish.onnx")));

    public static TheoryData<string, string, string> Maps()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var map in TorchFixtures.Index.GetProperty("maps").EnumerateArray())
            data.Add(map.GetProperty("method").GetString()!, map.GetProperty("target").GetString()!, map.GetProperty("file").GetString()!);
        return data;
    }

    [Fact]
    public void Logits_match_torch()
    {
        var expected = TorchFixtures.Index.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var logits = TorchFixtures.ResNetish.Run(TorchFixtures.Input).F;
        logits.Zip(expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-5f, "the logits of the torch 1.13 forward on the same weights are {0}", string.Join(", ", expected));
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void Map_matches_pytorch_grad_cam(string method, string target, string file)
    {
        var heatmap = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, TargetOf(target), CamMethods.Parse(method), TorchFixtures.Layer);
        var expected = Npy.Read(TorchFixtures.Path_(file)).F;
        heatmap.Values.Length.Should().Be(expected.Length);
        MaxDifference(heatmap.Values, expected).Should().BeLessThanOrEqualTo(1e-4, "{0} of {1} at {2} should be pytorch-grad-cam's map", method, target, TorchFixtures.Layer);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void Map_matches_the_onnx_engine_on_the_same_weights(string method, string target, string file)
    {
        _ = file;
        var torch = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, TargetOf(target), CamMethods.Parse(method), TorchFixtures.Layer);
        var onnx = Onnx.Value.Cam(TorchFixtures.Input, TargetOf(target), CamMethods.Parse(method), TorchFixtures.Layer);
        MaxDifference(torch.Values, onnx.Values).Should().BeLessThanOrEqualTo(1e-4, "{0} of {1} should not depend on the backend", method, target);
    }

    [Theory]
    [InlineData("gradcam", "backbone.stem", "backbone.layer1", 2)]
    [InlineData("scorecam", "backbone.layer1", "backbone.layer1", 5)]
    public void A_channel_of_another_layer_as_target_matches_the_onnx_engine(string method, string layer, string scoreLayer, int channel)
    {
        var target = Target.Channel(scoreLayer, channel);
        var torch = TorchFixtures.ResNetish.Cam(TorchFixtures.Input, target, CamMethods.Parse(method), layer);
        var onnx = Onnx.Value.Cam(TorchFixtures.Input, target, CamMethods.Parse(method), layer);
        torch.Should().NotBeDegenerate();
        MaxDifference(torch.Values, onnx.Values).Should().BeLessThanOrEqualTo(1e-4, "{0} at {1} for channel {2} of {3} should not depend on the backend", method, layer, channel, scoreLayer);
    }

    private static Target TargetOf(string target) => Target.Class(int.Parse(target.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));

    private static double MaxDifference(IReadOnlyList<float> a, IReadOnlyList<float> b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
