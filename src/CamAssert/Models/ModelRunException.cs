namespace CamAssert.Models;

/// <summary>
/// Thrown when running a model fails at a node (shapes that do not fit at run time, an index
/// out of range in the data); the message names the node, its operator and the input shapes.
/// </summary>
public sealed class ModelRunException(string message, Exception? inner = null) : Exception(message, inner);
