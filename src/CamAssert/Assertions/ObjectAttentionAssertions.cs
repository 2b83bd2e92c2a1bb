using CamAssert.Models;
using CamAssert.Suites;
using FluentAssertions;
using FluentAssertions.Execution;

namespace CamAssert.Assertions;

/// <summary>
/// An assertion about where a model looks over a labelled set, built up and then checked by
/// <see cref="OnAtLeast"/>: <c>model.Should().AttendToObjects(set).WithEnergyInBox(atLeast: 0.5).AndPeakInBox().OnAtLeast(0.95)</c>.
/// A target ((image, class)) passes when every criterion holds; with no criterion, the pointing game
/// (peak in a box) is the criterion. With <see cref="ForEachClass"/> every class must reach the rate.
/// </summary>
public sealed class ObjectAttentionAssertions
{
    /// <summary>How many of the worst targets a failure lists (with overlays).</summary>
    public const int WorstShown = 5;

    private readonly CamModelAssertions _parent;
    private readonly LabelledSet _set;
    private readonly SuiteOptions _options;
    private readonly List<(string Text, Func<TargetAttention, bool> Passes)> _criteria = [];
    private bool _eachClass;

    internal ObjectAttentionAssertions(CamModelAssertions parent, LabelledSet set, SuiteOptions options) => (_parent, _set, _options) = (parent, set, options);

    /// <summary>A target passes when at least <paramref name="atLeast"/> (0..1) of its map's energy lies in the class's boxes.</summary>
    public ObjectAttentionAssertions WithEnergyInBox(double atLeast) =>
        Add($"energy in box ≥ {FailureText.Percent(Share(atLeast))}", t => t.EnergyInBox >= atLeast);

    /// <summary>A target passes when at least <paramref name="atLeast"/> of its energy lies in the objects' outlines (their boxes where the annotations have none).</summary>
    public ObjectAttentionAssertions WithEnergyInObject(double atLeast) =>
        Add($"energy in object ≥ {FailureText.Percent(Share(atLeast))}", t => t.EnergyInObject >= atLeast);

    /// <summary>A target passes when its map peaks in a box of the class (pointing game).</summary>
    public ObjectAttentionAssertions AndPeakInBox() => Add("peak in box", t => t.PeakInBox);

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
        var criteria = _criteria.Count > 0 ? _criteria : [("peak in box", t => t.PeakInBox)];
        bool Passes(TargetAttention t) => t.DegenerateReason is null && criteria.All(c => c.Passes(t));
        var overall = attention.Rate(Passes);
        var perClass = attention.Targets.GroupBy(t => t.ClassName).Select(g => (Class: g.Key, Rate: new Proportion(g.Count(Passes), g.Count())))
            .OrderBy(c => _set.Classes.ToList().IndexOf(c.Class)).ThenBy(c => c.Class, StringComparer.Ordinal).ToArray();
        var failingClasses = perClass.Where(c => c.Rate.Rate < rate).ToArray();
        bool ok = attention.Targets.Count > 0 && overall.Rate >= rate && (!_eachClass || failingClasses.Length == 0);

        string expectation = $"Expected {{context:model}} {FailureText.Escape(model.Name)} to attend to the objects of {FailureText.Escape(_set.ToString())} " +
            $"({FailureText.Escape(string.Join(" and ", criteria.Select(c => c.Text)))}) on at least {FailureText.Percent(rate, 1)} of the targets{(_eachClass ? " of each class" : "")}{{reason}}, but ";
        string found = attention.Targets.Count == 0 ? "the set has no labelled object." : ok ? "" : Found(attention, overall, perClass, failingClasses, Passes, model);
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok).FailWith(expectation + FailureText.Escape(found));
        return new AndWhichConstraint<CamModelAssertions, SetAttention>(_parent, attention);
    }

    private string Found(SetAttention attention, Proportion overall, (string Class, Proportion Rate)[] perClass, (string Class, Proportion Rate)[] failingClasses,
        Func<TargetAttention, bool> passes, CamModel model)
    {
        string text = $"{(_eachClass && overall.Rate >= perClass.Min(c => c.Rate.Rate) && failingClasses.Length > 0 ? $"class {string.Join(", ", failingClasses.Select(c => $"'{c.Class}'"))} fell short; over the set it was " : "it was ")}{overall}. " +
            $"Per class: {string.Join("; ", perClass.Select(c => $"{c.Class} {c.Rate}"))}. " +
            $"Pointing game {attention.PointingGame.Rate:0.000}, energy pointing game {attention.EnergyPointingGame:0.000}. ";
        var worst = attention.Targets.Where(t => !passes(t)).OrderBy(t => t.PeakInBox ? 1 : 0).ThenBy(t => t.EnergyInBox).ThenBy(t => t.ImageIndex).Take(WorstShown).ToArray();
        text += $"Worst {worst.Length} of {attention.Targets.Count(t => !passes(t))} failing: " + string.Join("; ", worst.Select(t => Describe(t, model))) + ".";
        return text;
    }

    private string Describe(TargetAttention t, CamModel model)
    {
        string s = $"{t.Name}: energy in box {FailureText.Percent(t.EnergyInBox)}" + (t.Boxes.Count > 0 ? $" of {string.Join(" ∪ ", t.Boxes)}" : "") +
                   $", peak at ({t.Peak.X}, {t.Peak.Y}) {(t.PeakInBox ? "inside" : "outside")}";
        if (t.DegenerateReason is not null) return s + $", degenerate ({t.DegenerateReason})";
        try
        {
            var image = _set.Images[t.ImageIndex];
            var pixels = image.Load();
            var target = image.TargetsIn(new(pixels.Width, pixels.Height)).First(x => x.ClassName == t.ClassName);
            var map = Suites.SetRun.Maps(model, pixels, [target], _options)[0];
            if (FailureArtifacts.WriteOverlay(map, target.BoxRegion) is { } path) s += $", overlay: {path}";
        }
        catch (Exception e) when (e is IOException or Imaging.ImageFormatException or ArgumentException) { }
        return s;
    }

    private ObjectAttentionAssertions Add(string text, Func<TargetAttention, bool> passes)
    {
        _criteria.Add((text, passes));
        return this;
    }

    private static double Share(double value) => value is >= 0 and <= 1 ? value
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"A share or rate is a fraction from 0 to 1, but it was {value}. Write 95 % as 0.95.");
}
