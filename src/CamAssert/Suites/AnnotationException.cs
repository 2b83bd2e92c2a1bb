namespace CamAssert.Suites;

/// <summary>
/// Thrown when a labelled set's annotations cannot be used. The message names the file, the entry
/// (annotation id, object, line) and what is wrong, and says what to do:
/// "Annotations 'val/annotations.json', annotation 7 (image 'cat.png'): the box (x 60, y 2, 10×10) reaches past the 64×64 image …".
/// </summary>
public sealed class AnnotationException : Exception
{
    /// <summary>Creates the exception for <paramref name="entry"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The annotation file (or image, or mask) at fault.</param>
    /// <param name="entry">The entry in it, e.g. "annotation 7 (image 'cat.png')"; empty for the whole file.</param>
    /// <param name="problem">What is wrong and what to do, as the end of a sentence.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AnnotationException(string file, string entry, string problem, Exception? inner = null)
        : base($"Annotations '{file}'{(entry.Length > 0 ? ", " + entry : "")}: {problem}", inner)
        => (FilePath, Entry, Problem) = (file, entry, problem);

    /// <summary>The annotation file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The entry in the file ("annotation 7 (image 'cat.png')", "line 3"); empty for the whole file.</summary>
    public string Entry { get; }

    /// <summary>The problem alone.</summary>
    public string Problem { get; }
}
