using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

/// <summary>
/// The machine's measured FMA peak: every thread runs 12 independent fused multiply-add chains in
/// registers (enough to cover the FMA latency on current x86 cores), with the widest vectors the
/// runtime allows (512-bit unless DOTNET_EnableAVX512F=0). This is the ceiling a GEMM kernel is
/// measured against: on cores that split 512-bit work into two 256-bit halves (AMD Zen 4) it is
/// the same for both widths; on Intel cores with two 512-bit FMA units it doubles.
/// </summary>
internal static class FmaPeak
{
    public static (double Gflops, string Isa) Measure(int threads)
    {
        bool wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
        int lanes = wide ? 16 : 8;
        const long Steps = 100_000_000;
        // Warm-up, JIT, and every thread started: a thread the pool starts late would halve the figure.
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Run(wide, Steps / 20));
        var sw = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Run(wide, Steps));
        double flops = (double)threads * Steps * 12 * lanes * 2;
        return (flops / sw.Elapsed.TotalSeconds / 1e9, wide ? "avx512" : "avx2");
    }

    private static float Run(bool wide, long steps) => wide ? Run512(steps) : Run256(steps);

    private static float Run512(long steps)
    {
        var m = Vector512.Create(0.999999f); var a = Vector512.Create(1e-7f);
        Vector512<float> x0 = m, x1 = m, x2 = m, x3 = m, x4 = m, x5 = m, x6 = m, x7 = m, x8 = m, x9 = m, x10 = m, x11 = m;
        for (long i = 0; i < steps; i++)
        {
            x0 = Avx512F.FusedMultiplyAdd(x0, m, a); x1 = Avx512F.FusedMultiplyAdd(x1, m, a);
            x2 = Avx512F.FusedMultiplyAdd(x2, m, a); x3 = Avx512F.FusedMultiplyAdd(x3, m, a);
            x4 = Avx512F.FusedMultiplyAdd(x4, m, a); x5 = Avx512F.FusedMultiplyAdd(x5, m, a);
            x6 = Avx512F.FusedMultiplyAdd(x6, m, a); x7 = Avx512F.FusedMultiplyAdd(x7, m, a);
            x8 = Avx512F.FusedMultiplyAdd(x8, m, a); x9 = Avx512F.FusedMultiplyAdd(x9, m, a);
            x10 = Avx512F.FusedMultiplyAdd(x10, m, a); x11 = Avx512F.FusedMultiplyAdd(x11, m, a);
        }
        return Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    private static float Run256(long steps)
    {
        var m = Vector256.Create(0.999999f); var a = Vector256.Create(1e-7f);
        Vector256<float> x0 = m, x1 = m, x2 = m, x3 = m, x4 = m, x5 = m, x6 = m, x7 = m, x8 = m, x9 = m, x10 = m, x11 = m;
        for (long i = 0; i < steps; i++)
        {
            x0 = Fma.MultiplyAdd(x0, m, a); x1 = Fma.MultiplyAdd(x1, m, a);
            x2 = Fma.MultiplyAdd(x2, m, a); x3 = Fma.MultiplyAdd(x3, m, a);
            x4 = Fma.MultiplyAdd(x4, m, a); x5 = Fma.MultiplyAdd(x5, m, a);
            x6 = Fma.MultiplyAdd(x6, m, a); x7 = Fma.MultiplyAdd(x7, m, a);
            x8 = Fma.MultiplyAdd(x8, m, a); x9 = Fma.MultiplyAdd(x9, m, a);
            x10 = Fma.MultiplyAdd(x10, m, a); x11 = Fma.MultiplyAdd(x11, m, a);
        }
        return Vector256.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }
}
