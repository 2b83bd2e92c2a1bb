using CamAssert.Models;
using CamAssert.Models.Layers;
using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace CamAssert.Assertions;

/// <summary>Assertions about a <see cref="CamModel"/>: its layers and classes.</summary>
public sealed class CamModelAssertions(CamModel subject) : ReferenceTypeAssertions<CamModel, CamModelAssertions>(subject)
{
    /// <inheritdoc/>
    protected override string Identifier => "model";

    /// <summary>Asserts that <paramref name="path"/> resolves; <c>.Which</c> is the layer.</summary>
    public AndWhichConstraint<CamModelAssertions, Layer> HaveLayer(LayerPath path, string because = "", params object[] becauseArgs)
    {
        Layer? layer = null;
        string problem = "";
        try { layer = Subject.Layer(path); }
        catch (Exception e) when (e is LayerNotFoundException or AmbiguousLayerPathException) { problem = e.Message; }
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(layer is not null)
            .FailWith("Expected {context:model} " + FailureText.Escape(Subject.Name) + " to have layer {0}{reason}, but it does not: " + FailureText.Escape(problem), path.Text);
        return new AndWhichConstraint<CamModelAssertions, Layer>(this, layer!);
    }

    /// <summary>
    /// Starts an assertion about the model's attention over a labelled set: add criteria
    /// (<c>WithEnergyInBox(atLeast: 0.5)</c>, <c>AndPeakInBox()</c>, <c>ForEachClass()</c>) and finish with <c>OnAtLeast(rate)</c>.
    /// </summary>
    public ObjectAttentionAssertions AttendToObjects(Suites.LabelledSet set, Suites.SuiteOptions? options = null) =>
        new(this, set ?? throw new ArgumentNullException(nameof(set)), options ?? Suites.SuiteOptions.Default);

    /// <summary>
    /// Asserts that the model's maps over <paramref name="set"/> have not drifted from <paramref name="baseline"/>'s
    /// (the accepted model) beyond <paramref name="gate"/> (default <see cref="Suites.DriftGate.Default"/>, calibrated so
    /// that a benign retrain passes). <c>.Which</c> is the drift report.
    /// </summary>
    public AndWhichConstraint<CamModelAssertions, Suites.DriftReport> NotDriftFrom(CamModel baseline, Suites.LabelledSet set, Suites.DriftGate? gate = null,
        Suites.SuiteOptions? options = null, string because = "", params object[] becauseArgs) =>
        Drift(Suites.DriftReport.Between(baseline, Subject, set, options), $"from model {baseline.Name}", gate ?? Suites.DriftGate.Default, because, becauseArgs);

    /// <summary>
    /// Asserts that the model's maps over <paramref name="set"/> have not drifted from the set's golden maps
    /// (<c>golden/&lt;set name&gt;/</c> in the nearest golden directory above the test's source file, or
    /// <paramref name="goldenDirectory"/>) beyond <paramref name="gate"/>. Missing maps are written as received and fail;
    /// accept them (and a new model's maps as a whole) with <c>camassert accept</c> or <c>CAMASSERT_ACCEPT=1</c>.
    /// </summary>
    public AndWhichConstraint<CamModelAssertions, Suites.DriftReport> NotDriftFromGolden(Suites.LabelledSet set, Suites.DriftGate? gate = null,
        Suites.SuiteOptions? options = null, string? goldenDirectory = null, string because = "",
        [System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        gate ??= Suites.DriftGate.Default;
        var golden = Suites.GoldenSet.For(set, goldenDirectory ?? Golden.GoldenName.DirectoryFor(sourceFile));
        return Drift(Suites.DriftReport.AgainstGolden(golden, Subject, set, options, gate), $"from its golden maps in {golden.Directory}", gate, because, []);
    }

    private AndWhichConstraint<CamModelAssertions, Suites.DriftReport> Drift(Suites.DriftReport report, string from, Suites.DriftGate gate, string because, object[] becauseArgs)
    {
        var violations = report.Violations(gate);
        bool ok = violations.Count == 0;
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
            .FailWith("Expected {context:model} " + FailureText.Escape($"{Subject.Name} not to drift {from} over {report.Set}") + "{reason}, but " +
                FailureText.Escape(ok ? "" : DriftFailureText.Found(report, violations)));
        return new AndWhichConstraint<CamModelAssertions, Suites.DriftReport>(this, report);
    }

    /// <summary>Asserts that the model has a class named <paramref name="name"/>.</summary>
    public AndConstraint<CamModelAssertions> HaveClass(string name, string because = "", params object[] becauseArgs)
    {
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(Subject.Labels.Contains(name))
            .FailWith("Expected {context:model} " + FailureText.Escape(Subject.Name) + " to have class {0}{reason}, but its classes are {1}.",
                name, Subject.Labels.Count == 0 ? "unknown (no labels)" : string.Join(", ", Subject.Labels));
        return new AndConstraint<CamModelAssertions>(this);
    }
}

/// <summary>Assertions about a <see cref="Layer"/>.</summary>
public sealed class LayerAssertions(Layer subject) : ReferenceTypeAssertions<Layer, LayerAssertions>(subject)
{
    /// <inheritdoc/>
    protected override string Identifier => "layer";

    /// <summary>Asserts that the layer's output is a map with more than one spatial position.</summary>
    public AndConstraint<LayerAssertions> HaveSpatialOutput(string because = "", params object[] becauseArgs)
    {
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(Subject.HasSpatialOutput)
            .FailWith("Expected layer '" + FailureText.Escape(Subject.Path) + "' to have a spatial output{reason}, but its output shape is " + FailureText.Escape(Subject.OutputShape?.ToString() ?? "unknown") + ".");
        return new AndConstraint<LayerAssertions>(this);
    }

    /// <summary>Asserts the layer's static output shape, e.g. "[1, 2048, 7, 7]".</summary>
    public AndConstraint<LayerAssertions> HaveOutputShape(string shape, string because = "", params object[] becauseArgs)
    {
        string actual = Subject.OutputShape?.ToString() ?? "unknown";
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(actual == shape)
            .FailWith("Expected layer '" + FailureText.Escape(Subject.Path) + "' to have output shape " + FailureText.Escape(shape) + "{reason}, but found " + FailureText.Escape(actual) + ".");
        return new AndConstraint<LayerAssertions>(this);
    }
}
