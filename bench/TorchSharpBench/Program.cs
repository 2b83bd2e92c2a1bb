using System.Diagnostics;
using CamAssert;
using CamAssert.Cam;
using CamAssert.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

// Usage: TorchSharpBench [REPEATS]
// torchvision ResNet50 (TorchSharp's TorchVision, random weights, seed 0) at 224 px, batch 1, 2 threads:
// TorchSharp's own no-grad forward, and the TorchSharp backend's Grad-CAM at its default layer.
// Prints one JSON line (median ms) for bench/compare.py.
NativeSetup.Prepare();
int repeats = args.Length > 0 ? int.Parse(args[0]) : 10;
set_num_threads(2);
manual_seed(0);
var module = torchvision.models.resnet50();
module.eval();
var pixels = new float[3 * 224 * 224];
var rnd = new Random(0);
for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)rnd.NextDouble();
var input = CamAssert.Models.Tensor.FromFloats([1, 3, 224, 224], pixels);
var x = tensor(pixels, [1, 3, 224, 224]);

void Forward() { using var scope = NewDisposeScope(); using var _ = no_grad(); module.forward(x); }
var model = TorchSharpModel.From(module, 224, 224, name: "resnet50");
string layer = model.GradCam(input, Target.Class(0)).Source.Layer;   // the layer choice probes once, outside the timing
void GradCam() => model.GradCam(input, Target.Class(0), layer);

// Interleaved (forward, Grad-CAM, forward, …) so that a busy machine slows both alike; medians.
var forwards = new List<double>();
var gradcams = new List<double>();
Forward(); GradCam();
for (int i = 0; i < repeats; i++)
{
    var sw = Stopwatch.StartNew();
    Forward();
    forwards.Add(sw.Elapsed.TotalMilliseconds);
    sw.Restart();
    GradCam();
    gradcams.Add(sw.Elapsed.TotalMilliseconds);
}
double Median(List<double> t) { t.Sort(); return t[t.Count / 2]; }
double forward = Median(forwards), gradcam = Median(gradcams);
Console.WriteLine($"{{\"layer\": \"{layer}\", \"torchsharp_forward_ms\": {forward:F2}, \"gradcam_ms\": {gradcam:F2}, \"gradcam_vs_forward\": {gradcam / forward:F3}}}");
