namespace CamAssert.Suites.Formats;

/// <summary>What the readers share: image lookup, class lists, set names.</summary>
internal static class SetFiles
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>The image file named <paramref name="fileName"/> in <paramref name="directory"/>, or an error naming the annotation entry.</summary>
    public static string RequireImage(string directory, string fileName, string annotationFile, string entry)
    {
        string path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
            throw new AnnotationException(annotationFile, entry, $"its image '{fileName}' is not in '{directory}'. Add the image, remove the entry, or give the images folder.");
        return path;
    }

    /// <summary>The image with stem <paramref name="stem"/> and any image extension in <paramref name="directory"/>.</summary>
    public static string RequireImageWithStem(string directory, string stem, string annotationFile)
    {
        foreach (var ext in ImageExtensions)
        {
            string path = Path.Combine(directory, stem + ext);
            if (File.Exists(path)) return path;
        }
        throw new AnnotationException(annotationFile, "", $"there is no image '{stem}' ({string.Join(", ", ImageExtensions)}) in '{directory}'. Add the image or remove the annotation file.");
    }

    /// <summary>Class names, one per line (blank lines ignored).</summary>
    public static IReadOnlyList<string> ReadClasses(string file)
    {
        if (!File.Exists(file))
            throw new AnnotationException(file, "", "the class list is missing. Write the class names there, one per line in class-index order, or pass the classes file.");
        var names = File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length == 0) throw new AnnotationException(file, "", "the class list is empty. Write the class names, one per line in class-index order.");
        return names;
    }

    public static void RequireDirectory(string directory, string what)
    {
        if (!Directory.Exists(directory))
            throw new AnnotationException(directory, "", $"the {what} folder does not exist. Give the folder that holds the {what}.");
    }

    /// <summary>A set's default name: the annotation file's folder ("val" for val/annotations.json), or the annotation folder's own name.</summary>
    public static string DefaultName(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string? n = File.Exists(full) ? Path.GetFileName(Path.GetDirectoryName(full)) : Path.GetFileName(full);
        return string.IsNullOrEmpty(n) ? "set" : n;
    }

    /// <summary>Files of <paramref name="pattern"/> in ordinal order, so that every machine reads a set in the same order.</summary>
    public static string[] Sorted(string directory, string pattern) =>
        Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal).ToArray();
}
