using CamAssert.Models.Backends;

namespace CamAssert.Cam;

/// <summary>
/// The pixel attributions of one image, as Captum's <c>attribute</c> returns them (Saliency, InputXGradient,
/// IntegratedGradients, each optionally under NoiseTunnel) and as pytorch-grad-cam's GuidedBackpropReLUModel
/// returns guided backprop: one value per input element, in the input's layout. Float32 arithmetic in
/// Captum's order (sums over steps and samples accumulate in float32).
/// </summary>
internal static class PixelMethods
{
    /// <summary>The attribution of <paramref name="image"/> (one image's input values) by <paramref name="method"/>.</summary>
    public static float[] Attribute(CamMethod method, float[] image, InputGradients gradients, AttributionOptions options)
    {
        if (options.NoiseTunnel is not { } tunnel) return Batch(method, [image], gradients, options)[0];
        if (tunnel.Samples < 1) throw new CamException($"NoiseTunnel.Samples is {tunnel.Samples}; give 1 or more.");
        var noise = TorchNormal.Draw(tunnel.Seed, tunnel.Samples * image.Length, tunnel.Stdev);
        var noisy = new float[tunnel.Samples][];
        for (int s = 0; s < tunnel.Samples; s++)
        {
            noisy[s] = new float[image.Length];
            for (int i = 0; i < image.Length; i++) noisy[s][i] = image[i] + noise[s * image.Length + i];
        }
        return Smooth(Batch(method, noisy, gradients, options), tunnel);
    }

    /// <summary>NoiseTunnel's combination: the float32 sums of a and a² over the samples, divided by their count.</summary>
    private static float[] Smooth(float[][] attributions, NoiseTunnel tunnel)
    {
        int n = attributions.Length, size = attributions[0].Length;
        var result = new float[size];
        for (int i = 0; i < size; i++)
        {
            float sum = 0, squares = 0;
            foreach (var a in attributions)
            {
                sum += a[i];
                squares += a[i] * a[i];
            }
            float mean = sum * 1 / n, meanSquare = squares * 1 / n;
            result[i] = tunnel.Kind switch
            {
                NoiseTunnelKind.SmoothGrad => mean,
                NoiseTunnelKind.SmoothGradSquared => meanSquare,
                _ => meanSquare - mean * mean,
            };
        }
        return result;
    }

    /// <summary>The method's attribution of each input of <paramref name="inputs"/> (all of one image).</summary>
    private static float[][] Batch(CamMethod method, float[][] inputs, InputGradients gradients, AttributionOptions options) => method switch
    {
        CamMethod.Saliency => gradients.Of(inputs).Select(g => options.AbsoluteSaliency ? g.Select(MathF.Abs).ToArray() : g).ToArray(),
        CamMethod.InputXGradient => gradients.Of(inputs).Select((g, r) => Multiply(g, inputs[r])).ToArray(),
        CamMethod.IntegratedGradients => IntegratedGradients(inputs, gradients, options),
        CamMethod.GuidedBackprop or CamMethod.GuidedGradCam => gradients.Of(inputs),
        _ => throw new CamException($"{method.Name()} is not a pixel attribution."),
    };

    /// <summary>
    /// Captum's IntegratedGradients: the gradients at baseline + α_s·(x − baseline) for every step s (all inputs' steps
    /// in one list, batched), Σ_s weight_s·g_s in float32, times (x − baseline).
    /// </summary>
    private static float[][] IntegratedGradients(float[][] inputs, InputGradients gradients, AttributionOptions options)
    {
        var (alphas, weights) = IntegrationSteps.Of(options.Integration, options.Steps);
        float b = options.Baseline;
        var rows = new List<float[]>(inputs.Length * alphas.Length);
        foreach (float alpha in alphas)
            foreach (var x in inputs)
                rows.Add(x.Select(v => b + alpha * (v - b)).ToArray());
        var g = gradients.Of(rows);
        var result = new float[inputs.Length][];
        for (int n = 0; n < inputs.Length; n++)
        {
            var total = new float[inputs[n].Length];
            for (int s = 0; s < alphas.Length; s++)
            {
                var gs = g[s * inputs.Length + n];
                for (int i = 0; i < total.Length; i++) total[i] += gs[i] * weights[s];
            }
            for (int i = 0; i < total.Length; i++) total[i] *= inputs[n][i] - b;
            result[n] = total;
        }
        return result;
    }

    private static float[] Multiply(float[] a, float[] b)
    {
        var r = new float[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = a[i] * b[i];
        return r;
    }

    /// <summary>The backward rule the method needs.</summary>
    public static GradientRule RuleOf(CamMethod method) =>
        method is CamMethod.GuidedBackprop or CamMethod.GuidedGradCam ? GradientRule.GuidedRelu : GradientRule.Exact;
}
