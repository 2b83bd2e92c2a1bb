namespace CamAssert.Cam;

/// <summary>
/// Integrated Gradients' points α along the path and their weights, as Captum's approximation_methods makes
/// them: Gauss-Legendre nodes mapped to [0, 1] (numpy's leggauss: α = (1 + x)/2, weight w/2); the trapezoid
/// rule on torch.linspace(0, 1, n) in float32, weights 1/n with the two ends halved. Weights are used in float32
/// (Captum's <c>torch.tensor(step_sizes).float()</c>).
/// </summary>
internal static class IntegrationSteps
{
    public static (float[] Alphas, float[] Weights) Of(IntegrationRule rule, int steps) => rule switch
    {
        IntegrationRule.GaussLegendre when steps >= 1 => GaussLegendre(steps),
        IntegrationRule.RiemannTrapezoid when steps >= 2 => Trapezoid(steps),
        _ => throw new CamException($"Integrated Gradients with {rule} needs at least {(rule == IntegrationRule.GaussLegendre ? 1 : 2)} steps, but AttributionOptions.Steps is {steps}."),
    };

    private static (float[], float[]) Trapezoid(int n)
    {
        float step = 1f / (n - 1);
        var alphas = new float[n];
        for (int i = 0; i < n; i++) alphas[i] = i < n / 2 ? step * i : 1f - step * (n - i - 1);
        var weights = new float[n];
        for (int i = 0; i < n; i++) weights[i] = (float)(i == 0 || i == n - 1 ? 1.0 / n / 2 : 1.0 / n);
        return (alphas, weights);
    }

    /// <summary>The roots of the Legendre polynomial Pₙ by Newton's method (in double), ascending, and their weights 2 / ((1 − x²) Pₙ′(x)²).</summary>
    private static (float[], float[]) GaussLegendre(int n)
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double root = -Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double p, derivative) = Legendre(n, root);
                double next = root - p / derivative;
                bool done = Math.Abs(next - root) < 1e-16;
                root = next;
                if (done) break;
            }
            derivative = Legendre(n, root).Derivative;
            x[i] = root;
            w[i] = 2 / ((1 - root * root) * derivative * derivative);
        }
        var alphas = new float[n];
        var weights = new float[n];
        double total = w.Sum();
        for (int i = 0; i < n; i++)
        {
            // leggauss symmetrises: x ← (x − reversed x)/2, w ← (w + reversed w)/2, then scales w to sum to 2.
            double xi = (x[i] - x[n - 1 - i]) / 2, wi = (w[i] + w[n - 1 - i]) / 2 * 2 / total;
            alphas[i] = (float)(0.5 * (1 + xi));
            weights[i] = (float)(0.5 * wi);
        }
        return (alphas, weights);
    }

    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        for (int k = 2; k <= n; k++) (previous, current) = (current, ((2 * k - 1) * x * current - (k - 1) * previous) / k);
        if (n == 0) return (1, 0);
        return (current, n * (x * current - previous) / (x * x - 1));
    }
}
