using CamAssert.Engine;
using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Tests.Imaging;

public class PicturesTests
{
    [Fact]
    public void Jet_runs_from_dark_blue_to_dark_red()
    {
        ColorMap.Jet.Map(0).Should().Be((0f, 0f, 0.5f));
        ColorMap.Jet.Map(1).Should().Be((0.5f, 0f, 0f));
        var mid = ColorMap.Jet.Map(0.5f);
        mid.G.Should().Be(1f);
    }

    [Fact]
    public void Turbo_and_viridis_stay_in_range_and_differ_at_the_ends()
    {
        foreach (var map in new[] { ColorMap.Turbo, ColorMap.Viridis })
        {
            for (float v = 0; v <= 1; v += 0.05f)
            {
                var (r, g, b) = map.Map(v);
                new[] { r, g, b }.Should().OnlyContain(c => c >= 0 && c <= 1);
            }
            map.Map(0).Should().NotBe(map.Map(1));
        }
        ColorMap.Viridis.Map(0).R.Should().BeApproximately(0.267f, 0.02f);
        ColorMap.Viridis.Map(1).G.Should().BeApproximately(0.906f, 0.02f);
    }

    [Fact]
    public void Bilinear_upscale_uses_half_pixel_centres_clamped_at_edges()
    {
        // 2×2 → 4×4 as OpenCV INTER_LINEAR / torch align_corners=False: row 0 is [a, .75a+.25b, .25a+.75b, b].
        var r = Resample.Bilinear([0f, 4f, 8f, 12f], 2, 2, 4, 4);
        r[..4].Should().Equal(0f, 1f, 3f, 4f);
        r[4..8].Should().Equal(2f, 3f, 5f, 6f);
        r[12..].Should().Equal(8f, 9f, 11f, 12f);
    }

    [Fact]
    public void Align_corners_maps_corners_onto_corners()
    {
        var r = Resample.Bilinear([0f, 3f], 1, 2, 1, 4, alignCorners: true);
        r.Should().Equal(0f, 1f, 2f, 3f);
    }

    [Fact]
    public void Overlay_blends_like_show_cam_on_image()
    {
        var image = new CamImage(1, 1, 3, [1f, 1f, 1f]);
        var o = Overlay.Render([1f], 1, 1, image, ColorMap.Jet, 0.5f);
        o.Pixels.Should().Equal(0.75f, 0.5f, 0.5f);
    }

    [Fact]
    public void Outline_marks_the_region_border_only()
    {
        var image = new CamImage(6, 6, 3, new float[108]);
        var o = Overlay.Outline(image, Region.Box(1, 1, 4, 4));
        o[1, 1, 0].Should().Be(1f);
        o[2, 2, 0].Should().Be(0f, "the inside stays as it was");
    }

    [Fact]
    public void Side_by_side_places_panels_with_a_gap()
    {
        var a = new CamImage(2, 2, 3, Enumerable.Repeat(1f, 12).ToArray());
        var s = Overlay.SideBySide(a, a, a);
        s.Width.Should().Be(2 * 3 + 4 * 2);
        s[0, 0, 0].Should().Be(1f);
        s[3, 0, 0].Should().Be(0.2f);
    }

    [Fact]
    public void Preprocessing_makes_nchw_or_nhwc_with_mean_and_std()
    {
        var img = new CamImage(2, 1, 3, [0.5f, 0.25f, 1f, 0f, 0f, 0f]);
        var t = new Preprocessing { Mean = [0.5f, 0, 0], Std = [0.5f, 1, 1] }.ToTensor(img, 2, 1);
        t.Shape.Should().Equal(1, 3, 1, 2);
        t.F.Should().Equal(0f, -1f, 0.25f, 0f, 1f, 0f);
        var bgr = new Preprocessing { Bgr = true }.ToTensor(img, 2, 1, channelsLast: true);
        bgr.Shape.Should().Equal(1, 1, 2, 3);
        bgr.F[..3].Should().Equal(1f, 0.25f, 0.5f);
    }
}
