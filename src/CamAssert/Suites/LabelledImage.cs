using CamAssert.Heatmaps;
using CamAssert.Imaging;

namespace CamAssert.Suites;

/// <summary>An image of a labelled set and its objects. The pixels are read when asked for (<see cref="Load"/>), never kept.</summary>
public sealed class LabelledImage
{
    internal LabelledImage(string path, string name, MapSize? declaredSize, IReadOnlyList<LabelledObject> objects, string annotationFile)
        => (Path, Name, DeclaredSize, Objects, AnnotationFile) = (path, name, declaredSize, objects, annotationFile);

    /// <summary>The image file.</summary>
    public string Path { get; }

    /// <summary>The image's name in the set (its file name, as the annotations give it).</summary>
    public string Name { get; }

    /// <summary>The size the annotations declare for the image, when they do (COCO, VOC).</summary>
    public MapSize? DeclaredSize { get; }

    /// <summary>The labelled objects, in the annotations' order.</summary>
    public IReadOnlyList<LabelledObject> Objects { get; }

    /// <summary>The annotation file the image's objects were read from.</summary>
    public string AnnotationFile { get; }

    /// <summary>Reads the image.</summary>
    /// <exception cref="ImageFormatException">The image cannot be read.</exception>
    /// <exception cref="AnnotationException">The image is not the size the annotations declare.</exception>
    public CamImage Load()
    {
        var image = CamImage.Load(Path);
        if (DeclaredSize is { } size && (size.Width != image.Width || size.Height != image.Height))
            throw new AnnotationException(AnnotationFile, $"image '{Name}'", $"the annotations declare it {size} but the file is {image.Width}×{image.Height}. Fix the width and height in the annotations, or the image.");
        return image;
    }

    /// <summary>The image's targets, one per class in order of first appearance, with boxes resolved for an image of <paramref name="size"/>.</summary>
    /// <exception cref="AnnotationException">A box reaches past the image.</exception>
    public IReadOnlyList<ImageTarget> TargetsIn(MapSize size) =>
        Objects.GroupBy(o => o.ClassName, StringComparer.Ordinal)
            .Select(g => new ImageTarget(g.Key, g.Select(o => o.BoxIn(size)).ToArray(), g.ToArray()))
            .ToArray();

    /// <summary>The classes present, in order of first appearance.</summary>
    public IReadOnlyList<string> Classes => Objects.Select(o => o.ClassName).Distinct(StringComparer.Ordinal).ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Objects.Count} object{(Objects.Count == 1 ? "" : "s")})";
}
