namespace CamAssert.Cam;

/// <summary>
/// The first right singular vector of a centred matrix X (rows × cols), by power iteration on
/// the smaller of XXᵀ and XᵀX from a fixed start, so it is deterministic. SVD leaves its sign
/// arbitrary; CamAssert orients it so the position with the largest |projection| is positive
/// (the convention of scikit-learn's svd_flip), where LAPACK's choice in pytorch-grad-cam can
/// land either way. (Orienting by the mean activation was tried first: after a LayerNorm the
/// mean is near zero everywhere and the sign flipped with rounding noise.)
/// </summary>
internal static class PrincipalDirection
{
    public static double[] Of(double[] x, int rows, int cols)
    {
        bool viaRows = rows <= cols;
        int n = viaRows ? rows : cols;
        var gram = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double s = 0;
                if (viaRows) for (int c = 0; c < cols; c++) s += x[i * cols + c] * x[j * cols + c];
                else for (int r = 0; r < rows; r++) s += x[r * cols + i] * x[r * cols + j];
                gram[i * n + j] = gram[j * n + i] = s;
            }
        var e = TopEigenvector(gram, n);
        double[] v;
        if (viaRows)
        {
            v = new double[cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[c] += x[r * cols + c] * e[r];
            double norm = Math.Sqrt(v.Sum(t => t * t));
            if (norm > 0) for (int c = 0; c < cols; c++) v[c] /= norm;
        }
        else v = e;

        double extreme = 0;
        for (int r = 0; r < rows; r++)
        {
            double proj = 0;
            for (int c = 0; c < cols; c++) proj += x[r * cols + c] * v[c];
            if (Math.Abs(proj) > Math.Abs(extreme)) extreme = proj;
        }
        if (extreme < 0) for (int i = 0; i < cols; i++) v[i] = -v[i];
        return v;
    }

    private static double[] TopEigenvector(double[] m, int n)
    {
        var v = Enumerable.Range(0, n).Select(i => 1.0 + i * 1e-3).ToArray();
        var next = new double[n];
        for (int iter = 0; iter < 1000; iter++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += m[i * n + j] * v[j];
                next[i] = s;
            }
            double norm = Math.Sqrt(next.Sum(t => t * t));
            if (norm == 0) return v;
            double change = 0;
            for (int i = 0; i < n; i++) { double t = next[i] / norm; change += Math.Abs(t - v[i]); v[i] = t; }
            if (change < 1e-13) break;
        }
        return v;
    }
}
