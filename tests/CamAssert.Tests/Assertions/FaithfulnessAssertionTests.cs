using CamAssert.Assertions;
using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Assertions;

/// <summary>"Removing what the map points at drops the class's score": ROAD most-relevant-first as an assertion, on the trained shapes model.</summary>
public class FaithfulnessAssertionTests
{
    private static readonly CamModel Model = CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx"));

    private static (Tensor Input, Target Target, Heatmap Map) Circle()
    {
        var image = CamImage.Load(Fixtures.Path_("shapes", "images", "circle_1.png"));
        var input = Model.InputFor(image, Preprocessing.Default);
        var logits = Model.Run(input).F;
        var target = Target.Class(Array.IndexOf(logits, logits.Max()));
        return (input, target, Model.GradCam(input, target));
    }

    [Fact]
    public void Removing_the_grad_cam_region_drops_the_score_and_removing_the_rest_does_not()
    {
        var (input, target, map) = Circle();
        var quiet = new RoadOptions { Noise = 0 };
        double morf = Model.Road(input, map.Values, target, RoadOrder.MostRelevantFirst, 80, quiet);
        double lerf = Model.Road(input, map.Values, target, RoadOrder.LeastRelevantFirst, 20, quiet);
        morf.Should().BeLessThan(lerf, "removing the most relevant 20 % must cost more than removing the least relevant 80 %");
        map.Should().DropConfidenceWhenRemoved(Model, input, target, byAtLeast: 0.3);
    }

    [Fact]
    public void The_inverted_map_fails_with_the_scores_it_measured()
    {
        var (input, target, map) = Circle();
        var inverted = new Heatmap(map.Source, map.LayerMap, map.LayerSize, map.Values.Select(v => 1 - v).ToArray(), map.InputSize, map.ChannelWeights, map.ChannelContributions, null);
        var act = () => inverted.Should().DropConfidenceWhenRemoved(Model, input, target, byAtLeast: 0.3, because: "the map must point at the circle");
        act.Should().Throw<Exception>().Which.Message.Should()
            .Contain("Expected removing the 20 % of pixels heatmap rates highest (ROAD, most relevant first, at percentile 80) to drop the score of class")
            .And.Contain("by at least 30 % because the map must point at the circle, but it went from");
    }
}
