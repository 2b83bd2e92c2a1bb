using System.Runtime.CompilerServices;
namespace CamAssert.Cam;

/// <summary>
/// The map at layer resolution for one image from activations A and gradients G (each K×H×W,
/// channel-major): per-channel weights where the method has them, the ReLU'd map, and each
/// channel's contribution Σ_hw of its weighted activation.
/// </summary>
internal static class ChannelMaps
{
    public readonly record struct Result(float[] Map, float[]? Weights, double[] Contributions);

    /// <summary>Map = ReLU(Σ_k w_k A_k), for methods with one weight per channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Weighted(ReadOnlySpan<float> a, float[] weights, int k, int hw)
    {
        var map = new float[hw];
        var contributions = new double[k];
        for (int c = 0; c < k; c++)
        {
            var plane = a.Slice(c * hw, hw);
            float w = weights[c];
            double sum = 0;
            for (int i = 0; i < hw; i++) { float v = w * plane[i]; map[i] += v; sum += v; }
            contributions[c] = sum;
        }
        return new Result(Relu(map), weights, contributions);
    }

    /// <summary>The per-position product f(G, A) of the methods without channel weights.</summary>
    public enum Product
    {
        /// <summary>G ⊙ A (HiResCAM, Eigen-Grad-CAM).</summary>
        Plain,
        /// <summary>ReLU(G) ⊙ A (LayerCAM).</summary>
        ReluGradient,
        /// <summary>ReLU(G ⊙ A) (Grad-CAM element-wise).</summary>
        ReluProduct,
    }

    /// <summary>The K planes of f(G, A), channel-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] Products(ReadOnlySpan<float> a, ReadOnlySpan<float> g, Product product)
    {
        var r = new float[a.Length];
        for (int i = 0; i < r.Length; i++)
            r[i] = product switch
            {
                Product.ReluGradient => MathF.Max(g[i], 0) * a[i],
                Product.ReluProduct => MathF.Max(g[i] * a[i], 0),
                _ => g[i] * a[i],
            };
        return r;
    }

    /// <summary>Map = ReLU(Σ_k P_k) over the planes P of a per-position product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Summed(ReadOnlySpan<float> planes, int k, int hw)
    {
        var map = new float[hw];
        var contributions = new double[k];
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int i = 0; i < hw; i++) { float v = planes[c * hw + i]; map[i] += v; sum += v; }
            contributions[c] = sum;
        }
        return new Result(Relu(map), null, contributions);
    }

    /// <summary>The K planes w_k·A_k (what eigen_smooth projects for weighted methods).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] WeightedPlanes(ReadOnlySpan<float> a, float[] weights, int k, int hw)
    {
        var r = new float[k * hw];
        for (int c = 0; c < k; c++) for (int i = 0; i < hw; i++) r[c * hw + i] = weights[c] * a[c * hw + i];
        return r;
    }

    /// <summary>
    /// FEM's weights: the share of positions where channel k exceeds its mean + <paramref name="sigmas"/> × its
    /// (population) standard deviation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] FemWeights(ReadOnlySpan<float> a, int k, int hw, double sigmas)
    {
        var w = new float[k];
        for (int c = 0; c < k; c++)
        {
            var plane = a.Slice(c * hw, hw);
            double mean = 0, variance = 0;
            for (int i = 0; i < hw; i++) mean += plane[i];
            mean /= hw;
            for (int i = 0; i < hw; i++) variance += (plane[i] - mean) * (plane[i] - mean);
            double threshold = mean + sigmas * Math.Sqrt(variance / hw);
            int above = 0;
            for (int i = 0; i < hw; i++) if (plane[i] > threshold) above++;
            w[c] = (float)((double)above / hw);
        }
        return w;
    }

    /// <summary>Grad-CAM weights: the mean gradient of each channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] MeanGradients(ReadOnlySpan<float> g, int k, int hw)
    {
        var w = new float[k];
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int i = 0; i < hw; i++) s += g[c * hw + i];
            w[c] = (float)(s / hw);
        }
        return w;
    }

    /// <summary>Grad-CAM++ weights (pytorch-grad-cam's form of eq. 19 of Chattopadhay et al.).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] PlusPlusWeights(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int k, int hw)
    {
        var w = new float[k];
        for (int c = 0; c < k; c++)
        {
            double sumA = 0;
            for (int i = 0; i < hw; i++) sumA += a[c * hw + i];
            double s = 0;
            for (int i = 0; i < hw; i++)
            {
                double grad = g[c * hw + i];
                if (grad == 0) continue;
                double g2 = grad * grad, g3 = g2 * grad;
                double alpha = g2 / (2 * g2 + sumA * g3 + 1e-6);
                s += Math.Max(grad, 0) * alpha;
            }
            w[c] = (float)s;
        }
        return w;
    }

    /// <summary>XGrad-CAM weights: Σ_hw G·A / (Σ_hw A + 1e-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] XGradWeights(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int k, int hw)
    {
        var w = new float[k];
        for (int c = 0; c < k; c++)
        {
            double sumA = 0, s = 0;
            for (int i = 0; i < hw; i++) sumA += a[c * hw + i];
            for (int i = 0; i < hw; i++) s += (double)g[c * hw + i] * a[c * hw + i] / (sumA + 1e-7);
            w[c] = (float)s;
        }
        return w;
    }

    /// <summary>Softmax over channel scores (Score-CAM's weights).</summary>
    public static float[] Softmax(double[] scores)
    {
        double max = scores.Max();
        var e = scores.Select(s => Math.Exp(s - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>
    /// The projection of the centred (HW×K) planes on their first principal direction
    /// (pytorch-grad-cam's get_2d_projection: Eigen-CAM on A, Eigen-Grad-CAM on G ⊙ A, eigen_smooth on
    /// any method's planes). NaN counts as 0. Returns the ReLU'd projection; Weights is the direction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Eigen(ReadOnlySpan<float> planes, int k, int hw)
    {
        var x = CentredPositions(planes, k, hw);
        var v = PrincipalDirection.Of(x, hw, k);
        var map = new float[hw];
        var contributions = new double[k];
        for (int i = 0; i < hw; i++)
        {
            double s = 0;
            for (int c = 0; c < k; c++) { double t = x[i * k + c] * v[c]; s += t; contributions[c] += t; }
            map[i] = (float)s;
        }
        return Project(map, v.Select(d => (float)d).ToArray(), contributions);
    }

    /// <summary>The positions as rows (HW × K, row-major) with each channel's mean removed; NaN counts as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] CentredPositions(ReadOnlySpan<float> planes, int k, int hw)
    {
        var x = new double[hw * k];
        for (int c = 0; c < k; c++)
        {
            double mean = 0;
            for (int i = 0; i < hw; i++) mean += float.IsNaN(planes[c * hw + i]) ? 0 : planes[c * hw + i];
            mean /= hw;
            for (int i = 0; i < hw; i++) x[i * k + c] = (float.IsNaN(planes[c * hw + i]) ? 0 : planes[c * hw + i]) - mean;
        }
        return x;
    }

    /// <summary>A map computed elsewhere, ReLU'd, as a result.</summary>
    public static Result Project(float[] map, float[]? weights, double[] contributions) => new(Relu(map), weights, contributions);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Relu(float[] map)
    {
        for (int i = 0; i < map.Length; i++) if (!(map[i] > 0)) map[i] = map[i] is float.NaN ? float.NaN : 0;
        return map;
    }
}
