namespace CamAssert.Cam;

/// <summary>
/// Settings of the pixel attributions (<see cref="CamMethod.Saliency"/>, <see cref="CamMethod.InputXGradient"/>,
/// <see cref="CamMethod.IntegratedGradients"/>, <see cref="CamMethod.GuidedBackprop"/>, <see cref="CamMethod.GuidedGradCam"/>),
/// with Captum's defaults.
/// </summary>
public sealed record AttributionOptions
{
    /// <summary>The defaults: Captum's.</summary>
    public static AttributionOptions Default { get; } = new();

    /// <summary>Saliency returns |∂score/∂input| (Captum's <c>abs=True</c>, the default); false: the signed gradient.</summary>
    public bool AbsoluteSaliency { get; init; } = true;

    /// <summary>Integrated Gradients' number of steps along the path from the baseline to the input (Captum's <c>n_steps</c>, 50).</summary>
    public int Steps { get; init; } = 50;

    /// <summary>How Integrated Gradients places and weights its steps (Captum's <c>method</c>, default Gauss-Legendre).</summary>
    public IntegrationRule Integration { get; init; } = IntegrationRule.GaussLegendre;

    /// <summary>Integrated Gradients' baseline, the same value at every input element (Captum's default: 0).</summary>
    public float Baseline { get; init; }

    /// <summary>Averages the attribution over noisy copies of the input (Captum's NoiseTunnel); null: off.</summary>
    public NoiseTunnel? NoiseTunnel { get; init; }

    /// <summary>
    /// How many inputs (Integrated Gradients' steps, noisy samples) go through the model in one batch (Captum's
    /// <c>internal_batch_size</c>; it runs all at once by default). Results do not depend on it; a model whose
    /// input has a fixed batch size runs batches of that size.
    /// </summary>
    public int BatchSize { get; init; } = 16;
}

/// <summary>Integrated Gradients' quadrature (Captum's <c>approximation_methods</c>).</summary>
public enum IntegrationRule
{
    /// <summary>Gauss-Legendre nodes and weights on [0, 1] (Captum's default <c>gausslegendre</c>).</summary>
    GaussLegendre,
    /// <summary>Evenly spaced steps from 0 to 1, the end steps weighted half (Captum's <c>riemann_trapezoid</c>).</summary>
    RiemannTrapezoid,
}

/// <summary>
/// Captum's NoiseTunnel: the attribution of <see cref="Samples"/> copies of the input, each plus Gaussian noise
/// of standard deviation <see cref="Stdev"/> (in input units), combined by <see cref="Kind"/>. The noise is
/// torch's: <c>torch.manual_seed(Seed)</c> then <c>torch.normal</c> over all samples at once (CPU generator),
/// so Captum run after the same seed gives the same attribution.
/// </summary>
/// <param name="Kind">How the noisy attributions are combined.</param>
/// <param name="Samples">Noisy copies (Captum's <c>nt_samples</c>, default 5).</param>
/// <param name="Stdev">The noise's standard deviation (Captum's <c>stdevs</c>, default 1.0).</param>
/// <param name="Seed">The seed of torch's generator (<c>torch.manual_seed</c>); only its low 32 bits count, as in torch.</param>
public sealed record NoiseTunnel(NoiseTunnelKind Kind = NoiseTunnelKind.SmoothGrad, int Samples = 5, float Stdev = 1f, ulong Seed = 0);

/// <summary>How NoiseTunnel combines the attributions a of the noisy copies.</summary>
public enum NoiseTunnelKind
{
    /// <summary>The mean of a (<c>smoothgrad</c>).</summary>
    SmoothGrad,
    /// <summary>The mean of a² (<c>smoothgrad_sq</c>).</summary>
    SmoothGradSquared,
    /// <summary>The variance: mean of a² − (mean of a)² (<c>vargrad</c>).</summary>
    VarGrad,
}
