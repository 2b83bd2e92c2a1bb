namespace CamAssert.Examples;

/// <summary>
/// The attention requirements of the shapes classifier, written once and run against any model
/// that claims to be one: the suite runs them on the trained model (they pass) and on the
/// shortcut model (they must fail, naming the watermark corner).
/// </summary>
public static class AttentionChecks
{
    /// <summary>Most of the evidence for the labelled class lies on the object, and the peak is on it.</summary>
    public static void EvidenceComesFromTheObject(CamModel model, Shapes.Picture picture)
    {
        var cam = model.GradCam(picture.Load(), Target.Class(picture.Label));
        cam.Should().NotBeDegenerate()
            .And.HaveEnergyIn(Grown(picture.Box)).AtLeast(0.4, "the {0} is what makes it a {0}", picture.Label)
            .And.PeakIn(Grown(picture.Box), "the strongest evidence sits on the object");
    }

    /// <summary>Nothing much comes from the image corners, where watermarks and logos live.</summary>
    public static void CornersCarryLittleEvidence(CamModel model, Shapes.Picture picture)
    {
        var cam = model.GradCam(picture.Load(), Target.Class(picture.Label));
        var corners = Region.Box(0, 0, 12, 12).Union(Region.Box(52, 0, 12, 12)).Union(Region.Box(0, 52, 12, 12)).Union(Region.Box(52, 52, 12, 12));
        cam.Should().NotHaveEnergyIn(corners).MoreThan(0.2, "a corner watermark must not decide the class");
    }

    /// <summary>The object box with a 4-pixel margin: Grad-CAM at 1/4 resolution blurs edges by that much.</summary>
    public static Region Grown(Region box)
    {
        var (x, y, w, h) = box.Bounds(64, 64)!.Value;
        return Region.Box(x - 4, y - 4, w + 8, h + 8);   // clipped to the image where it reaches past an edge
    }
}
