namespace CamAssert.Cam;

/// <summary>
/// The eigenpair with the largest (algebraic, not absolute) eigenvalue of a symmetric matrix,
/// by cyclic Jacobi rotations: deterministic, and exact to rounding for the few hundred rows a
/// CAM layer has (kernel PCA's matrix is positions × positions).
/// </summary>
internal static class SymmetricEigen
{
    public static (double Value, double[] Vector) Largest(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++)
            {
                diag += a[p * n + p] * a[p * n + p];
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            }
            if (off <= 1e-24 * Math.Max(diag, double.Epsilon)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(a, v, n, p, q);
        }
        int best = 0;
        for (int i = 1; i < n; i++) if (a[i * n + i] > a[best * n + best]) best = i;
        var vector = new double[n];
        for (int i = 0; i < n; i++) vector[i] = v[i * n + best];
        return (a[best * n + best], vector);
    }

    /// <summary>One Jacobi rotation zeroing a[p, q] (Golub and Van Loan, algorithm 8.4.1), applied to a and accumulated in v's columns.</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        if (tau == 0) t = 1;
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
