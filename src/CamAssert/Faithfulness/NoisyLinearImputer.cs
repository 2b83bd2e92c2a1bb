namespace CamAssert.Faithfulness;

/// <summary>
/// ROAD's noisy linear imputation (Rong et al. 2022, as pytorch-grad-cam's NoisyLinearImputer):
/// every removed pixel becomes the weighted mean of its 8 neighbours (1/6 for the 4 direct ones,
/// 1/12 for the diagonals; neighbours outside the image drop out), which is a sparse linear
/// system over the removed pixels, solved per channel; then noise is added. pytorch-grad-cam
/// solves it directly (SuperLU); this solves it by conjugate gradients to a relative residual of
/// 1e-12 (the system is symmetric positive definite when any pixel is kept; with none kept
/// the image becomes 0, as pytorch-grad-cam's solver returns). pytorch-grad-cam
/// draws its noise from torch.randn; CamAssert from numpy's legacy generator with a seed.
/// </summary>
internal static class NoisyLinearImputer
{
    private static readonly (int Dy, int Dx, double W)[] Neighbours =
    [
        (1, 1, 1 / 12.0), (0, 1, 1 / 6.0), (-1, 1, 1 / 12.0), (1, -1, 1 / 12.0),
        (0, -1, 1 / 6.0), (-1, -1, 1 / 12.0), (1, 0, 1 / 6.0), (-1, 0, 1 / 6.0),
    ];

    /// <summary>
    /// The image (C planes of H×W, channel-major) with the pixels where <paramref name="keep"/> is false imputed.
    /// Noise of standard deviation <paramref name="noise"/> is drawn channel by channel, pixel by pixel.
    /// </summary>
    public static float[] Impute(float[] planes, int channels, int h, int w, bool[] keep, double noise, Cam.NumpyRandom random)
    {
        int n = h * w;
        var missing = Enumerable.Range(0, n).Where(p => !keep[p]).ToArray();
        // With no pixel kept (a map whose percentile is its minimum: MoRF keeps only values below it) the
        // system is singular with a zero right-hand side; pytorch-grad-cam's solver then returns 0, and so does this.
        var index = new int[n];
        Array.Fill(index, -1);
        for (int i = 0; i < missing.Length; i++) index[missing[i]] = i;

        // Row i: −s_i·x_i + Σ_{removed j} w·x_j = −Σ_{kept j} w·v_j, with s_i the weight of the in-image neighbours.
        // Stored negated (positive definite): s_i·x_i − Σ w·x_j = Σ w·v_j.
        var diag = new double[missing.Length];
        var links = new List<(int J, double W)>[missing.Length];
        for (int i = 0; i < missing.Length; i++)
        {
            int y = missing[i] / w, x = missing[i] % w;
            links[i] = [];
            foreach (var (dy, dx, wt) in Neighbours)
            {
                int yy = y + dy, xx = x + dx;
                if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
                diag[i] += wt;
                int q = yy * w + xx;
                if (!keep[q]) links[i].Add((index[q], wt));
            }
        }

        var result = (float[])planes.Clone();
        var solutions = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            var b = new double[missing.Length];
            for (int i = 0; i < missing.Length; i++)
            {
                int y = missing[i] / w, x = missing[i] % w;
                foreach (var (dy, dx, wt) in Neighbours)
                {
                    int yy = y + dy, xx = x + dx;
                    if (yy < 0 || xx < 0 || yy >= h || xx >= w || !keep[yy * w + xx]) continue;
                    b[i] += wt * planes[c * n + yy * w + xx];
                }
            }
            solutions[c] = ConjugateGradient(diag, links, b);
        }
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < missing.Length; i++)
                result[c * n + missing[i]] = (float)solutions[c][i] + (noise == 0 ? 0 : (float)(noise * random.Gauss()));
        return result;
    }

    private static double[] ConjugateGradient(double[] diag, List<(int J, double W)>[] links, double[] b)
    {
        int m = b.Length;
        var x = new double[m];
        var r = (double[])b.Clone();
        var p = (double[])b.Clone();
        var ap = new double[m];
        double rr = Dot(r, r), target = 1e-24 * Math.Max(rr, double.Epsilon);
        for (int iter = 0; iter < 20 * m + 100 && rr > target; iter++)
        {
            for (int i = 0; i < m; i++)
            {
                double s = diag[i] * p[i];
                foreach (var (j, wt) in links[i]) s -= wt * p[j];
                ap[i] = s;
            }
            double alpha = rr / Dot(p, ap);
            for (int i = 0; i < m; i++) { x[i] += alpha * p[i]; r[i] -= alpha * ap[i]; }
            double next = Dot(r, r);
            for (int i = 0; i < m; i++) p[i] = r[i] + next / rr * p[i];
            rr = next;
        }
        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
