using CamAssert.Assertions;
using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Imaging;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Assertions;

/// <summary>RISE's deletion and insertion AUC as assertions, on the trained shapes model: Grad-CAM passes, its inverted map fails.</summary>
public class CausalCurveAssertionTests
{
    private static readonly CamModel Model = CamModel.Load(Fixtures.Path_("shapes", "shapes.onnx"));

    private static (Tensor Input, Target Target, Heatmap Map) Triangle()
    {
        var input = Model.InputFor(CamImage.Load(Fixtures.Path_("shapes", "images", "triangle_1.png")), Preprocessing.Default);
        var logits = Model.Run(input).F;
        int top = Array.IndexOf(logits, logits.Max());
        return (input, Target.Probability(top), Model.GradCam(input, Target.Class(top)));
    }

    private static Heatmap Inverted(Heatmap map) =>
        new(map.Source, map.LayerMap, map.LayerSize, map.Values.Select(v => 1 - v).ToArray(), map.InputSize, map.ChannelWeights, map.ChannelContributions, null);

    [Fact]
    public void Deleting_the_grad_cam_region_first_drops_the_probability_fast()
    {
        var (input, target, map) = Triangle();
        map.Should().HaveDeletionAucAtMost(Model, input, target, 0.3)
            .And.HaveInsertionAucAtLeast(Model, input, target, 0.5);
    }

    [Fact]
    public void The_inverted_map_fails_with_the_curve_it_measured()
    {
        var (input, target, map) = Triangle();
        var act = () => Inverted(map).Should().HaveDeletionAucAtMost(Model, input, target, 0.3);
        act.Should().Throw<Exception>().WithMessage("Expected the deletion curve of *64 pixels per step*area at most 0.3*, but its area is 0.*score went from 1 to *");
    }
}
