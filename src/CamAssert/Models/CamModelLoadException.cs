namespace CamAssert.Models;

/// <summary>
/// Thrown when a model file cannot be loaded: missing, empty, truncated, not ONNX, or holding
/// something the engine cannot run. The message names the file and what is wrong with it.
/// </summary>
public sealed class CamModelLoadException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public CamModelLoadException(string path, string problem, Exception? inner = null)
        : base($"Cannot load model '{path}': {problem}", inner)
    {
        ModelPath = path;
        Problem = problem;
    }

    /// <summary>The file that failed to load.</summary>
    public string ModelPath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
