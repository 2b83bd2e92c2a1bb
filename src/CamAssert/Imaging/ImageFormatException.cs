namespace CamAssert.Imaging;

/// <summary>
/// Thrown when an image file cannot be read. The message names the file, says what is wrong
/// with it and what to do: "Cannot read image 'cat.png': the IDAT chunk at byte 57 has a bad CRC …".
/// </summary>
/// <param name="path">The file that could not be read.</param>
/// <param name="problem">What is wrong and what to do, as the end of a sentence.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class ImageFormatException(string path, string problem, Exception? inner = null)
    : Exception($"Cannot read image '{path}': {problem}", inner)
{
    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; } = path;

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; } = problem;
}
