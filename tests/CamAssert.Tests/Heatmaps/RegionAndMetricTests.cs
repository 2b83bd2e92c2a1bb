using CamAssert.Heatmaps;

namespace CamAssert.Tests.Heatmaps;

public class RegionAndMetricTests
{
    [Fact]
    public void Box_and_corner_forms_rasterize_the_same_pixels()
    {
        var a = Region.Box(1, 2, 3, 2).Rasterize(6, 5);
        var b = Region.FromCorners(1, 2, 4, 4).Rasterize(6, 5);
        a.Should().Equal(b);
        a.Count(v => v).Should().Be(6);
        a[2 * 6 + 1].Should().BeTrue("row y = 2, column x = 1 is the top-left corner");
        a[1 * 6 + 1].Should().BeFalse();
    }

    [Fact]
    public void Relative_box_scales_with_the_image()
    {
        Region.Relative(0, 0, 0.5, 0.5).Rasterize(8, 4).Count(v => v).Should().Be(8);
        Region.Relative(0.5, 0.5, 0.5, 0.5).Bounds(8, 4).Should().Be((4, 2, 4, 2));
    }

    [Fact]
    public void Union_intersection_complement_combine_masks()
    {
        var left = Region.Box(0, 0, 2, 2);
        var right = Region.Box(1, 0, 2, 2);
        left.Union(right).Rasterize(4, 2).Count(v => v).Should().Be(6);
        left.Intersect(right).Rasterize(4, 2).Count(v => v).Should().Be(2);
        left.Complement().Rasterize(4, 2).Count(v => v).Should().Be(4);
    }

    [Theory]
    [InlineData(-1, 40, 31, 31, 0, 40, 30, 24)]  // a box grown by a margin near the bottom-left corner
    [InlineData(50, 50, 20, 20, 50, 50, 14, 14)] // past the bottom-right corner
    [InlineData(-5, -5, 80, 80, 0, 0, 64, 64)]   // larger than the image on every side
    public void Box_partly_outside_the_image_is_clipped_to_it(int x, int y, int w, int h, int cx, int cy, int cw, int ch)
    {
        Region.Box(x, y, w, h).Rasterize(64, 64).Count(v => v).Should().Be(cw * ch);
        Region.Box(x, y, w, h).Bounds(64, 64).Should().Be((cx, cy, cw, ch));
    }

    [Fact]
    public void Relative_box_partly_outside_is_clipped_to_the_image() =>
        Region.Relative(0.75, -0.25, 0.5, 0.5).Bounds(8, 8).Should().Be((6, 0, 2, 2));

    [Theory]
    [InlineData(8, 0, 2, 2, "no pixel inside the 8×4 image")]
    [InlineData(-3, 0, 3, 2, "no pixel inside the 8×4 image")]
    [InlineData(0, 4, 2, 2, "no pixel inside the 8×4 image")]
    [InlineData(0, 0, 0, 2, "has no area")]
    [InlineData(0, 0, 2, -1, "has no area")]
    public void Box_with_nothing_inside_the_image_is_an_error_giving_both(int x, int y, int w, int h, string message) =>
        Assert.Throws<ArgumentException>(() => Region.Box(x, y, w, h).Rasterize(8, 4)).Message.Should().Contain(message).And.Contain($"box (x {x}, y {y}, {w}×{h})");

    [Fact]
    public void Relative_box_with_nothing_inside_is_an_error() =>
        Assert.Throws<ArgumentException>(() => Region.Relative(1.0, 0, 0.5, 0.5).Rasterize(8, 8)).Message.Should().Contain("no pixel inside the image");

    [Fact]
    public void Mask_from_a_png_is_bright_and_opaque_pixels()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mask-{Guid.NewGuid():N}.png");
        try
        {
            new CamAssert.Imaging.CamImage(3, 2, 2, [1, 1, 1, 0, 0, 1, 0.9f, 1, 1, 1, 0.2f, 1]).Save(path);
            var mask = Region.Mask(path).Rasterize(3, 2);
            mask.Should().Equal(true, false, false, true, true, false);
            Assert.Throws<ArgumentException>(() => Region.Mask(path).Rasterize(4, 4)).Message.Should().Contain("is 3×2 but the image is 4×4");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Energy_share_is_mass_inside_over_total()
    {
        float[] map = [1, 1, 2, 0];
        Localization.EnergyShare(map, [true, false, true, false]).Should().Be(0.75);
        Localization.EnergyShare(new float[4], [true, true, true, true]).Should().Be(0);
    }

    [Fact]
    public void Pointing_game_counts_any_tied_maximum()
    {
        float[] map = [1, 0, 0, 1];
        Localization.PeakInside(map, [false, false, false, true], 2).Should().BeTrue();
        Localization.PeakInside(map, [false, true, true, false], 2).Should().BeFalse();
    }

    [Fact]
    public void Largest_component_box_follows_the_gradcam_paper()
    {
        var map = new float[10 * 10];
        for (int y = 2; y < 5; y++) for (int x = 2; x < 6; x++) map[y * 10 + x] = 1;   // 12 px blob
        map[9 * 10 + 9] = 0.9f;                                                         // 1 px, also above 15 %
        map[0] = 0.1f;                                                                  // below 15 %
        Localization.LargestComponentBox(map, 10, 10).Should().Be((2, 2, 4, 3));
        Localization.BoxIoU((2, 2, 4, 3), (2, 2, 4, 6)).Should().Be(0.5);
    }

    [Fact]
    public void Centre_of_mass_and_description()
    {
        float[] map = [0, 0, 0, 0, 0, 0, 0, 0, 4];
        Localization.CentreOfMass(map, 3).Should().Be((2.0, 2.0));
        Localization.Describe(2, 2, 3, 3).Should().Be("bottom-right");
        Localization.Describe(1, 0, 3, 3).Should().Be("top");
        Localization.Describe(1, 1, 3, 3).Should().Be("centre");
    }

    [Fact]
    public void Top_share_counts_the_brightest_pixels()
    {
        float[] map = [5, 4, 3, 2, 1, 0, 0, 0, 0, 0];
        Localization.TopShareInside(map, [true, false, true, false, false, false, false, false, false, false], 20).Should().Be(0.5);
    }

    [Fact]
    public void Comparison_of_maps()
    {
        float[] a = [0, 0.5f, 1, 0.2f, 0, 0, 0, 0.1f, 0.3f, 0.9f];
        var same = HeatmapComparison.Of(a, a);
        same.Pearson.Should().BeApproximately(1, 1e-12);
        same.MaxAbsDifference.Should().Be(0);
        same.TopIoU.Should().Be(1);
        var moved = HeatmapComparison.Of(a, a.Reverse().ToArray());
        moved.Pearson.Should().BeLessThan(0.5);
        moved.MaxAbsDifference.Should().BeApproximately(0.9, 1e-6);
        moved.TopIoU.Should().BeLessThan(1);
    }
}
