using CamAssert.Models;
using CamAssert.Suites;
using FluentAssertions;
using FluentAssertions.Execution;

namespace CamAssert.Assertions;

/// <summary>
/// An assertion about where a model looks over a labelled set, built up and then checked by
/// <see cref="OnAtLeast"/>: <c>model.Should().AttendToObjects(set).WithEnergyInBox(atLeast: 0.5).AndPeakInBox().OnAtLeast(0.95)</c>.
/// A target ((image, class)) passes when every criterion holds (<see cref="AttentionCriteria"/>); with no
/// criterion, the pointing game decides. With <see cref="ForEachClass"/> every class must reach the rate.
/// </summary>
public sealed class ObjectAttentionAssertions
{
    /// <summary>How many of the worst targets a failure lists (with overlays).</summary>
    public const int WorstShown = 5;

    private readonly CamModelAssertions _parent;
    private readonly LabelledSet _set;
    private readonly SuiteOptions _options;
    private AttentionCriteria _criteria = new();
    private bool _eachClass;

    internal ObjectAttentionAssertions(CamModelAssertions parent, LabelledSet set, SuiteOptions options) => (_parent, _set, _options) = (parent, set, options);

    /// <summary>A target passes only when at least <paramref name="atLeast"/> (0..1) of its map's energy lies in the class's boxes.</summary>
    public ObjectAttentionAssertions WithEnergyInBox(double atLeast) => With(_criteria with { EnergyInBox = Share(atLeast) });

    /// <summary>A target passes only when at least <paramref name="atLeast"/> of its energy lies in the objects' outlines (their boxes where the annotations have none).</summary>
    public ObjectAttentionAssertions WithEnergyInObject(double atLeast) => With(_criteria with { EnergyInObject = Share(atLeast) });

    /// <summary>A target passes only when its map peaks in a box of the class (pointing game).</summary>
    public ObjectAttentionAssertions AndPeakInBox() => With(_criteria with { PeakInBox = true });

    /// <summary>Same as <see cref="AndPeakInBox"/>, to start a chain with it.</summary>
    public ObjectAttentionAssertions WithPeakInBox() => AndPeakInBox();

    /// <summary>Requires the rate of every class, not only of the whole set.</summary>
    public ObjectAttentionAssertions ForEachClass()
    {
        _eachClass = true;
        return this;
    }

    /// <summary>
    /// Scores the set and asserts that at least <paramref name="rate"/> (0..1) of its targets pass (of each
    /// class's, after <see cref="ForEachClass"/>). A failure gives the rate with its 95 % Wilson interval, the
    /// per-class rates and the worst targets with their numbers and overlay pictures. <c>.Which</c> is the scored set.
    /// </summary>
    public AndWhichConstraint<CamModelAssertions, SetAttention> OnAtLeast(double rate, string because = "", params object[] becauseArgs)
    {
        Share(rate);
        var model = _parent.Subject;
        var attention = SetAttention.Measure(model, _set, _options);
        var overall = attention.Rate(_criteria);
        var perClass = attention.RatePerClass(_criteria);
        var short_ = attention.ClassesBelow(_criteria, rate);
        bool ok = attention.Meets(_criteria, rate, _eachClass);
        string found = attention.Targets.Count == 0 ? "the set has no labelled object."
            : ok ? ""
            : (_eachClass && short_.Count > 0 ? $"{string.Join(", ", short_.Select(c => $"'{c}'"))} fell short; over the set it was " : "it was ") + $"{overall}. " +
              $"Per class: {string.Join("; ", perClass.Select(c => $"{c.ClassName} {c.Rate}"))}. " +
              $"Pointing game {FailureText.Percent(attention.PointingGame.Rate, 1)}, energy pointing game {FailureText.Percent(attention.EnergyPointingGame, 1)}. " +
              Worst(attention, model);
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok).FailWith(
            "Expected {context:model} " + FailureText.Escape($"{model.Name} to attend to the objects of {_set} ({_criteria}) on at least {FailureText.Percent(rate, 1)} of the targets{(_eachClass ? " of each class" : "")}") +
            "{reason}, but " + FailureText.Escape(found));
        return new AndWhichConstraint<CamModelAssertions, SetAttention>(_parent, attention);
    }

    private string Worst(SetAttention attention, CamModel model)
    {
        var failing = attention.Worst(_criteria);
        return $"Worst {Math.Min(WorstShown, failing.Count)} of {failing.Count} failing: " + string.Join("; ", failing.Take(WorstShown).Select(t => Describe(t, model))) + ".";
    }

    private string Describe(TargetAttention t, CamModel model)
    {
        string s = $"{t.Name}: energy in box {FailureText.Percent(t.EnergyInBox)} of {string.Join(" ∪ ", t.Boxes)}, peak at ({t.Peak.X}, {t.Peak.Y}) {(t.PeakInBox ? "inside" : "outside")}";
        if (t.DegenerateReason is not null) return s + $", degenerate ({t.DegenerateReason})";
        try
        {
            var (map, target) = SetRun.MapOf(model, _set, t.ImageIndex, t.ClassName, _options);
            if (FailureArtifacts.WriteOverlay(map, target.BoxRegion) is { } path) s += $", overlay: {path}";
        }
        catch (Exception e) when (e is IOException or Imaging.ImageFormatException or ArgumentException) { }
        return s;
    }

    private ObjectAttentionAssertions With(AttentionCriteria criteria)
    {
        _criteria = criteria;
        return this;
    }

    private static double Share(double value) => value is >= 0 and <= 1 ? value
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"A share or rate is a fraction from 0 to 1, but it was {value}. Write 95 % as 0.95.");
}
