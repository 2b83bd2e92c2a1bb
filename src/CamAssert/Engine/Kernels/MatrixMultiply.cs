using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CamAssert.Engine.Kernels;

/// <summary>
/// C = A·B (+ C when accumulating) for row-major float matrices: the one kernel where the
/// engine's time goes. B is packed into panels of 16 columns; a 4×16 register block of C
/// accumulates over k with FMA. Threads split the column panels, and every element of C is
/// summed over k in the same order whatever the thread count, so results are bit-identical.
/// </summary>
internal static class MatrixMultiply
{
    private const int Panel = 16, Rows = 4;

    /// <summary>Computes <paramref name="c"/>[m×n] = <paramref name="a"/>[m×k] · <paramref name="b"/>[k×n] (+ c if <paramref name="accumulate"/>).</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { if (!accumulate) c[..(m * n)].Clear(); return; }
        int panels = (n + Panel - 1) / Panel;
        unsafe
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                var job = new Job(pa, pb, pc, m, k, n, accumulate);
                Parallelism.For(panels, Math.Max(1, (int)Math.Min(panels, (long)m * k * n / (1 << 18) + 1)), job.RunPanel);
            }
        }
    }

    private sealed unsafe class Job(float* a, float* b, float* c, int m, int k, int n, bool accumulate)
    {
        [ThreadStatic] private static float[]? _packed;

        public void RunPanel(int panel)
        {
            int j0 = panel * Panel, width = Math.Min(Panel, n - j0);
            var packed = _packed is { } p && p.Length >= k * Panel ? p : _packed = new float[Math.Max(k * Panel, 4096)];
            fixed (float* bp = packed)
            {
                for (int kk = 0; kk < k; kk++)
                {
                    float* src = b + (long)kk * n + j0, dst = bp + kk * Panel;
                    int j = 0;
                    for (; j < width; j++) dst[j] = src[j];
                    for (; j < Panel; j++) dst[j] = 0;
                }
                int i = 0;
                for (; i + Rows <= m; i += Rows) Block4(a + (long)i * k, bp, c + (long)i * n + j0, k, n, width, accumulate);
                for (; i < m; i++) Block1(a + (long)i * k, bp, c + (long)i * n + j0, k, width, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> acc, Vector256<float> x, Vector256<float> y) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    private static unsafe void Block4(float* a, float* bp, float* c, int k, int n, int width, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        float* a0 = a, a1 = a + k, a2 = a + 2 * k, a3 = a + 3 * k;
        for (int kk = 0; kk < k; kk++)
        {
            var b0 = Vector256.Load(bp + kk * Panel);
            var b1 = Vector256.Load(bp + kk * Panel + 8);
            var x = Vector256.Create(a0[kk]); c00 = Fma(c00, x, b0); c01 = Fma(c01, x, b1);
            x = Vector256.Create(a1[kk]); c10 = Fma(c10, x, b0); c11 = Fma(c11, x, b1);
            x = Vector256.Create(a2[kk]); c20 = Fma(c20, x, b0); c21 = Fma(c21, x, b1);
            x = Vector256.Create(a3[kk]); c30 = Fma(c30, x, b0); c31 = Fma(c31, x, b1);
        }
        Store(c, c00, c01, width, accumulate);
        Store(c + n, c10, c11, width, accumulate);
        Store(c + 2 * n, c20, c21, width, accumulate);
        Store(c + 3 * n, c30, c31, width, accumulate);
    }

    private static unsafe void Block1(float* a, float* bp, float* c, int k, int width, bool accumulate)
    {
        Vector256<float> c0 = default, c1 = default;
        for (int kk = 0; kk < k; kk++)
        {
            var x = Vector256.Create(a[kk]);
            c0 = Fma(c0, x, Vector256.Load(bp + kk * Panel));
            c1 = Fma(c1, x, Vector256.Load(bp + kk * Panel + 8));
        }
        Store(c, c0, c1, width, accumulate);
    }

    private static unsafe void Store(float* c, Vector256<float> lo, Vector256<float> hi, int width, bool accumulate)
    {
        if (width == Panel)
        {
            if (accumulate) { lo += Vector256.Load(c); hi += Vector256.Load(c + 8); }
            lo.Store(c);
            hi.Store(c + 8);
            return;
        }
        float* tmp = stackalloc float[Panel];
        lo.Store(tmp);
        hi.Store(tmp + 8);
        for (int j = 0; j < width; j++) c[j] = accumulate ? c[j] + tmp[j] : tmp[j];
    }
}
