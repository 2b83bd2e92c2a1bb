using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Tests.Imaging;

/// <summary>Overlay maths (show_cam_on_image's blend), outlines and panels.</summary>
public class OverlayTests
{
    private static CamImage Gray(int w, int h, float v) => CamImage.FromRgb(w, h, (_, _) => (v, v, v));

    [Fact]
    public void Blends_like_show_cam_on_image()
    {
        // white image, value 1 → jet's last entry (0.5, 0, 0): 0.5·1 + 0.5·colour.
        Overlay.Render([1f], 1, 1, Gray(1, 1, 1f)).Pixels.Should().Equal(0.75f, 0.5f, 0.5f);
        // (0.2, 0.4, 0.6) with value 0 → jet's first entry (0, 0, 0.5), alpha 0.3: 0.7·image + 0.3·colour.
        var o = Overlay.Render([0f], 1, 1, CamImage.FromRgb(1, 1, [0.2f, 0.4f, 0.6f]), ColorMap.Jet, 0.3f);
        o.Pixels.Should().BeEquivalentTo(new[] { 0.14f, 0.28f, 0.57f }, opts => opts.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
    }

    [Fact]
    public void Clips_to_0_1()
    {
        var bright = new CamImage(1, 1, 3, [3f, 3f, -2f]);
        Overlay.Render([1f], 1, 1, bright).Pixels.Should().Equal(1f, 1f, 0f);
    }

    [Fact]
    public void Without_an_image_shows_the_colour_map_alone()
    {
        var (r, g, b) = ColorMap.Viridis.Map(0.25f);
        Overlay.Render([0.25f], 1, 1, colorMap: ColorMap.Viridis).Pixels.Should().Equal(r, g, b);
    }

    [Fact]
    public void Alpha_0_is_the_image_and_1_the_map()
    {
        var image = CamImage.FromRgb(1, 1, [0.1f, 0.2f, 0.3f]);
        Overlay.Render([0.9f], 1, 1, image, alpha: 0f).Pixels.Should().Equal(0.1f, 0.2f, 0.3f);
        var (r, g, b) = ColorMap.Jet.Map(0.9f);
        Overlay.Render([0.9f], 1, 1, image, alpha: 1f).Pixels.Should().Equal(r, g, b);
    }

    [Fact]
    public void A_2d_map_is_indexed_y_then_x()
    {
        float[,] map = { { 0f, 0.5f, 1f }, { 1f, 0.25f, 0f } };
        var image = Gray(3, 2, 0.5f);
        Overlay.Render(map, image).Pixels.Should().Equal(Overlay.Render([0f, 0.5f, 1f, 1f, 0.25f, 0f], 3, 2, image).Pixels);
    }

    [Fact]
    public void The_image_is_resized_to_the_map()
    {
        var o = Overlay.Render(new float[16], 4, 4, Gray(2, 2, 1f), alpha: 0f);
        (o.Width, o.Height).Should().Be((4, 4));
        o.Pixels.Should().OnlyContain(v => v == 1f);
    }

    [Fact]
    public void Bad_arguments_are_explained()
    {
        var act = () => Overlay.Render(new float[5], 2, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*5 values*2×2 needs 4*");
        var alpha = () => Overlay.Render(new float[4], 2, 2, alpha: 1.5f);
        alpha.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*alpha is 1.5*0 (image only) to 1 (map only)*");
    }

    [Fact]
    public void Box_outline_is_white_inside_the_edge_and_black_just_outside()
    {
        var o = Overlay.Outline(Gray(8, 8, 0.5f), x: 2, y: 2, width: 4, height: 3);
        o[2, 2, 0].Should().Be(1f, "top-left corner");
        o[5, 4, 0].Should().Be(1f, "bottom-right corner");
        o[3, 3, 0].Should().Be(0.5f, "the inside stays");
        o[1, 3, 0].Should().Be(0f, "just left of the box");
        o[6, 3, 0].Should().Be(0f, "just right of the box");
        o[3, 5, 0].Should().Be(0f, "just below the box");
        o[0, 0, 0].Should().Be(0.5f, "far outside stays");
    }

    [Fact]
    public void Render_draws_the_box_when_given()
    {
        var withBox = Overlay.Render(new float[64], 8, 8, Gray(8, 8, 0.5f), box: (1, 1, 3, 3));
        withBox.Pixels.Should().Equal(Overlay.Outline(Overlay.Render(new float[64], 8, 8, Gray(8, 8, 0.5f)), 1, 1, 3, 3).Pixels);
    }

    [Fact]
    public void A_box_past_the_edge_is_clipped()
    {
        var o = Overlay.Outline(Gray(4, 4, 0.5f), 2, 2, 10, 10);
        o[3, 3, 0].Should().Be(1f, "the image edge is the box's edge");
        o[1, 2, 0].Should().Be(0f);
    }

    [Fact]
    public void Region_outline_marks_the_region_border_only()
    {
        var o = Overlay.Outline(new CamImage(6, 6, 3, new float[108]), Region.Box(1, 1, 4, 4));
        o[1, 1, 0].Should().Be(1f);
        o[2, 2, 0].Should().Be(0f, "the inside stays as it was");
    }

    [Fact]
    public void Side_by_side_places_panels_with_a_gap_on_dark_grey()
    {
        var a = Gray(2, 2, 1f);
        var tall = Gray(3, 5, 0f);
        var s = Overlay.SideBySide(a, tall, CamImage.FromGray(1, 1, [0.6f]));
        (s.Width, s.Height).Should().Be((2 + 4 + 3 + 4 + 1, 5));
        s[0, 0, 0].Should().Be(1f);
        s[3, 0, 0].Should().Be(0.2f, "the gap");
        s[0, 4, 0].Should().Be(0.2f, "below the shorter panel");
        s[6, 4, 0].Should().Be(0f, "the tall panel");
        s[13, 0, 2].Should().Be(0.6f, "the gray panel made RGB");
        var none = () => Overlay.SideBySide();
        none.Should().Throw<ArgumentException>().WithMessage("*at least one panel*");
    }

    [Fact]
    public void Enlarge_repeats_pixels_by_a_whole_factor()
    {
        var e = Overlay.Enlarge(CamImage.FromGray(2, 1, [0f, 1f]), minHeight: 3);
        (e.Width, e.Height).Should().Be((6, 3));
        e.Pixels.Should().Equal(0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 1f, 1f, 1f);
    }
}
