namespace CamAssert.Models.Backends;

/// <summary>How a backward pass to the model input treats the model's ReLUs.</summary>
public enum GradientRule
{
    /// <summary>The exact gradient (autograd's).</summary>
    Exact,
    /// <summary>
    /// Guided backpropagation (pytorch-grad-cam's GuidedBackpropReLU): every ReLU passes back only
    /// positive gradients, and only where its input was positive: dx = dy · [x &gt; 0] · [dy &gt; 0].
    /// </summary>
    GuidedRelu,
}
