using CamAssert.Cam;
using CamAssert.Faithfulness;
using CamAssert.Models;
using FluentAssertions;
using FluentAssertions.Execution;

namespace CamAssert.Assertions;

/// <summary>Assertions on RISE's deletion and insertion curves of a heatmap (<see cref="CausalCurves"/>).</summary>
public static class CausalCurveAssertions
{
    /// <summary>
    /// Asserts that deleting pixels in the order the map rates them (replacing them by 0, one image row at a
    /// time by default) makes <paramref name="target"/>'s score fall fast: the deletion curve's normalised area
    /// is at most <paramref name="maximum"/> (RISE's deletion AUC; lower is more faithful). For RISE's own
    /// score give <see cref="Target.Probability(int)"/> of the class.
    /// </summary>
    public static AndConstraint<HeatmapAssertions> HaveDeletionAucAtMost(this HeatmapAssertions assertions, CamModel model, Tensor input, Target target,
        double maximum, CausalCurveOptions? options = null, int image = 0, string because = "", params object[] becauseArgs)
    {
        var curve = model.DeletionCurve(input, assertions.Subject.Values, target, options, image);
        return Check(assertions, curve, curve.Auc <= maximum, $"at most {maximum:0.####}", because, becauseArgs);
    }

    /// <summary>
    /// Asserts that inserting the original pixels into the blurred image in the order the map rates them makes
    /// <paramref name="target"/>'s score rise fast: the insertion curve's normalised area is at least
    /// <paramref name="minimum"/> (RISE's insertion AUC; higher is more faithful).
    /// </summary>
    public static AndConstraint<HeatmapAssertions> HaveInsertionAucAtLeast(this HeatmapAssertions assertions, CamModel model, Tensor input, Target target,
        double minimum, CausalCurveOptions? options = null, int image = 0, string because = "", params object[] becauseArgs)
    {
        var curve = model.InsertionCurve(input, assertions.Subject.Values, target, options, image);
        return Check(assertions, curve, curve.Auc >= minimum, $"at least {minimum:0.####}", because, becauseArgs);
    }

    private static AndConstraint<HeatmapAssertions> Check(HeatmapAssertions assertions, CausalCurve curve, bool passed, string bound, string because, object[] becauseArgs)
    {
        var heatmap = assertions.Subject;
        string game = curve.Game.ToString().ToLowerInvariant();
        Execute.Assertion.BecauseOf(because, becauseArgs)
            .ForCondition(!heatmap.IsDegenerate && passed)
            .FailWith($"Expected the {game} curve of {{context:heatmap}} ({curve.Step} pixels per step) to have an area {bound} for {FailureText.Escape(heatmap.Target)}{{reason}}, but " +
                      (heatmap.IsDegenerate ? $"the map is degenerate ({FailureText.Escape(heatmap.DegenerateReason ?? "")})." :
                          $"its area is {curve.Auc:0.####} (the score went from {curve.Scores[0]:0.####} to {curve.Scores[^1]:0.####} over {curve.Scores.Count - 1} steps, lowest {curve.Scores.Min():0.####}, highest {curve.Scores.Max():0.####})."));
        return new AndConstraint<HeatmapAssertions>(assertions);
    }
}
