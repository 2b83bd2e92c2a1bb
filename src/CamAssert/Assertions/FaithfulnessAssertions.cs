using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Models;
using FluentAssertions;
using FluentAssertions.Execution;

namespace CamAssert.Assertions;

/// <summary>Assertions that a heatmap is faithful to the model: removing what it points at changes the model's score.</summary>
public static class FaithfulnessAssertions
{
    /// <summary>
    /// Asserts that removing the pixels the map rates highest — those at or above its
    /// <paramref name="percentile"/>-th percentile, 20 % of the image by default — and filling them
    /// in by ROAD's noisy linear imputation drops <paramref name="target"/>'s score by at least
    /// <paramref name="byAtLeast"/> (a fraction of the score before: 0.3 = 30 %). This is ROAD's
    /// most-relevant-first step (pytorch-grad-cam's ROADMostRelevantFirst) read as a relative drop.
    /// </summary>
    public static AndConstraint<HeatmapAssertions> DropConfidenceWhenRemoved(this HeatmapAssertions assertions, CamModel model, Tensor input, Target target,
        double byAtLeast, double percentile = 80, RoadOptions? options = null, int image = 0, string because = "", params object[] becauseArgs)
    {
        var heatmap = assertions.Subject;
        var (before, after) = FaithfulnessMetrics.RoadScores(model, input, heatmap.Values, target, RoadOrder.MostRelevantFirst, percentile, options, image);
        double drop = before == 0 ? 0 : (before - after) / Math.Abs(before);
        Execute.Assertion.BecauseOf(because, becauseArgs)
            .ForCondition(!heatmap.IsDegenerate && drop >= byAtLeast)
            .FailWith($"Expected removing the {100 - percentile:0.#} % of pixels {{context:heatmap}} rates highest (ROAD, most relevant first, at percentile {percentile:0.#}) " +
                      $"to drop the score of {FailureText.Escape(heatmap.Target)} by at least {byAtLeast * 100:0.#} %{{reason}}, but " +
                      (heatmap.IsDegenerate ? $"the map is degenerate ({FailureText.Escape(heatmap.DegenerateReason ?? "")})." :
                          $"it went from {before:0.####} to {after:0.####} ({(drop >= 0 ? "a drop" : "a rise")} of {Math.Abs(drop) * 100:0.0} %)."));
        return new AndConstraint<HeatmapAssertions>(assertions);
    }
}
