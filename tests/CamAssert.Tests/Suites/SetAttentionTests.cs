using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Suites;

namespace CamAssert.Tests.Suites;

/// <summary>Attention over a labelled set: per-target numbers against PyTorch's, determinism, rates and intervals, one forward for many targets.</summary>
public class SetAttentionTests
{
    [Theory]
    [InlineData("val", "shapes_seed1")]
    [InlineData("cued", "shapes_shortcut")]
    public void Energy_in_box_and_pointing_game_equal_pytorch_per_target(string setName, string model)
    {
        var set = setName == "val" ? SuiteFixtures.Val : SuiteFixtures.Cued;
        var measured = SetAttention.Measure(SuiteFixtures.Model(model), set);
        var reference = SuiteFixtures.Objects(setName);
        measured.Targets.Should().HaveCount(reference.Count);
        for (int i = 0; i < reference.Count; i++)
        {
            var r = reference[i];
            var t = measured.Targets[i];
            t.Image.Should().Be(r.GetProperty("image").GetString());
            t.ClassName.Should().Be(r.GetProperty("class").GetString());
            var m = r.GetProperty("per_model").GetProperty(model);
            t.EnergyInBox.Should().BeApproximately(m.GetProperty("energy_in_box").GetDouble(), 1e-4, t.Name);
            t.PeakInBox.Should().Be(m.GetProperty("peak_in_box").GetBoolean(), t.Name);
        }
    }

    [Fact]
    public void Results_are_identical_whatever_the_number_of_parallel_images()
    {
        var model = SuiteFixtures.Model("shapes_seed1");
        var one = SetAttention.Measure(model, SuiteFixtures.Val, new SuiteOptions { MaxParallelImages = 1 });
        var four = SetAttention.Measure(model, SuiteFixtures.Val, new SuiteOptions { MaxParallelImages = 4 });
        four.Targets.Should().Equal(one.Targets, (a, b) => a.Name == b.Name && a.EnergyInBox == b.EnergyInBox && a.EnergyInObject == b.EnergyInObject && a.Peak == b.Peak);
    }

    [Fact]
    public void Several_targets_of_one_image_from_one_forward_equal_one_map_at_a_time()
    {
        var model = SuiteFixtures.Model("shapes_seed1");
        var image = CamImage.Load(SuiteFixtures.Dir("val", "images", "pair_circle_square_1.png"));
        var maps = model.Cams(image, [Target.Class("circle"), Target.Class("square"), Target.Class("triangle")]);
        string[] classes = ["circle", "square", "triangle"];
        for (int k = 0; k < 3; k++)
        {
            maps[k].Values.Should().Equal(model.GradCam(image, Target.Class(classes[k])).Values);
            maps[k].Target.Should().Contain(classes[k]);
        }
    }

    [Fact]
    public void Wilson_interval_matches_the_textbook_values()
    {
        // Wilson (1927) score interval at 95 %: 8 of 10 → 0.490–0.943; 0 of 10 → 0–0.278; 36 of 36 → 0.904–1.
        var (lo, hi) = new Proportion(8, 10).WilsonInterval();
        lo.Should().BeApproximately(0.4902, 5e-4);
        hi.Should().BeApproximately(0.9433, 5e-4);
        new Proportion(0, 10).WilsonInterval().High.Should().BeApproximately(0.2775, 5e-4);
        new Proportion(36, 36).WilsonInterval().Low.Should().BeApproximately(0.9036, 5e-4);
        new Proportion(8, 10).ToString().Should().Be("80.0% (8 of 10; 95% Wilson interval 49.0%–94.3%)");
    }

    [Fact]
    public void Pointing_game_of_the_good_model_is_pytorchs()
    {
        var measured = SetAttention.Measure(SuiteFixtures.Model("shapes_seed1"), SuiteFixtures.Val);
        measured.PointingGame.Rate.Should().BeApproximately(SuiteFixtures.Summary("val", "shapes_seed1->shapes_seed3").GetProperty("pointing_baseline").GetDouble(), 1e-9);
        measured.PerClass.Select(c => c.ClassName).Should().Equal("circle", "square", "triangle");
        measured.PerClass.Sum(c => c.PointingGame.Trials).Should().Be(36);
    }

    [Fact]
    public void A_set_class_the_model_does_not_know_is_refused_before_any_image_runs()
    {
        var set = SuiteFixtures.Val;
        var renamed = CamAssert.Models.CamModel.Load(SuiteFixtures.Dir("models", "shapes_seed3.onnx"), ["round", "square", "triangle"]);
        var act = () => SetAttention.Measure(renamed, set);
        act.Should().Throw<CamException>().Which.Message.Should().Contain("class 'circle'").And.Contain("its classes are round, square, triangle");
    }
}
