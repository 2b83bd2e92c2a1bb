using CamAssert.Models.Layers;

namespace CamAssert.Cam;

/// <summary>Settings of a CAM computation beyond method, target and layer.</summary>
public sealed record CamOptions
{
    /// <summary>The defaults.</summary>
    public static CamOptions Default { get; } = new();

    /// <summary>How the layer's output lays out channels and positions (default: detected).</summary>
    public MapLayout Layout { get; init; } = MapLayout.Auto;

    /// <summary>How images become model inputs (default: RGB, [0, 1], resized to the model's input size when it differs).</summary>
    public Imaging.Preprocessing Preprocessing { get; init; } = Imaging.Preprocessing.Default;

    /// <summary>
    /// pytorch-grad-cam's eigen_smooth: the map is the first principal component of the method's
    /// weighted channels (w_k·A_k, or the per-position products) instead of their sum. Applies to
    /// Grad-CAM, Grad-CAM++, XGrad-CAM, HiResCAM, LayerCAM, Score-CAM, Grad-CAM element-wise and
    /// RandomCAM. The component's sign is made positive at its largest-|value| position
    /// (pytorch-grad-cam keeps LAPACK's arbitrary sign).
    /// </summary>
    public bool EigenSmooth { get; init; }

    /// <summary>
    /// pytorch-grad-cam's aug_smooth: the mean of the maps of the input mirrored or not × multiplied
    /// by 0.9, 1 and 1.1 (6 runs; mirrored maps are mirrored back). Slower by 6×; smoother maps.
    /// </summary>
    public bool AugSmooth { get; init; }

    /// <summary>
    /// More layers whose maps are fused with the main layer's (pytorch-grad-cam's list of target
    /// layers): each layer's map is scaled to [0, 1] and resized to the input, then fused by <see cref="Fusion"/>.
    /// </summary>
    public IReadOnlyList<LayerPath> AdditionalLayers { get; init; } = [];

    /// <summary>How the maps of several layers are fused (default: pytorch-grad-cam's mean).</summary>
    public LayerFusion Fusion { get; init; } = LayerFusion.Mean;

    /// <summary>The seed of RandomCAM's weights (numpy's np.random.seed) and of SS-CAM's and Smooth Grad-CAM++'s noise (torch.manual_seed); the same seed gives the same map.</summary>
    public uint Seed { get; init; }

    /// <summary>KPCA-CAM's kernel (default sigmoid, as pytorch-grad-cam).</summary>
    public KpcaKernel KpcaKernel { get; init; } = KpcaKernel.Sigmoid;

    /// <summary>KPCA-CAM's kernel coefficient γ; null: 1 / channels (scikit-learn's default).</summary>
    public double? KpcaGamma { get; init; }

    /// <summary>
    /// Apply a ReLU to the layer's activation before the method: what a PyTorch forward hook sees
    /// when the model runs an in-place ReLU on the layer's output right after it. torchvision
    /// DenseNet does this after <c>features</c> (so also <c>features.norm5</c>), and GoogLeNet and
    /// Inception V3 after every <c>BasicConv2d</c>'s <c>bn</c>; set this to get pytorch-grad-cam's
    /// map at those layers. The gradient is unchanged: PyTorch's hook receives it before the ReLU too.
    /// </summary>
    public bool RectifyActivation { get; init; }

    /// <summary>FEM's threshold in standard deviations above a channel's mean (pytorch-grad-cam's k, default 2).</summary>
    public double FemSigmas { get; init; } = 2;

    /// <summary>Settings of the pixel attributions (Saliency, InputXGradient, Integrated Gradients, NoiseTunnel, guided backprop); Captum's defaults.</summary>
    public AttributionOptions Attribution { get; init; } = AttributionOptions.Default;

    /// <summary>How many noisy or scaled samples SS-CAM, IS-CAM and Smooth Grad-CAM++ take; null: TorchCAM's defaults (35, 10 and 4).</summary>
    public int? Samples { get; init; }

    /// <summary>The standard deviation of SS-CAM's mask noise and Smooth Grad-CAM++'s input noise; null: TorchCAM's defaults (2 and 0.3). The noise is torch's CPU generator's after torch.manual_seed(<see cref="Seed"/>), so TorchCAM run after the same seed gives the same map.</summary>
    public double? NoiseStd { get; init; }

    /// <summary>Occlusion's window, strides and baseline (default: 8×8 over every channel, stride 4, baseline 0).</summary>
    public OcclusionOptions Occlusion { get; init; } = OcclusionOptions.Default;
}

/// <summary>How the maps of several layers become one.</summary>
public enum LayerFusion
{
    /// <summary>The mean of the per-layer maps, then scaled to [0, 1] (pytorch-grad-cam's aggregate_multi_layers).</summary>
    Mean,
    /// <summary>The position-wise maximum of the per-layer maps, then scaled to [0, 1] (TorchCAM's fusion, taken at input resolution).</summary>
    Max,
}
