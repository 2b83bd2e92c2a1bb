namespace CamAssert.Cam;

/// <summary>Thrown when a CAM cannot be computed as asked (a layer with no spatial extent, NaN in the activations, a target that does not fit the batch). The message says what to do.</summary>
public sealed class CamException(string message) : Exception(message);
