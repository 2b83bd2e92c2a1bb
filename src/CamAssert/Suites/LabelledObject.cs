using CamAssert.Heatmaps;

namespace CamAssert.Suites;

/// <summary>
/// One labelled object of an image: its class, its box and, when the annotations have one, its
/// segmentation (polygon, RLE or mask), with where it was read from for error messages.
/// </summary>
public sealed class LabelledObject
{
    private readonly Func<MapSize, ObjectBox> _box;

    internal LabelledObject(string className, string file, string entry, Func<MapSize, ObjectBox> box, Region? segmentation)
        => (ClassName, File, Entry, _box, Segmentation) = (className, file, entry, box, segmentation);

    /// <summary>The object's class name, as the annotations name it.</summary>
    public string ClassName { get; }

    /// <summary>The annotation file the object was read from.</summary>
    public string File { get; }

    /// <summary>The entry in that file: "annotation 7", "object 2", "line 3".</summary>
    public string Entry { get; }

    /// <summary>The object's own outline (polygon, RLE or mask) when the annotations give one; null for boxes only.</summary>
    public Region? Segmentation { get; }

    /// <summary>The object's box in pixels of an image of <paramref name="imageSize"/> (YOLO boxes are fractions of the image).</summary>
    /// <exception cref="AnnotationException">The box has no area or reaches past the image.</exception>
    public ObjectBox BoxIn(MapSize imageSize)
    {
        var box = _box(imageSize);
        if (!box.FitsIn(imageSize))
            throw new AnnotationException(File, Entry, $"the {ClassName} {box} {(box.Width <= 0 || box.Height <= 0 ? "has no area" : "reaches past the " + imageSize + " image")}. Fix the box so that it lies within columns 0 to {imageSize.Width - 1} and rows 0 to {imageSize.Height - 1}.");
        return box;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ClassName} ({File}, {Entry})";
}
