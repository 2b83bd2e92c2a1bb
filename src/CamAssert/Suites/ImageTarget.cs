using CamAssert.Heatmaps;

namespace CamAssert.Suites;

/// <summary>
/// One class of one image, as attention is scored: the union of that class's boxes (the pointing
/// game's "box": a peak in any of them is a hit) and of its outlines (the box where there is none).
/// An image with two circles and a square has two targets.
/// </summary>
/// <param name="ClassName">The class.</param>
/// <param name="Boxes">Every box of the class in the image.</param>
/// <param name="Objects">The objects behind the boxes.</param>
public sealed record ImageTarget(string ClassName, IReadOnlyList<ObjectBox> Boxes, IReadOnlyList<LabelledObject> Objects)
{
    /// <summary>The union of the boxes.</summary>
    public Region BoxRegion => Boxes.Skip(1).Aggregate(Boxes[0].ToRegion(), (r, b) => r.Union(b.ToRegion()));

    /// <summary>The union of the objects' outlines, each object's box where it has none.</summary>
    public Region ObjectRegion => Objects.Select((o, i) => o.Segmentation ?? Boxes[i].ToRegion()).Aggregate((a, b) => a.Union(b));

    /// <summary>Whether any object of the class has an outline beyond its box.</summary>
    public bool HasSegmentation => Objects.Any(o => o.Segmentation is not null);
}
