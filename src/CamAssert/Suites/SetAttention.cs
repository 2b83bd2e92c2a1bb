using CamAssert.Models;

namespace CamAssert.Suites;

/// <summary>
/// Where a model's attention falls over a labelled set: every (image, class) target scored, the
/// pointing game and the energy pointing game overall and per class. One forward per image serves
/// all its targets; images run in parallel and the result is the same for any thread count.
/// </summary>
public sealed class SetAttention
{
    internal SetAttention(string model, LabelledSet set, IReadOnlyList<TargetAttention> targets) => (Model, Set, Targets) = (model, set, targets);

    /// <summary>Scores <paramref name="model"/>'s maps over <paramref name="set"/>.</summary>
    /// <exception cref="Cam.CamException">The model does not name the set's classes.</exception>
    /// <exception cref="AnnotationException">An annotation does not fit its image.</exception>
    public static SetAttention Measure(CamModel model, LabelledSet set, SuiteOptions? options = null)
    {
        options ??= SuiteOptions.Default;
        SetRun.RequireClasses(model, set);
        var perImage = SetRun.PerImage(set, options, (index, image, pixels, targets) =>
        {
            var maps = SetRun.Maps(model, pixels, targets, options);
            return targets.Select((t, k) => TargetAttention.Of(index, image, t, maps[k])).ToArray();
        });
        return new SetAttention(model.Name, set, perImage.SelectMany(r => r).ToArray());
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>The set.</summary>
    public LabelledSet Set { get; }

    /// <summary>Every target, in set order (images, then classes in order of first appearance).</summary>
    public IReadOnlyList<TargetAttention> Targets { get; }

    /// <summary>Pointing game: share of targets whose map peaks in a box of the class.</summary>
    public Proportion PointingGame => Rate(t => t.PeakInBox);

    /// <summary>Energy pointing game: the mean share of the map's energy in the class's boxes.</summary>
    public double EnergyPointingGame => Targets.Count > 0 ? Targets.Average(t => t.EnergyInBox) : 0;

    /// <summary>Share of targets for which <paramref name="passes"/> holds.</summary>
    public Proportion Rate(Func<TargetAttention, bool> passes) => new(Targets.Count(passes), Targets.Count);

    /// <summary>Share of targets that pass <paramref name="criteria"/>.</summary>
    public Proportion Rate(AttentionCriteria criteria) => Rate(criteria.Passes);

    /// <summary>Per class (in the set's class order), the share of its targets that pass <paramref name="criteria"/>.</summary>
    public IReadOnlyList<(string ClassName, Proportion Rate)> RatePerClass(AttentionCriteria criteria) =>
        ByClass().Select(g => (g.Key, new Proportion(g.Count(criteria.Passes), g.Count()))).ToArray();

    /// <summary>The classes whose share of targets passing <paramref name="criteria"/> is below <paramref name="rate"/>.</summary>
    public IReadOnlyList<string> ClassesBelow(AttentionCriteria criteria, double rate) =>
        RatePerClass(criteria).Where(c => c.Rate.Rate < rate).Select(c => c.ClassName).ToArray();

    /// <summary>Whether at least <paramref name="rate"/> of the targets pass (of every class's too, with <paramref name="eachClass"/>); false for a set without targets.</summary>
    public bool Meets(AttentionCriteria criteria, double rate, bool eachClass) =>
        Targets.Count > 0 && Rate(criteria).Rate >= rate && (!eachClass || ClassesBelow(criteria, rate).Count == 0);

    /// <summary>The targets failing <paramref name="criteria"/>, worst first: a missed peak before a hit, then by energy in the boxes.</summary>
    public IReadOnlyList<TargetAttention> Worst(AttentionCriteria criteria) =>
        Targets.Where(t => !criteria.Passes(t)).OrderBy(t => t.PeakInBox ? 1 : 0).ThenBy(t => t.EnergyInBox).ThenBy(t => t.ImageIndex).ToArray();

    private IEnumerable<IGrouping<string, TargetAttention>> ByClass() =>
        Targets.GroupBy(t => t.ClassName).OrderBy(g => ClassOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);

    /// <summary>Per class (in the set's class order): its pointing game and energy pointing game.</summary>
    public IReadOnlyList<ClassAttention> PerClass =>
        ByClass().Select(g => new ClassAttention(g.Key, new Proportion(g.Count(t => t.PeakInBox), g.Count()), g.Average(t => t.EnergyInBox))).ToArray();

    private int ClassOrder(string name) => Set.Classes.ToList().IndexOf(name) is var i and >= 0 ? i : int.MaxValue;
}

/// <summary>One class's attention over a set.</summary>
/// <param name="ClassName">The class.</param>
/// <param name="PointingGame">Targets of the class whose map peaks in a box.</param>
/// <param name="EnergyPointingGame">Mean share of the energy in the boxes.</param>
public sealed record ClassAttention(string ClassName, Proportion PointingGame, double EnergyPointingGame);
