using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Usage: OrtYardstick MODEL.onnx INPUT.npy [REPEATS]: median forward time with 2 intra-op threads,
// as one JSON line {"first_forward_ms", "forward_ms", "peak_rss_mb"} for bench/compare.py.
if (args.Length < 2) { Console.Error.WriteLine("usage: OrtYardstick MODEL.onnx INPUT.npy [REPEATS]"); return 2; }
int repeats = args.Length > 2 ? int.Parse(args[2]) : 10;
var (shape, values) = ReadNpy(args[1]);
using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
using var session = new InferenceSession(args[0], options);
string inputName = session.InputMetadata.Keys.First();
var tensor = new DenseTensor<float>(values, shape);
var inputs = new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) };
void Forward() { using var r = session.Run(inputs); }
var first = Stopwatch.StartNew();
Forward();
double firstMs = first.Elapsed.TotalMilliseconds;
for (int i = 0; i < 20; i++) Forward();  // warm-ups, as every tool in bench/compare.py
var times = new List<double>();
for (int i = 0; i < repeats; i++)
{
    var sw = Stopwatch.StartNew();
    Forward();
    times.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort();
long peak = Process.GetCurrentProcess().PeakWorkingSet64;
Console.WriteLine($"{{\"first_forward_ms\": {firstMs:F1}, \"forward_ms\": {times[times.Count / 2]:F2}, \"peak_rss_mb\": {peak / 1048576.0:F1}}}");
return 0;

static (int[] Shape, float[] Values) ReadNpy(string path)
{
    using var r = new BinaryReader(File.OpenRead(path));
    r.ReadBytes(6);
    int major = r.ReadByte(); r.ReadByte();
    int headerLength = major == 1 ? r.ReadUInt16() : (int)r.ReadUInt32();
    string header = System.Text.Encoding.ASCII.GetString(r.ReadBytes(headerLength));
    if (!header.Contains("'<f4'")) throw new InvalidDataException($"{path}: only little-endian float32 .npy is read, header {header}");
    string dims = header[(header.IndexOf("'shape': (") + 10)..];
    var shape = dims[..dims.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
    var values = new float[shape.Aggregate(1, (a, b) => a * b)];
    var bytes = r.ReadBytes(values.Length * 4);
    Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
    return (shape, values);
}
