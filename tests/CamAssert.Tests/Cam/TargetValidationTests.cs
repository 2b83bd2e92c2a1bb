using CamAssert.Cam;
using CamAssert.Heatmaps;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>What Target.Segmentation and Target.Similarity refuse, and that each refusal names the values involved.</summary>
public class TargetValidationTests
{
    [Fact]
    public void A_mask_of_the_wrong_size_names_both_sizes()
    {
        var (m, input) = PgcReference.Load("segmentation/fcnish");
        var act = () => m.Cam(input, Target.Segmentation(1, new float[10, 12]), CamMethod.GradCam, "backbone.layer2");
        act.Should().Throw<ArgumentException>().WithMessage("*mask is 10×12 (H×W)*output map*is 32×40*");
    }

    [Fact]
    public void A_class_outside_the_segmentation_output_names_the_class_count()
    {
        var (m, input) = PgcReference.Load("segmentation/fcnish");
        var act = () => m.Cam(input, Target.Segmentation(7, Region.Box(0, 0, 4, 4)), CamMethod.GradCam, "backbone.layer2");
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Class index 7*4 classes (0 to 3)*");
    }

    [Fact]
    public void A_classifier_output_is_not_a_segmentation_output()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        var act = () => m.Cam(input, Target.Segmentation(0, new float[2, 2]), CamMethod.GradCam, "backbone.layer2");
        act.Should().Throw<ArgumentException>().WithMessage("*N×C×H×W*has shape [1, 5]*Target.Class*");
    }

    [Fact]
    public void An_embedding_of_the_wrong_length_names_both_lengths()
    {
        var (m, input) = PgcReference.Load("segmentation/embedding");
        var act = () => m.Cam(input, Target.Similarity([1f, 2f, 3f]), CamMethod.GradCam, "features");
        act.Should().Throw<ArgumentException>().WithMessage("*concept embedding has 3 values*output of*has 16 per image*");
    }

    [Fact]
    public void A_zero_concept_is_refused()
    {
        var act = () => Target.Similarity(new float[16]);
        act.Should().Throw<ArgumentException>().WithMessage("*16 values*all zeros*undefined*");
    }

    [Fact]
    public void A_concept_with_NaN_names_the_element()
    {
        var act = () => Target.Similarity([1f, float.NaN]);
        act.Should().Throw<ArgumentException>().WithMessage("*NaN at element 1*");
    }

    [Fact]
    public void The_similarity_score_is_the_cosine_of_output_and_concept()
    {
        var (m, input) = PgcReference.Load("segmentation/embedding");
        var output = m.Run(input);
        var concept = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
        double dot = output.F.Zip(concept, (a, b) => (double)a * b).Sum();
        double cos = dot / Math.Sqrt(output.F.Sum(v => (double)v * v)) / Math.Sqrt(concept.Sum(v => (double)v * v));
        Target.Similarity(concept).Score(output, 0, TargetContext.Of(m)).Should().BeApproximately((float)cos, 1e-6f);
        Target.Similarity(output.F).Score(output, 0, TargetContext.Of(m)).Should().BeApproximately(1f, 1e-6f, "an embedding is fully similar to itself");
    }
}
