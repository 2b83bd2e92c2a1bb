using CamAssert.Heatmaps;

namespace CamAssert.Suites;

/// <summary>
/// How one image target's map moved from the baseline (accepted model or golden map) to the
/// candidate: correlation, overlap of the top-20 % pixels, how far the peak moved, and the change of
/// the energy in the class's boxes and of the pointing game.
/// </summary>
/// <param name="ImageIndex">The image's position in the set.</param>
/// <param name="Image">The image's name.</param>
/// <param name="ClassName">The target class.</param>
/// <param name="Pearson">Pearson correlation of the two maps.</param>
/// <param name="TopIoU">IoU of the two maps' top-20 % masks.</param>
/// <param name="PeakShift">Distance between the two maps' (first) maxima, as a share of the image's diagonal.</param>
/// <param name="EnergyInBoxBaseline">Baseline's share of energy in the boxes.</param>
/// <param name="EnergyInBoxCandidate">Candidate's share of energy in the boxes.</param>
/// <param name="PeakInBoxBaseline">Baseline's pointing game hit.</param>
/// <param name="PeakInBoxCandidate">Candidate's pointing game hit.</param>
public sealed record TargetDrift(int ImageIndex, string Image, string ClassName, double Pearson, double TopIoU, double PeakShift,
    double EnergyInBoxBaseline, double EnergyInBoxCandidate, bool PeakInBoxBaseline, bool PeakInBoxCandidate)
{
    /// <summary>Candidate's energy in the boxes minus the baseline's (negative: attention left the objects).</summary>
    public double EnergyChange => EnergyInBoxCandidate - EnergyInBoxBaseline;

    /// <summary>"circle in circle_03.png".</summary>
    public string Name => $"{ClassName} in {Image}";

    /// <summary>Compares two maps of one target, both at the image's size (<paramref name="size"/>).</summary>
    public static TargetDrift Of(int imageIndex, LabelledImage image, ImageTarget target, float[] baseline, float[] candidate, MapSize size)
    {
        var c = HeatmapComparison.Of(baseline, candidate);
        var box = target.BoxRegion.Rasterize(size.Width, size.Height);
        var (bx, by) = Localization.Peaks(baseline, size.Width)[0];
        var (cx, cy) = Localization.Peaks(candidate, size.Width)[0];
        double shift = Math.Sqrt((double)(bx - cx) * (bx - cx) + (double)(by - cy) * (by - cy)) / Math.Sqrt((double)size.Width * size.Width + (double)size.Height * size.Height);
        return new TargetDrift(imageIndex, image.Name, target.ClassName, c.Pearson, c.TopIoU, shift,
            Localization.EnergyShare(baseline, box), Localization.EnergyShare(candidate, box),
            Localization.PeakInside(baseline, box, size.Width), Localization.PeakInside(candidate, box, size.Width));
    }
}
