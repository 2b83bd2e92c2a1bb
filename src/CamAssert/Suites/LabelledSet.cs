using CamAssert.Suites.Formats;

namespace CamAssert.Suites;

/// <summary>
/// A folder of labelled validation images: every image with its objects (class, box, outline).
/// Read from the formats teams already keep: COCO JSON, Pascal VOC XML, YOLO txt, or a folder of
/// per-image class masks. Only annotations are held; images are read one at a time when scored.
/// </summary>
public sealed class LabelledSet
{
    internal LabelledSet(string name, string source, IReadOnlyList<string> classes, IReadOnlyList<LabelledImage> images)
        => (Name, Source, Classes, Images) = (name, source, classes, images);

    /// <summary>The set's name, used in messages and as its golden folder (<c>golden/&lt;name&gt;/</c>).</summary>
    public string Name { get; }

    /// <summary>The annotation file or folder the set was read from.</summary>
    public string Source { get; }

    /// <summary>The class names the annotations declare (every object's class is one of them).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The images, in the annotations' order.</summary>
    public IReadOnlyList<LabelledImage> Images { get; }

    /// <summary>The same set under another name (its golden folder follows the name).</summary>
    public LabelledSet Named(string name) => new(name, Source, Classes, Images);

    /// <summary>
    /// Reads COCO annotations (<c>instances_*.json</c>): images, categories by name, boxes, and polygon
    /// or RLE segmentation (uncompressed counts or the compressed string). Images are looked up in
    /// <paramref name="imagesDirectory"/>, by default an <c>images/</c> folder beside the file, else the file's folder.
    /// </summary>
    /// <exception cref="AnnotationException">An entry is malformed, names an unknown image or category, reaches past its image, or its image file is missing.</exception>
    public static LabelledSet FromCoco(string annotationFile, string? imagesDirectory = null, string? name = null) =>
        CocoReader.Read(annotationFile, imagesDirectory, name);

    /// <summary>
    /// Reads Pascal VOC XML files (one per image, as in <c>Annotations/</c>), boxes in VOC's 1-based
    /// inclusive pixel coordinates. Images are looked up by each file's <c>&lt;filename&gt;</c> in
    /// <paramref name="imagesDirectory"/>. With <paramref name="classes"/>, any other class name is an error.
    /// </summary>
    /// <exception cref="AnnotationException">A file is malformed, names an unknown class, a box reaches past its image, or the image is missing.</exception>
    public static LabelledSet FromVoc(string annotationsDirectory, string imagesDirectory, IReadOnlyList<string>? classes = null, string? name = null) =>
        VocReader.Read(annotationsDirectory, imagesDirectory, classes, name);

    /// <summary>
    /// Reads YOLO labels: one <c>.txt</c> per image, lines <c>class cx cy w h</c> with the box as fractions
    /// of the image, class indices into <c>classes.txt</c> (in the labels folder unless given). The image
    /// with the same name (.png, .jpg, .jpeg) is looked up in <paramref name="imagesDirectory"/>.
    /// </summary>
    /// <exception cref="AnnotationException">A line is malformed, its class index is out of range, its box leaves [0, 1], or the image is missing.</exception>
    public static LabelledSet FromYolo(string labelsDirectory, string imagesDirectory, string? classesFile = null, string? name = null) =>
        YoloReader.Read(labelsDirectory, imagesDirectory, classesFile, name);

    /// <summary>
    /// Reads a folder of per-image class masks: <c>&lt;image name&gt;.png</c>, 8-bit gray, value k (1..N) marks
    /// class k of <c>classes.txt</c> (line k, in the masks folder unless given), 0 the background and 255
    /// "ignore" (VOC's void). Each class present in a mask is one object, its box the mask's bounds.
    /// </summary>
    /// <exception cref="AnnotationException">A mask has a value with no class, or its image is missing or another size.</exception>
    public static LabelledSet FromMasks(string masksDirectory, string imagesDirectory, string? classesFile = null, string? name = null) =>
        MaskFolderReader.Read(masksDirectory, imagesDirectory, classesFile, name);

    /// <summary>
    /// Reads a set in whichever format <paramref name="path"/> holds: a .json file (or a folder with
    /// annotations.json) is COCO; a folder of .xml is Pascal VOC (images in a JPEGImages/ or images/
    /// folder beside it); a folder with classes.txt and .txt labels is YOLO, with classes.txt and .png
    /// masks a mask folder (images in an images/ folder beside it). <paramref name="imagesDirectory"/> overrides.
    /// </summary>
    /// <exception cref="AnnotationException">The format is not recognised, or the annotations are bad.</exception>
    public static LabelledSet Load(string path, string? imagesDirectory = null, string? name = null) =>
        SetLayout.Load(path, imagesDirectory, name);

    /// <summary>Number of (image, class) targets over the set.</summary>
    public int TargetCount => Images.Sum(i => i.Classes.Count);

    /// <inheritdoc/>
    public override string ToString() => $"set '{Name}' ({Images.Count} images, {TargetCount} targets, from {Source})";
}
