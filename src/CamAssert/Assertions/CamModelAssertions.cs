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
