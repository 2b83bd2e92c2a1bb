using System.Diagnostics;
using BenchmarkDotNet.Running;
using CamAssert;
using CamAssert.Cam;
using CamAssert.Imaging;
using CamAssert.Models;

// Usage:
//   dotnet run -c Release -- time MODEL INPUT.npy LAYER [REPEATS]   median times, one JSON line (used by bench/compare.py)
//   dotnet run -c Release -- method MODEL INPUT.npy LAYER NAME [--samples N] [--window C,H,W] [--stride S]   one map by a many-forward method, ms (ManyForwardJobs.cs)
//   dotnet run -c Release -- road MODEL INPUT.npy LAYER P1,P2,...    ROADCombined on the Grad-CAM map, ms (ManyForwardJobs.cs)
//   dotnet run -c Release -- gemm | peak                              GEMM kernel GFLOP/s | measured FMA peak (JSON)
//   dotnet run -c Release -- convprobe | depthwiseprobe               ResNet50/MobileNetV2 convolution shapes alone
//   dotnet run -c Release -- bdn [BenchmarkDotNet args]             the BenchmarkDotNet suite
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "peak")
{
    var (gflops, isa) = FmaPeak.Measure(Environment.ProcessorCount);
    Console.WriteLine($"{{\"isa\": \"{isa}\", \"threads\": {Environment.ProcessorCount}, \"peak_gflops\": {gflops:F1}}}");
    return 0;
}
if (args.Length > 0 && args[0] == "gemm")
{
    foreach (var (m, k, n) in new[] { (64, 576, 3136), (256, 64, 3136), (512, 4608, 49), (256, 2304, 196), (128, 1152, 784), (1024, 1024, 1024) })
    {
        var rnd = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rnd.NextDouble()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rnd.NextDouble()).ToArray();
        var c = new float[m * n];
        var packed = CamAssert.Onnx.Engine.Kernels.PackedRows.Pack(a, m, k);
        // Interleaved, fastest of many: the least disturbed by other processes on the machine.
        double plainMs = double.MaxValue, packedMs = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.ElapsedMilliseconds < 1000)
        {
            var sw = Stopwatch.StartNew();
            CamAssert.Onnx.Engine.Kernels.MatrixMultiply.Run(a, b, c, m, k, n);
            plainMs = Math.Min(plainMs, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            CamAssert.Onnx.Engine.Kernels.MatrixMultiply.Run(packed, b, c, n);
            packedMs = Math.Min(packedMs, sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{m}x{k}x{n}: {plainMs:F3} ms, {2.0 * m * k * n / plainMs / 1e6:F1} GFLOP/s; weights packed once: {packedMs:F3} ms, {2.0 * m * k * n / packedMs / 1e6:F1} GFLOP/s");
    }
    return 0;
}
if (args.Length >= 4 && args[0] == "batchprobe")
{
    // Per-image forward time for batches of 1, 2, 4, … up to N copies of the input (a model with a free batch axis).
    var probeModel = CamModel.Load(args[1]);
    var one = Npy.Read(args[2]);
    for (int n = 1; n <= int.Parse(args[3]); n *= 2)
    {
        var data = new float[n * one.Length];
        for (int i = 0; i < n; i++) one.F.CopyTo(data, i * one.Length);
        var x = CamAssert.Models.Tensor.FromFloats([n, .. one.Shape[1..]], data);
        probeModel.Run(x); probeModel.Run(x);
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) { var sw = Stopwatch.StartNew(); probeModel.Run(x); best = Math.Min(best, sw.Elapsed.TotalMilliseconds); }
        Console.WriteLine($"batch {n}: {best / n:F1} ms per image, peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
    }
    return 0;
}
if (args.Length > 0 && args[0] == "depthwiseprobe")
{
    foreach (var (c, h, stride) in new[] { (32, 112, 1), (96, 112, 2), (144, 56, 1), (144, 56, 2), (192, 28, 1), (384, 14, 1), (576, 14, 1), (960, 7, 1) })
    {
        var win = new CamAssert.Onnx.Engine.Window { KernelH = 3, KernelW = 3, StrideH = stride, StrideW = stride, DilationH = 1, DilationW = 1, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, InH = h, InW = h, OutH = (h - 1) / stride + 1, OutW = (h - 1) / stride + 1 };
        var rnd = new Random(1);
        var x = Enumerable.Range(0, c * h * h).Select(_ => (float)rnd.NextDouble()).ToArray();
        var w = Enumerable.Range(0, c * 9).Select(_ => (float)rnd.NextDouble()).ToArray();
        var y = new float[c * win.OutH * win.OutW];
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.ElapsedMilliseconds < 1000)
        {
            var sw = Stopwatch.StartNew();
            CamAssert.Onnx.Engine.Kernels.Depthwise.Forward(x, w, default, y, 1, c, 1, win, (0f, 6f));
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"depthwise {c}x{h}x{h} s{stride}: {best * 1000:F0} µs, {(c * h * h + y.Length) * 4 / best / 1e6:F1} GB/s of input+output");
    }
    return 0;
}
if (args.Length > 0 && args[0] == "convprobe")
{
    foreach (var (c, h, kernel, stride, m) in new[] { (64, 56, 3, 1, 64), (128, 28, 3, 1, 128), (256, 14, 3, 1, 256), (512, 7, 3, 1, 512), (256, 56, 1, 1, 64), (64, 56, 1, 1, 256), (3, 224, 7, 2, 64), (16, 112, 1, 1, 96), (24, 56, 1, 1, 144), (96, 14, 1, 1, 576), (160, 7, 1, 1, 960), (576, 14, 1, 1, 96) })
    {
        int pad = kernel / 2;
        var win = new CamAssert.Onnx.Engine.Window { KernelH = kernel, KernelW = kernel, StrideH = stride, StrideW = stride, DilationH = 1, DilationW = 1, PadTop = pad, PadLeft = pad, PadBottom = pad, PadRight = pad, InH = h, InW = h, OutH = (h + 2 * pad - kernel) / stride + 1, OutW = (h + 2 * pad - kernel) / stride + 1 };
        var rnd = new Random(1);
        var x = Enumerable.Range(0, c * h * h).Select(_ => (float)rnd.NextDouble()).ToArray();
        var w = Enumerable.Range(0, m * c * kernel * kernel).Select(_ => (float)rnd.NextDouble()).ToArray();
        var packedW = CamAssert.Onnx.Engine.Kernels.PackedRows.Pack(w, m, c * kernel * kernel);
        var y = new float[m * win.OutH * win.OutW];
        double packMs = double.MaxValue, gemmMs = double.MaxValue;
        var total = Stopwatch.StartNew();
        var arena = new CamAssert.Onnx.Engine.Arena();
        using var scope = arena.Open();
        while (total.ElapsedMilliseconds < 1500)
        {
            var sw = Stopwatch.StartNew();
            var cols = CamAssert.Onnx.Engine.Kernels.WindowColumns.Of(x, 0, c, win);
            packMs = Math.Min(packMs, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            cols.Multiply(packedW, y, default, Environment.GetEnvironmentVariable("PROBE_CLAMP") == "1" ? (0f, 6f) : null);
            gemmMs = Math.Min(gemmMs, sw.Elapsed.TotalMilliseconds);
            cols.Dispose();
        }
        double flops = 2.0 * m * c * kernel * kernel * win.OutH * win.OutW;
        Console.WriteLine($"{c}x{h}x{h} k{kernel} s{stride} -> {m}: pack {packMs:F3} ms, gemm {gemmMs:F3} ms ({flops / gemmMs / 1e6:F0} GFLOP/s; with pack {flops / (gemmMs + packMs) / 1e6:F0})");
    }
    return 0;
}
if (args.Length > 0 && args[0] is "method" or "road") return ManyForwardJobs.Run(args);   // ManyForwardJobs.cs
if (args.Length < 4 || args[0] != "time")
{
    Console.Error.WriteLine("usage: time MODEL INPUT.npy LAYER [REPEATS] | bdn [args]");
    return 2;
}
if (int.TryParse(Environment.GetEnvironmentVariable("CAMASSERT_THREADS"), out int threadCap)) CamAssert.Onnx.Engine.Kernels.Parallelism.MaxThreads = threadCap;
static string Rss() { var p = Process.GetCurrentProcess(); return $"{p.WorkingSet64 / 1048576.0:F0} MB now, peak {p.PeakWorkingSet64 / 1048576.0:F0} MB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB"; }
Console.Error.WriteLine($"memory at start: {Rss()}");
var model = CamModel.Load(args[1]);
Console.Error.WriteLine($"memory after load: {Rss()}");
var input = Npy.Read(args[2]);
var firstClock = Stopwatch.StartNew();
model.Run(input);
double firstForward = firstClock.Elapsed.TotalMilliseconds;  // a test's first forward: includes compiling the engine's code
Console.Error.WriteLine($"memory after one forward: {Rss()}");
var layer = model.Layer(args[3]);
int repeats = args.Length > 4 ? int.Parse(args[4]) : 10;

const int Warmups = 20;
double Median(Action action)
{
    for (int i = 0; i < Warmups; i++) action();  // as every tool in bench/compare.py (.NET tiers code up over the first forwards)
    var times = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        var sw = Stopwatch.StartNew();
        action();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    if (Environment.GetEnvironmentVariable("CAMASSERT_BENCH_TIMES") == "1") Console.Error.WriteLine("times: " + string.Join(" ", times.Select(t => t.ToString("F1"))));
    times.Sort();
    return times[times.Count / 2];
}

var pauseBefore = GC.GetTotalPauseDuration();
int gen2Before = GC.CollectionCount(2);
double forward = Median(() => model.Run(input));
Console.Error.WriteLine($"GC during {repeats + Warmups} forwards: {GC.CollectionCount(2) - gen2Before} gen2 collections, {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms paused");
// The job ONNX Runtime's figure is for: load and forwards only.
long forwardPeak = Process.GetCurrentProcess().PeakWorkingSet64;
double gradcam = Median(() => model.GradCam(input, Target.Class(0), layer: args[3]));
var pass = model.Forward(input, layer);
var seed = new float[pass.Output.Length];
int target = 1;
double extra = Median(() => { Array.Clear(seed); seed[target++ % seed.Length] = 1; pass.Gradient(CamAssert.Models.Tensor.FromFloats(pass.Output.Shape, seed)); });
if (Environment.GetEnvironmentVariable("CAMASSERT_PROFILE") is "1" or "shapes")
{
    CamAssert.Onnx.Engine.Executor.ProfileShapes = Environment.GetEnvironmentVariable("CAMASSERT_PROFILE") == "shapes";
    // The fastest of the repeats per operator: the least disturbed by other processes.
    var fastest = new Dictionary<string, double>();
    for (int i = 0; i < repeats; i++)
    {
        CamAssert.Onnx.Engine.Executor.Profile = [];
        model.Run(input);
        foreach (var (op, ms) in CamAssert.Onnx.Engine.Executor.Profile) fastest[op] = Math.Min(fastest.GetValueOrDefault(op, double.MaxValue), ms);
    }
    for (int i = 0; i < 5; i++)
    {
        CamAssert.Onnx.Engine.Executor.Profile = [];
        var clock = Stopwatch.StartNew();
        model.Run(input);
        Console.Error.WriteLine($"forward {clock.Elapsed.TotalMilliseconds:F1} ms, operators {CamAssert.Onnx.Engine.Executor.Profile.Values.Sum():F1} ms");
    }
    Console.Error.WriteLine($"fastest per operator over {repeats} forwards (sum {fastest.Where(p => !p.Key.StartsWith(' ')).Sum(p => p.Value):F1} ms):");
    foreach (var (op, ms) in fastest.OrderByDescending(p => p.Value)) Console.Error.WriteLine($"{op,-24} {ms,8:F2} ms");
    CamAssert.Onnx.Engine.Executor.Profile = null;
}
GC.Collect();
long peak = Process.GetCurrentProcess().PeakWorkingSet64;
Console.WriteLine($"{{\"first_forward_ms\": {firstForward:F1}, \"forward_ms\": {forward:F2}, \"gradcam_ms\": {gradcam:F2}, \"extra_target_ms\": {extra:F2}, \"forward_peak_rss_mb\": {forwardPeak / 1048576.0:F1}, \"peak_rss_mb\": {peak / 1048576.0:F1}}}");
return 0;
