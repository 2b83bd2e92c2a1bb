using System.CommandLine;
using CamAssert.Cam;

namespace CamAssert.Cli.Commands;

/// <summary>
/// The pixel attributions' options of <c>cam</c> (<c>--method saliency|inputxgradient|integratedgradients|guidedbackprop|guidedgradcam</c>):
/// <c>--signed</c>, <c>--steps N</c>, <c>--integration RULE</c>, <c>--noise-tunnel KIND</c> with <c>--noise-samples N</c> and
/// <c>--noise-stdev S</c>; the noise's seed is <c>--seed</c>. Captum's names and defaults. The same
/// three numbers serve TorchCAM's sampling methods: <c>--steps</c> is IS-CAM's number of scaled
/// masks, <c>--noise-samples</c> and <c>--noise-stdev</c> SS-CAM's and Smooth Grad-CAM++'s noisy copies.
/// </summary>
internal sealed class AttributionCliOptions
{
    public Option<bool> Signed { get; } = new("--signed") { Description = "saliency: the signed gradient instead of its absolute value (Captum's abs=False)." };

    public Option<int?> Steps { get; } = new("--steps") { Description = "integratedgradients: steps from the baseline (0) to the input (Captum's n_steps, default 50); iscam: scaled masks (TorchCAM's default 10)." };

    public Option<string> Integration { get; } = new("--integration") { Description = "integratedgradients: gausslegendre (Captum's default) or riemann_trapezoid.", DefaultValueFactory = _ => "gausslegendre" };

    public Option<string?> NoiseTunnel { get; } = new("--noise-tunnel") { Description = "Average a pixel attribution over noisy copies of the input (Captum's NoiseTunnel): smoothgrad, smoothgrad_sq or vargrad; the noise is torch's after torch.manual_seed(--seed)." };

    public Option<int?> NoiseSamples { get; } = new("--noise-samples") { Description = "The number of noisy copies: --noise-tunnel's nt_samples (default 5); sscam's and smoothgradcam++'s samples (TorchCAM's defaults 35 and 4)." };

    public Option<float?> NoiseStdev { get; } = new("--noise-stdev") { Description = "The noise's standard deviation: --noise-tunnel's stdevs in input units (default 1); sscam's and smoothgradcam++'s noise (TorchCAM's defaults 2 and 0.3)." };

    /// <summary>The samples TorchCAM's sampling methods take: IS-CAM's scaled masks (--steps), SS-CAM's and Smooth Grad-CAM++'s noisy copies (--noise-samples); null for their defaults.</summary>
    public int? Samples(ParseResult result, CamMethod method) => method == CamMethod.IsCam ? result.GetValue(Steps) : result.GetValue(NoiseSamples);

    /// <summary>SS-CAM's and Smooth Grad-CAM++'s noise (--noise-stdev); null for their defaults.</summary>
    public double? NoiseStd(ParseResult result) => result.GetValue(NoiseStdev);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Signed, Steps, Integration, NoiseTunnel, NoiseSamples, NoiseStdev }) command.Options.Add(option);
    }

    /// <summary>The attribution options the command line gives; <paramref name="seed"/> seeds the noise.</summary>
    public AttributionOptions Read(ParseResult result, ulong seed) => new()
    {
        AbsoluteSaliency = !result.GetValue(Signed),
        Steps = result.GetValue(Steps) ?? 50,
        Integration = result.GetValue(Integration) switch
        {
            "gausslegendre" => IntegrationRule.GaussLegendre,
            "riemann_trapezoid" => IntegrationRule.RiemannTrapezoid,
            var other => throw new ArgumentException($"--integration '{other}' is not known: use gausslegendre (Captum's default) or riemann_trapezoid."),
        },
        NoiseTunnel = result.GetValue(NoiseTunnel) is { } kind
            ? new NoiseTunnel(kind switch
            {
                "smoothgrad" => NoiseTunnelKind.SmoothGrad,
                "smoothgrad_sq" => NoiseTunnelKind.SmoothGradSquared,
                "vargrad" => NoiseTunnelKind.VarGrad,
                _ => throw new ArgumentException($"--noise-tunnel '{kind}' is not known: use smoothgrad, smoothgrad_sq or vargrad (Captum's nt_type)."),
            }, result.GetValue(NoiseSamples) ?? 5, result.GetValue(NoiseStdev) ?? 1f, seed)
            : null,
    };
}
