using CamAssert.Models;
using System.Runtime.CompilerServices;
namespace CamAssert.Onnx.Engine.Kernels;

/// <summary>
/// The engine's only source of threads. Work is split into independent items whose results do
/// not depend on which thread runs them, so the thread count never changes a result.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Upper bound on threads used by one kernel call (default: processor count).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
    }

    /// <summary>Runs <paramref name="body"/> for 0..<paramref name="count"/>-1 on up to <paramref name="threads"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void For(int count, int threads, Action<int> body)
    {
        threads = Math.Min(Math.Min(threads, MaxThreads), count);
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }
}
