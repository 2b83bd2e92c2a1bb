using CamAssert.Heatmaps;

namespace CamAssert.Suites;

/// <summary>Where one model's map of one image target puts its attention, scored against the target's boxes and outline.</summary>
/// <param name="ImageIndex">The image's position in the set.</param>
/// <param name="Image">The image's name.</param>
/// <param name="ImagePath">The image file.</param>
/// <param name="ClassName">The target class.</param>
/// <param name="Boxes">The class's boxes in the image.</param>
/// <param name="EnergyInBox">Share of the map's energy inside the boxes (energy-based pointing game).</param>
/// <param name="EnergyInObject">Share inside the objects' outlines (the boxes where there is none).</param>
/// <param name="PeakInBox">Pointing game: a maximum of the map lies in a box.</param>
/// <param name="Peak">The map's (first) maximum, (x, y).</param>
/// <param name="DegenerateReason">Why the map is degenerate (then nothing is a hit), or null.</param>
public sealed record TargetAttention(int ImageIndex, string Image, string ImagePath, string ClassName, IReadOnlyList<ObjectBox> Boxes,
    double EnergyInBox, double EnergyInObject, bool PeakInBox, (int X, int Y) Peak, string? DegenerateReason)
{
    /// <summary>Scores <paramref name="map"/> (at its image's size) against <paramref name="target"/>.</summary>
    public static TargetAttention Of(int imageIndex, LabelledImage image, ImageTarget target, Heatmap map)
    {
        var values = map.AtImageSize();
        int w = map.ImageWidth, h = map.ImageHeight;
        var box = target.BoxRegion.Rasterize(w, h);
        var outline = target.HasSegmentation ? target.ObjectRegion.Rasterize(w, h) : box;
        bool ok = !map.IsDegenerate;
        return new TargetAttention(imageIndex, image.Name, image.Path, target.ClassName, target.Boxes,
            ok ? Localization.EnergyShare(values, box) : 0, ok ? Localization.EnergyShare(values, outline) : 0,
            ok && Localization.PeakInside(values, box, w), Localization.Peaks(values, w)[0], map.DegenerateReason);
    }

    /// <summary>"circle in circle_03.png".</summary>
    public string Name => $"{ClassName} in {Image}";
}
