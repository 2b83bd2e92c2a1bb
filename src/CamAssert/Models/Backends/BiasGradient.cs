namespace CamAssert.Models.Backends;

/// <summary>
/// One layer that adds a bias per channel (a 2-D convolution with a bias, or a batch normalisation): its name,
/// that bias, and the gradient of the pass's score at the layer's output (NCHW). FullGrad sums |bias ⊙ gradient|.
/// </summary>
/// <param name="Layer">The framework's name of the layer (for ONNX, the node's name).</param>
/// <param name="Bias">The bias per channel (for a batch normalisation, β − mean·γ/√(var + ε)).</param>
/// <param name="Gradient">∂(Σ seed ⊙ output)/∂(the layer's output), [N, C, H, W].</param>
public sealed record BiasGradient(string Layer, float[] Bias, Tensor Gradient);
