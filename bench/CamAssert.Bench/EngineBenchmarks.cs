using BenchmarkDotNet.Attributes;
using CamAssert.Engine;
using CamAssert.Engine.Kernels;

/// <summary>Kernel-level benchmarks: the matrix multiply where convolutions spend their time.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 512)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(1);
        _a = Enumerable.Range(0, Size * Size).Select(_ => (float)rnd.NextDouble()).ToArray();
        _b = Enumerable.Range(0, Size * Size).Select(_ => (float)rnd.NextDouble()).ToArray();
        _c = new float[Size * Size];
    }

    [Benchmark]
    public void MatrixMultiply() => CamAssert.Engine.Kernels.MatrixMultiply.Run(_a, _b, _c, Size, Size, Size);
}
