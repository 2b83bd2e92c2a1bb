using CamAssert.Assertions;
using CamAssert.Heatmaps;
using CamAssert.Tests.Support;
using FluentAssertions.Execution;

namespace CamAssert.Tests.Assertions;

public class HeatmapAssertionTests
{
    private readonly CamAssert.Heatmaps.Heatmap _topRight = TestHeatmaps.Blob(64, 64, 52, 8, sigma: 3);

    [Fact]
    public void Passing_assertions_chain_with_And()
    {
        _topRight.Should().HaveEnergyIn(Region.Box(40, 0, 24, 20)).AtLeast(0.7)
            .And.PeakIn(Region.Box(40, 0, 24, 20))
            .And.NotHaveEnergyIn(Region.Box(0, 32, 64, 32)).MoreThan(0.01)
            .And.OverlapWith(46, 2, 12, 12).WithIoUAtLeast(0.8)
            .And.NotBeDegenerate();
    }

    [Fact]
    public void Energy_failure_states_measured_value_where_the_attention_is_and_what_the_map_is()
    {
        var act = () => _topRight.Should().HaveEnergyIn(Region.Box(0, 32, 32, 32)).AtLeast(0.7, "the circle is bottom-left");
        act.Should().Throw<Exception>().Which.Message.Should()
            .Contain("Expected heatmap to have at least 70% of its energy in box (x 0, y 32, 32×32) because the circle is bottom-left, but found 0% there")
            .And.Contain("the peak is at (52, 8), top-right")
            .And.Contain("gradcam map of class 'circle' at layer 'backbone' in shapes.onnx");
    }

    [Fact]
    public void Peak_failure_names_the_peak()
    {
        var act = () => _topRight.Should().PeakIn(Region.Box(0, 0, 10, 10));
        act.Should().Throw<Exception>().Which.Message.Should().Contain("to peak in box (x 0, y 0, 10×10), but the peak is at (52, 8), top-right");
    }

    [Fact]
    public void Degenerate_map_fails_every_location_assertion_with_its_reason()
    {
        var flat = TestHeatmaps.From(new float[16], 4, 4, degenerate: "the gradient is zero everywhere");
        var act = () => flat.Should().NotBeDegenerate();
        act.Should().Throw<Exception>().Which.Message.Should().Contain("not to be degenerate, but the gradient is zero everywhere");
        var peak = () => flat.Should().PeakIn(Region.Box(0, 0, 4, 4));
        peak.Should().Throw<Exception>().Which.Message.Should().Contain("the map is degenerate");
    }

    [Fact]
    public void Assertion_scope_collects_several_failures()
    {
        var act = () =>
        {
            using var scope = new AssertionScope();
            _topRight.Should().PeakIn(Region.Box(0, 0, 8, 8));
            _topRight.Should().HaveEnergyIn(Region.Box(0, 56, 8, 8)).AtLeast(0.5);
        };
        var message = act.Should().Throw<Exception>().Which.Message;
        message.Should().Contain("to peak in").And.Contain("of its energy in");
    }

    [Fact]
    public void Channel_assertions_report_shares()
    {
        var map = TestHeatmaps.Blob(8, 8, 4, 4, contributions: [0.1, 3, -1, 0.9]);
        map.Should().HaveTopChannels(2).Including(1, 3).And.HaveChannelShare(1).AtLeast(0.7);
        var act = () => map.Should().HaveTopChannels(1).Including(3);
        act.Should().Throw<Exception>().Which.Message.Should().Contain("top 1 channels").And.Contain("they are 1 (75.0%)").And.Contain("missing 3 (22.5%)");
        var share = () => map.Should().HaveChannelShare(0).AtLeast(0.5);
        share.Should().Throw<Exception>().Which.Message.Should().Contain("channel 0").And.Contain("carries 2.5%");
    }

    // Half the energy lies in the left column: each bound is checked exactly as its word reads.
    [Theory]
    [InlineData("AtLeast", 0.5, true)]
    [InlineData("MoreThan", 0.5, false)]
    [InlineData("AtMost", 0.5, true)]
    [InlineData("LessThan", 0.5, false)]
    [InlineData("MoreThan", 0.4, true)]
    [InlineData("LessThan", 0.6, true)]
    [InlineData("AtLeast", 0.6, false)]
    [InlineData("AtMost", 0.4, false)]
    public void Energy_bounds_read_as_they_check_and_Not_negates_each(string bound, double share, bool holds)
    {
        var half = TestHeatmaps.From([1, 1, 1, 1], 2, 2);
        var left = Region.Box(0, 0, 1, 2);
        Action Apply(EnergyConstraint c) => bound switch
        {
            "AtLeast" => () => c.AtLeast(share),
            "MoreThan" => () => c.MoreThan(share),
            "AtMost" => () => c.AtMost(share),
            _ => () => c.LessThan(share),
        };
        string words = bound switch { "AtLeast" => "at least", "MoreThan" => "more than", "AtMost" => "at most", _ => "less than" };
        var positive = Apply(half.Should().HaveEnergyIn(left));
        var negated = Apply(half.Should().NotHaveEnergyIn(left));
        if (holds)
        {
            positive.Should().NotThrow();
            negated.Should().Throw<Exception>().Which.Message.Should().Contain($"not to have {words} {share * 100:0}% of its energy in box (x 0, y 0, 1×2), but found 50% there");
        }
        else
        {
            negated.Should().NotThrow();
            positive.Should().Throw<Exception>().Which.Message.Should().Contain($"to have {words} {share * 100:0}% of its energy in box (x 0, y 0, 1×2), but found 50% there");
        }
    }

    [Fact]
    public void Energy_bound_outside_0_to_1_is_refused_saying_how_to_write_it() =>
        FluentActions.Invoking(() => _topRight.Should().HaveEnergyIn(Region.Box(0, 0, 8, 8)).AtLeast(40))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*fraction from 0 to 1*Write 40 % as 0.4*");
}
