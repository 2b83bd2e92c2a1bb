namespace CamAssert.Cam.Factorization;

/// <summary>
/// scikit-learn 1.2's <c>NMF(n_components=k, init='random', random_state=seed)</c> as pytorch-grad-cam's DFF calls it,
/// in float32 as scikit-learn keeps a float32 input: X ≈ W·H with W, H ≥ 0. Initialisation: avg = √(mean(X)/k)
/// (numpy's pairwise float32 sum), H (k×m) then W (n×k) = |avg · standard normal| from numpy's legacy RandomState.
/// Solver: coordinate descent (Frobenius loss, no regularisation, no shuffle), W then H each iteration, stopped when
/// the summed projected-gradient violation falls to tol (1e-4) of the first iteration's, or after 200 iterations.
/// Every product is a float32 sum in index order (what reference BLAS computes); deterministic, single-threaded.
/// </summary>
internal static class NonNegativeFactorization
{
    /// <summary>W (n×k) and H (k×m), row-major, and the iterations run.</summary>
    public sealed record Result(float[] W, float[] H, int Iterations);

    public static Result Fit(float[] x, int n, int m, int k, uint seed = 0, double tol = 1e-4, int maxIterations = 200)
    {
        float mean = (float)(PairwiseSum(x, 0, x.Length) / (double)x.Length);
        float avg = (float)Math.Sqrt(mean / (double)k);
        var random = new NumpyRandom(seed);
        var h = new float[k * m];
        for (int i = 0; i < h.Length; i++) h[i] = MathF.Abs(avg * (float)random.Gauss());
        var w = new float[n * k];
        for (int i = 0; i < w.Length; i++) w[i] = MathF.Abs(avg * (float)random.Gauss());

        var ht = new float[m * k];                     // H transposed: m×k, as scikit-learn updates it
        for (int j = 0; j < k; j++) for (int c = 0; c < m; c++) ht[c * k + j] = h[j * m + c];
        var xt = new float[m * n];
        for (int r = 0; r < n; r++) for (int c = 0; c < m; c++) xt[c * n + r] = x[r * m + c];

        double first = 0;
        int iteration = 1;
        for (; iteration <= maxIterations; iteration++)
        {
            double violation = 0.0;
            violation += Update(x, n, m, w, ht, k);
            violation += Update(xt, m, n, ht, w, k);
            if (iteration == 1) first = violation;
            if (first == 0 || violation / first <= tol) break;
        }
        for (int j = 0; j < k; j++) for (int c = 0; c < m; c++) h[j * m + c] = ht[c * k + j];
        return new Result(w, h, Math.Min(iteration, maxIterations));
    }

    /// <summary>
    /// One sweep over the coordinates of <paramref name="w"/> (rows×k) for X (rows×inner) ≈ W·Hᵀ with
    /// <paramref name="ht"/> (inner×k): scikit-learn's _update_coordinate_descent and _update_cdnmf_fast.
    /// Returns the sum of |projected gradient| (accumulated as that Cython code does: float, each term added in double).
    /// </summary>
    private static float Update(float[] x, int rows, int inner, float[] w, float[] ht, int k)
    {
        var hht = new float[k * k];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                float s = 0;
                for (int l = 0; l < inner; l++) s += ht[l * k + a] * ht[l * k + b];
                hht[a * k + b] = s;
            }
        var xht = new float[rows * k];
        for (int i = 0; i < rows; i++)
            for (int t = 0; t < k; t++)
            {
                float s = 0;
                int row = i * inner;
                for (int l = 0; l < inner; l++) s += x[row + l] * ht[l * k + t];
                xht[i * k + t] = s;
            }
        float violation = 0;
        for (int t = 0; t < k; t++)
        {
            float hess = hht[t * k + t];
            for (int i = 0; i < rows; i++)
            {
                float grad = -xht[i * k + t];
                for (int r = 0; r < k; r++) grad += hht[t * k + r] * w[i * k + r];
                float pg = w[i * k + t] == 0 ? Math.Min(0f, grad) : grad;
                violation = (float)(violation + Math.Abs((double)pg));
                if (hess != 0) w[i * k + t] = Math.Max(w[i * k + t] - grad / hess, 0f);
            }
        }
        return violation;
    }

    /// <summary>numpy's pairwise float32 summation (blocks of 128 summed by 8 accumulators, halves above that).</summary>
    internal static float PairwiseSum(float[] a, int start, int n)
    {
        if (n < 8)
        {
            float r = 0;
            for (int i = 0; i < n; i++) r += a[start + i];
            return r;
        }
        if (n <= 128)
        {
            Span<float> r = stackalloc float[8];
            for (int j = 0; j < 8; j++) r[j] = a[start + j];
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[start + i + j];
            float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[start + i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(a, start, half) + PairwiseSum(a, start + half, n - half);
    }
}
