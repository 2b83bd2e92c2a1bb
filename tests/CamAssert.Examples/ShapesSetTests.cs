namespace CamAssert.Examples;

/// <summary>
/// The team's labelled validation sets (COCO annotations beside the images): does the attention fall
/// on the objects over the whole set, and has a retrained model drifted from the accepted one?
/// </summary>
public class ShapesSetTests
{
    private static readonly LabelledSet Validation = LabelledSet.FromCoco(Path.Combine(AppContext.BaseDirectory, "sets", "val", "annotations.json"));

    /// <summary>Images carrying each class's corner cue: where a shortcut model gives itself away.</summary>
    private static readonly LabelledSet Cued = LabelledSet.FromCoco(Path.Combine(AppContext.BaseDirectory, "sets", "cued", "annotations.json"));

    /// <summary>The good model retrained with another seed.</summary>
    private static readonly CamModel Retrained = CamModel.Load("models/shapes_seed3.onnx");

    [Fact]
    public void Attention_falls_on_the_objects_of_the_validation_set() =>
        Shapes.Model.Should().AttendToObjects(Validation).WithEnergyInBox(atLeast: 0.3).AndPeakInBox().OnAtLeast(0.85);

    [Fact]
    public void Attention_falls_on_the_objects_of_every_class_on_the_cued_images() =>
        Shapes.Model.Should().AttendToObjects(Cued).AndPeakInBox().ForEachClass().OnAtLeast(0.6);

    [Fact]
    public void A_retrain_with_another_seed_does_not_drift_from_the_accepted_model() =>
        Retrained.Should().NotDriftFrom(Shapes.Model, Cued, because: "a benign retrain keeps its attention on the objects");

    [Fact]
    public void The_accepted_model_matches_its_golden_set() =>
        Shapes.Model.Should().NotDriftFromGolden(Cued);

    [Fact]
    public void The_shortcut_twin_fails_the_set_check_and_the_drift_gate_on_the_cued_images()
    {
        var attention = () => Shapes.Shortcut.Should().AttendToObjects(Cued).AndPeakInBox().OnAtLeast(0.6);
        attention.Should().Throw<Exception>().Which.Message.Should().Contain("0.0% (0 of 15; 95% Wilson interval 0.0%–20.4%)");
        var drift = () => Shapes.Shortcut.Should().NotDriftFrom(Shapes.Model, Cued);
        drift.Should().Throw<Exception>().Which.Message.Should().Contain("median Pearson").And.Contain("expected | actual | difference");
    }
}
