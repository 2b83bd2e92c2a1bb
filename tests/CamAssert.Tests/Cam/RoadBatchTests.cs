using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Models;
using CamAssert.Tests.Support;

namespace CamAssert.Tests.Cam;

/// <summary>
/// ROAD over several percentiles runs its imputed images in batches; its value must be the one
/// <see cref="FaithfulnessMetrics.Road"/> gives one percentile at a time (checked against pytorch-grad-cam
/// in <see cref="PgcMetricTests"/>): the same bits where the model fixes its batch at 1, and within float
/// rounding of the batched forward (the engine's batched GEMM sums in another order: 3e-9 here) where it is free.
/// </summary>
public class RoadBatchTests
{
    private static readonly double[] Percentiles = [10, 20, 30, 40, 50, 60, 70, 80, 90];

    /// <summary>The combined form percentile by percentile, as pytorch-grad-cam averages it (float changes summed in double).</summary>
    private static double OneAtATime(CamModel m, Tensor x, float[] map, Target target, RoadOrder order, RoadOptions options)
    {
        double sum = 0;
        foreach (var p in Percentiles) sum += (float)m.Road(x, map, target, order, p, options);
        return sum / Percentiles.Length;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Batched_combined_road_gives_the_one_at_a_time_values(double noise)
    {
        using var dir = new TempFolder();
        var m = CamModel.Load(OnnxBuilder.NestedClassifier().Save(dir.Path, "dynamic.onnx"));
        m.Input.Shape[0].IsKnown.Should().BeFalse("the model's batch axis must be free for the imputed images to run in batches");
        var rnd = new Random(5);
        var x = Tensor.FromFloats([1, 3, 8, 8], Enumerable.Range(0, 192).Select(_ => (float)rnd.NextDouble()).ToArray());
        var map = m.GradCam(x, Target.Class(1)).Values.ToArray();
        var options = new RoadOptions { Noise = noise, Seed = 3 };
        double lerf = OneAtATime(m, x, map, Target.Class(1), RoadOrder.LeastRelevantFirst, options);
        double morf = OneAtATime(m, x, map, Target.Class(1), RoadOrder.MostRelevantFirst, options);
        (lerf - morf).Should().NotBe(0, "the test needs a map whose removals change the score");

        double rounding = 1e-6 * Math.Max(Math.Abs(lerf), Math.Abs(morf));
        m.RoadAverage(x, map, Target.Class(1), RoadOrder.LeastRelevantFirst, Percentiles, options).Should().BeApproximately(lerf, rounding);
        m.RoadAverage(x, map, Target.Class(1), RoadOrder.MostRelevantFirst, Percentiles, options).Should().BeApproximately(morf, rounding);
        m.RoadCombined(x, map, Target.Class(1), Percentiles, options).Should().BeApproximately((lerf - morf) / 2, rounding, "18 imputed images in batches of 8 give the one-at-a-time values");
    }

    [Fact]
    public void Combined_road_on_a_batch_of_one_model_gives_the_one_at_a_time_bits()
    {
        var (m, input) = PgcReference.Load("cams/resnetish");
        BatchedScores.FixedBatch(m).Should().Be(1, "this model runs its imputed images one at a time");
        var map = m.GradCam(input, Target.Class(0)).Values.ToArray();
        var options = RoadOptions.Default;
        double lerf = OneAtATime(m, input, map, Target.Class(0), RoadOrder.LeastRelevantFirst, options);
        double morf = OneAtATime(m, input, map, Target.Class(0), RoadOrder.MostRelevantFirst, options);
        m.RoadCombined(input, map, Target.Class(0), Percentiles, options).Should().Be((lerf - morf) / 2);
    }

    [Fact]
    public void Combined_road_refuses_an_empty_percentile_list() =>
        FluentActions.Invoking(() => CamModel.Load(OnnxBuilder.NestedClassifier().Save(new TempFolder().Path, "m.onnx"))
                .RoadCombined(Tensor.FromFloats([1, 3, 8, 8], new float[192]), new float[64], Target.Class(0), []))
            .Should().Throw<ArgumentException>().WithMessage("*at least one percentile*");
}
