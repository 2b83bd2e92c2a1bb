using CamAssert.Suites;

namespace CamAssert.Tests.Suites;

/// <summary>model.Should().AttendToObjects(set): passing on the good model, failing with rates, intervals, classes and worst images on the shortcut.</summary>
public class AttendToObjectsTests
{
    [Fact]
    public void The_good_model_attends_to_the_objects_of_the_validation_set()
    {
        // PyTorch: pointing game 32 of 36 (0.889) on val.
        SuiteFixtures.Model("shapes_seed1").Should().AttendToObjects(SuiteFixtures.Val).AndPeakInBox().OnAtLeast(0.85)
            .Which.PointingGame.Successes.Should().Be(32);
    }

    [Fact]
    public void The_shortcut_model_fails_on_the_cued_images_with_rate_interval_classes_and_worst_images()
    {
        var act = () => SuiteFixtures.Model("shapes_shortcut").Should().AttendToObjects(SuiteFixtures.Cued)
            .WithEnergyInBox(atLeast: 0.3).AndPeakInBox().ForEachClass().OnAtLeast(0.9, "the cue must not carry the class");
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().Contain("Expected model shapes_shortcut.onnx to attend to the objects of set 'cued' (15 images, 15 targets")
            .And.Contain("(energy in box ≥ 30% and peak in box) on at least 90.0% of the targets of each class because the cue must not carry the class")
            .And.Contain("0.0% (0 of 15; 95% Wilson interval 0.0%–20.4%)")
            .And.Contain("Per class: circle 0.0% (0 of 5;")
            .And.Contain("Worst 5 of 15 failing: ")
            .And.Contain("peak at (")
            .And.Contain("overlay: ");
    }

    [Fact]
    public void For_each_class_fails_when_one_class_falls_short_though_the_set_passes()
    {
        var attention = SetAttention.Measure(SuiteFixtures.Model("shapes_seed1"), SuiteFixtures.Val);
        var rates = attention.RatePerClass(new AttentionCriteria { PeakInBox = true });
        double overall = attention.PointingGame.Rate, worstClass = rates.Min(r => r.Rate.Rate);
        worstClass.Should().BeLessThan(overall, "the fixture has a class below the set's rate");
        var model = SuiteFixtures.Model("shapes_seed1");
        model.Should().AttendToObjects(SuiteFixtures.Val).OnAtLeast(worstClass);
        var act = () => model.Should().AttendToObjects(SuiteFixtures.Val).ForEachClass().OnAtLeast((worstClass + overall) / 2);
        act.Should().Throw<Exception>().Which.Message.Should().Contain("fell short; over the set it was");
    }

    [Fact]
    public void A_rate_is_a_fraction()
    {
        var act = () => SuiteFixtures.Model("shapes_seed1").Should().AttendToObjects(SuiteFixtures.Val).OnAtLeast(95);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Write 95 % as 0.95");
    }
}
