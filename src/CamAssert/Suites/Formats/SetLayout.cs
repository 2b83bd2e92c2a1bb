namespace CamAssert.Suites.Formats;

/// <summary>Tells the annotation format from what is on disk, and finds the images where each format's usual layout keeps them.</summary>
internal static class SetLayout
{
    public static LabelledSet Load(string path, string? imagesDirectory, string? name)
    {
        if (File.Exists(path))
        {
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return CocoReader.Read(path, imagesDirectory, name);
            throw new AnnotationException(path, "", "a set given as a file must be COCO annotations (.json). For VOC, YOLO or class masks give their folder.");
        }
        if (!Directory.Exists(path)) throw new AnnotationException(path, "", "there is no such file or folder. Give COCO annotations (.json) or a folder of VOC, YOLO or mask annotations.");
        if (File.Exists(Path.Combine(path, "annotations.json"))) return CocoReader.Read(Path.Combine(path, "annotations.json"), imagesDirectory, name);
        if (Directory.EnumerateFiles(path, "*.xml").Any()) return VocReader.Read(path, imagesDirectory ?? Beside(path, "JPEGImages", "images"), null, name);
        bool classes = File.Exists(Path.Combine(path, "classes.txt"));
        if (classes && Directory.EnumerateFiles(path, "*.txt").Any(f => Path.GetFileName(f) != "classes.txt"))
            return YoloReader.Read(path, imagesDirectory ?? Beside(path, "images"), null, name);
        if (classes && Directory.EnumerateFiles(path, "*.png").Any())
            return MaskFolderReader.Read(path, imagesDirectory ?? Beside(path, "images"), null, name);
        throw new AnnotationException(path, "", "the folder holds no annotations.json (COCO), no .xml (Pascal VOC), and no classes.txt with .txt labels (YOLO) or .png class masks. Give one of these.");
    }

    /// <summary>A sibling folder of the annotations (VOC: Annotations/ beside JPEGImages/; YOLO: labels/ beside images/), else the annotation folder itself.</summary>
    private static string Beside(string directory, params string[] names)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));
        foreach (var n in names)
            if (parent is not null && Directory.Exists(Path.Combine(parent, n))) return Path.Combine(parent, n);
        return directory;
    }
}
