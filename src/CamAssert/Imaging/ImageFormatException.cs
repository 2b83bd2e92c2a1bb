namespace CamAssert.Imaging;

/// <summary>Thrown when an image file cannot be read; the message names the file and what is wrong with it.</summary>
public sealed class ImageFormatException(string path, string problem, Exception? inner = null)
    : Exception($"Cannot read image '{path}': {problem}", inner)
{
    /// <summary>The file that failed to decode.</summary>
    public string FilePath { get; } = path;
}
