namespace CamAssert.Cam;

/// <summary>The CAM methods, each reproducing pytorch-grad-cam's definition of the same name.</summary>
public enum CamMethod
{
    /// <summary>Grad-CAM: weights are the spatial mean of the gradients; map = ReLU(Σ_k w_k A_k).</summary>
    GradCam,
    /// <summary>HiResCAM: map = ReLU(Σ_k G_k ⊙ A_k), gradients kept per position.</summary>
    HiResCam,
    /// <summary>Grad-CAM++: weights Σ_hw ReLU(G)·a with a = G²/(2G² + Σ_hw A · G³ + 1e-6), 0 where G = 0.</summary>
    GradCamPlusPlus,
    /// <summary>XGrad-CAM: weights Σ_hw G·A / (Σ_hw A + 1e-7).</summary>
    XGradCam,
    /// <summary>LayerCAM: map = ReLU(Σ_k ReLU(G_k) ⊙ A_k).</summary>
    LayerCam,
    /// <summary>Score-CAM: weights are the softmax over channels of the target's score on the input masked by each channel's upsampled, min-max normalised map. Gradient-free; one forward per channel.</summary>
    ScoreCam,
    /// <summary>Eigen-CAM: the projection of the centred activations on their first principal component. Gradient-free and class-agnostic.</summary>
    EigenCam,
    /// <summary>The plain activation of one channel (the target's channel) of the layer.</summary>
    Activation,
    /// <summary>Eigen-Grad-CAM: Eigen-CAM's projection applied to G ⊙ A (class-specific).</summary>
    EigenGradCam,
    /// <summary>Grad-CAM element-wise: map = ReLU(Σ_k ReLU(G_k ⊙ A_k)).</summary>
    GradCamElementWise,
    /// <summary>RandomCAM, a baseline: channel weights drawn uniformly from [−1, 1) by numpy's legacy generator seeded with <see cref="CamOptions.Seed"/>. An assertion that also passes for it says nothing.</summary>
    RandomCam,
    /// <summary>KPCA-CAM: Eigen-CAM with kernel PCA (<see cref="CamOptions.KpcaKernel"/>, sigmoid by default). Gradient-free and class-agnostic.</summary>
    KpcaCam,
    /// <summary>FEM (feature explanation method): weights are the share of positions where a channel exceeds its mean + <see cref="CamOptions.FemSigmas"/> standard deviations. Gradient-free and class-agnostic.</summary>
    Fem,
    /// <summary>
    /// Finer-CAM: Grad-CAM of a score that contrasts the class with its nearest rivals (<see cref="Target.Finer"/>).
    /// With <see cref="Target.Class(int)"/> the rivals are the three classes whose logits are nearest, with α = 1 (pytorch-grad-cam's default).
    /// </summary>
    FinerCam,
    /// <summary>
    /// Ablation-CAM: weight_k = (score − score with channel k ablated) / score, one run of the model after the
    /// layer per channel. Gradient-free. Needs a backend whose passes re-run from a layer (<see cref="Models.Backends.ForwardPass.OutputWith"/>).
    /// </summary>
    AblationCam,
    /// <summary>Captum's Saliency: |∂score/∂input| per input element (<see cref="AttributionOptions.AbsoluteSaliency"/>). A pixel attribution: no layer.</summary>
    Saliency,
    /// <summary>Captum's InputXGradient: input ⊙ ∂score/∂input. A pixel attribution: no layer.</summary>
    InputXGradient,
    /// <summary>
    /// Captum's IntegratedGradients: (x − baseline) ⊙ the integral of the gradient along the straight path from the
    /// baseline to x (<see cref="AttributionOptions.Steps"/> steps, Gauss-Legendre by default). A pixel attribution: no layer.
    /// </summary>
    IntegratedGradients,
    /// <summary>pytorch-grad-cam's guided backprop (GuidedBackpropReLUModel): the input gradient with every ReLU passing back only positive gradients at positive inputs. A pixel attribution: no layer.</summary>
    GuidedBackprop,
    /// <summary>Guided Grad-CAM (pytorch-grad-cam's cam.py): guided backprop times the Grad-CAM map of the layer, channel by channel.</summary>
    GuidedGradCam,
    /// <summary>
    /// pytorch-grad-cam's FullGrad: |input ⊙ input gradient| plus |bias ⊙ gradient| at every layer that adds a bias per channel
    /// (2-D convolutions with a bias, batch normalisations), each channel scaled to [0, 1] and resized, summed. No layer is chosen.
    /// Needs a backend that gives bias gradients (<see cref="Models.Backends.ForwardPass.BiasGradients"/>: the ONNX engine).
    /// </summary>
    FullGrad,
    /// <summary>
    /// CAM (Zhou et al. 2016; TorchCAM's CAM): the layer's channels weighted by the classifier's weights of the class.
    /// Needs a model whose layer output is globally average-pooled into its final linear layer; no ReLU (as TorchCAM).
    /// Takes <see cref="Target.Class(int)"/> only.
    /// </summary>
    Cam,
    /// <summary>SS-CAM (TorchCAM's SSCAM): Score-CAM with Gaussian noise on the masks (<see cref="CamOptions.Samples"/>, default 35; <see cref="CamOptions.NoiseStd"/>, default 2; <see cref="CamOptions.Seed"/>). One forward per channel and sample, batched.</summary>
    SsCam,
    /// <summary>IS-CAM (TorchCAM's ISCAM): Score-CAM integrated over masks scaled by Σ_{j≤i} j/N (<see cref="CamOptions.Samples"/>, default 10). One forward per channel and sample, batched.</summary>
    IsCam,
    /// <summary>Smooth Grad-CAM++ (TorchCAM's SmoothGradCAMpp): Grad-CAM++ with gradients averaged over noisy copies of the input (<see cref="CamOptions.Samples"/>, default 4; <see cref="CamOptions.NoiseStd"/>, default 0.3; <see cref="CamOptions.Seed"/>).</summary>
    SmoothGradCamPlusPlus,
    /// <summary>
    /// Occlusion (Captum's Occlusion): the drop of the target's score when a window of the input is set to a baseline,
    /// averaged over the windows covering each pixel (<see cref="CamOptions.Occlusion"/>). No layer; one forward per window, batched.
    /// A pixel attribution (<c>model.Attribute</c>); its heatmap is Captum's visualisation of the positive attribution.
    /// </summary>
    Occlusion,
    /// <summary>
    /// ShapleyCAM (pytorch-grad-cam's ShapleyCAM, Cai et al. 2025): weights are the spatial mean of G − ½·H·A, where H·A is the
    /// Hessian of the score with respect to the layer's output times that output (a second-order Shapley value estimate); map =
    /// ReLU(Σ_k w_k A_k). Equals Grad-CAM where the score is piecewise linear in the layer (ReLU heads and a raw logit).
    /// Needs a backend with second derivatives (<see cref="Models.Backends.ForwardPass.HessianVectorProduct"/>).
    /// </summary>
    ShapleyCam,
}

/// <summary>Names of the methods as the CLI and messages write them.</summary>
public static class CamMethods
{
    /// <summary>The CLI spelling, e.g. <c>gradcam++</c>.</summary>
    public static string Name(this CamMethod method) => method switch
    {
        CamMethod.GradCam => "gradcam",
        CamMethod.HiResCam => "hirescam",
        CamMethod.GradCamPlusPlus => "gradcam++",
        CamMethod.XGradCam => "xgradcam",
        CamMethod.LayerCam => "layercam",
        CamMethod.ScoreCam => "scorecam",
        CamMethod.EigenCam => "eigencam",
        CamMethod.EigenGradCam => "eigengradcam",
        CamMethod.GradCamElementWise => "gradcamelementwise",
        CamMethod.RandomCam => "randomcam",
        CamMethod.KpcaCam => "kpcacam",
        CamMethod.Fem => "fem",
        CamMethod.FinerCam => "finercam",
        CamMethod.AblationCam => "ablationcam",
        CamMethod.Saliency => "saliency",
        CamMethod.InputXGradient => "inputxgradient",
        CamMethod.IntegratedGradients => "integratedgradients",
        CamMethod.GuidedBackprop => "guidedbackprop",
        CamMethod.GuidedGradCam => "guidedgradcam",
        CamMethod.FullGrad => "fullgrad",
        CamMethod.Cam => "cam",
        CamMethod.SsCam => "sscam",
        CamMethod.IsCam => "iscam",
        CamMethod.SmoothGradCamPlusPlus => "smoothgradcam++",
        CamMethod.Occlusion => "occlusion",
        CamMethod.ShapleyCam => "shapleycam",
        _ => "activation",
    };

    /// <summary>Parses a CLI spelling (case-insensitive).</summary>
    public static CamMethod Parse(string text) =>
        Enum.GetValues<CamMethod>().FirstOrDefault(m => string.Equals(m.Name(), text, StringComparison.OrdinalIgnoreCase), (CamMethod)(-1)) is var m && (int)m >= 0
            ? m
            : throw new ArgumentException($"Unknown CAM method '{text}'. Use one of: {string.Join(", ", Enum.GetValues<CamMethod>().Select(x => x.Name()))}.");

    /// <summary>Whether the method attributes the score to input pixels (gradients at the input, or occlusion; a <see cref="PixelAttribution"/>) rather than to a layer's positions.</summary>
    public static bool IsPixelAttribution(this CamMethod method) =>
        method is CamMethod.Saliency or CamMethod.InputXGradient or CamMethod.IntegratedGradients or CamMethod.GuidedBackprop or CamMethod.GuidedGradCam
            or CamMethod.Occlusion;

    /// <summary>Whether the method needs the gradient of the target.</summary>
    public static bool UsesGradients(this CamMethod method) => method is not (CamMethod.ScoreCam or CamMethod.EigenCam or CamMethod.Activation or CamMethod.RandomCam or CamMethod.KpcaCam or CamMethod.Fem or CamMethod.AblationCam
        or CamMethod.Cam or CamMethod.SsCam or CamMethod.IsCam or CamMethod.SmoothGradCamPlusPlus or CamMethod.Occlusion);
}
