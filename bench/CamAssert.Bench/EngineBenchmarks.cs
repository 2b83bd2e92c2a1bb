using BenchmarkDotNet.Attributes;
using CamAssert.Models;
using CamAssert.Onnx.Engine;
using CamAssert.Onnx.Engine.Kernels;

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
    public void MatrixMultiply() => CamAssert.Onnx.Engine.Kernels.MatrixMultiply.Run(_a, _b, _c, Size, Size, Size);
}
