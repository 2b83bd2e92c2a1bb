namespace CamAssert.Cam;

/// <summary>The kernel KPCA-CAM compares positions with (scikit-learn's names and defaults).</summary>
public enum KpcaKernel
{
    /// <summary>tanh(γ·⟨x, y⟩ + 1), γ = 1 / channels by default (pytorch-grad-cam's default).</summary>
    Sigmoid,
    /// <summary>exp(−γ·‖x − y‖²), γ = 1 / channels by default.</summary>
    Rbf,
    /// <summary>⟨x, y⟩: plain PCA, the same map as Eigen-CAM up to scale.</summary>
    Linear,
}

/// <summary>
/// KPCA-CAM's map: the positions' centred activations (HW × K) compared by a kernel, the kernel
/// matrix centred (scikit-learn's KernelCenterer), and each position's coordinate on the top
/// component: its eigenvector entry × √eigenvalue, signed so the largest entry is positive
/// (scikit-learn's svd_flip). Computed in double; scikit-learn computes a float32 input's
/// kernel in float32.
/// </summary>
internal static class KernelPca
{
    public static ChannelMaps.Result Map(ReadOnlySpan<float> a, int k, int hw, KpcaKernel kernel, double? gamma)
    {
        var x = ChannelMaps.CentredPositions(a, k, hw);
        double g = gamma ?? 1.0 / k;
        var km = new double[hw * hw];
        for (int i = 0; i < hw; i++)
            for (int j = i; j < hw; j++)
            {
                double dot = 0, dist = 0;
                for (int c = 0; c < k; c++)
                {
                    double xi = x[i * k + c], xj = x[j * k + c];
                    dot += xi * xj;
                    dist += (xi - xj) * (xi - xj);
                }
                km[i * hw + j] = km[j * hw + i] = kernel switch
                {
                    KpcaKernel.Sigmoid => Math.Tanh(g * dot + 1),
                    KpcaKernel.Rbf => Math.Exp(-g * dist),
                    _ => dot,
                };
            }
        double scale = km.Max(Math.Abs);
        Centre(km, hw);
        var (value, vector) = SymmetricEigen.Largest(km, hw);
        // A saturated kernel (tanh ≈ 1 everywhere: activations too large for γ) centres to ~0: its top
        // component is rounding noise (scikit-learn's is 0). Report no evidence rather than noise.
        if (!(value > 1e-9 * scale)) return ChannelMaps.Project(new float[hw], null, new double[k]);
        int extreme = 0;
        for (int i = 1; i < hw; i++) if (Math.Abs(vector[i]) > Math.Abs(vector[extreme])) extreme = i;
        double root = Math.Sqrt(value) * (vector[extreme] < 0 ? -1 : 1);
        var map = new float[hw];
        for (int i = 0; i < hw; i++) map[i] = (float)(vector[i] * root);
        return ChannelMaps.Project(map, null, new double[k]);
    }

    /// <summary>K − 1ₙK − K1ₙ + 1ₙK1ₙ.</summary>
    private static void Centre(double[] km, int n)
    {
        var col = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) col[j] += km[i * n + j] / n;
        for (int j = 0; j < n; j++) all += col[j] / n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                km[i * n + j] = km[i * n + j] - col[j] - col[i] + all;
    }
}
