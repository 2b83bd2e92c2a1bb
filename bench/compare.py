#!/usr/bin/env python3
"""Side-by-side timing of CamAssert and PyTorch on the same jobs, in one run.

Development-time only (Debian's python3-torch 1.13 + torchvision 0.14); never run by tests or CI.

    /usr/bin/python3 bench/compare.py [--out bench/results.json]

For each model (full-size torchvision ResNet50 and MobileNetV2, random weights, 224 px, batch 1):
  1. exports the ONNX model and an input to bench/.models/ (git-ignored) if missing;
  2. PyTorch, torch.set_num_threads(2), in a fresh process each: (a) forward (no_grad),
     (b) the pytorch-grad-cam recipe: forward with hooks on the layer + loss.backward(),
     (c) peak RSS of the process running (b);
  3. CamAssert (bench/CamAssert.Bench, Release): forward, Grad-CAM (forward + targeted backward +
     map), an extra target on the same forward, and peak RSS;
and prints the ratios CamAssert / PyTorch.
"""
import argparse, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, ".models")
JOBS = [("resnet50", "layer4"), ("mobilenet_v2", "features")]

TORCH_JOB = r'''
import json, resource, sys, time, numpy as np, torch, torchvision
torch.set_num_threads(2)
name, layer_name, inp, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
torch.manual_seed(0)
model = getattr(torchvision.models, name)(weights=None).eval()
x = torch.from_numpy(np.load(inp))
layer = dict(model.named_modules())[layer_name]
def median(f):
    for _ in range(2): f()
    t = []
    for _ in range(reps):
        s = time.perf_counter(); f(); t.append((time.perf_counter() - s) * 1000)
    return sorted(t)[len(t) // 2]
def forward():
    with torch.no_grad(): model(x)
acts = {}
def hook(m, i, o):
    acts["a"] = o
    if o.requires_grad:
        o.register_hook(lambda g: acts.__setitem__("g", g))
layer.register_forward_hook(hook)
def gradcam():
    model.zero_grad()
    out = model(x)
    out[0, 0].backward()
    a, g = acts["a"].detach().numpy(), acts["g"].numpy()
    w = g.mean(axis=(2, 3))
    cam = np.maximum((w[:, :, None, None] * a).sum(axis=1), 0)
print(json.dumps({"forward_ms": median(forward), "gradcam_ms": median(gradcam),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def export(name):
    os.makedirs(MODELS, exist_ok=True)
    onnx_path, inp = os.path.join(MODELS, name + ".onnx"), os.path.join(MODELS, name + ".input.npy")
    if not os.path.exists(onnx_path):
        import numpy as np, torch, torchvision
        torch.manual_seed(0)
        m = getattr(torchvision.models, name)(weights=None).eval()
        x = torch.rand(1, 3, 224, 224)
        torch.onnx.export(m, x, onnx_path, opset_version=13, input_names=["input"], output_names=["logits"])
        np.save(inp, x.numpy())
    return onnx_path, inp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    subprocess.run(["dotnet", "build", os.path.join(HERE, "CamAssert.Bench"), "-c", "Release", "-v", "q", "--nologo"], check=True, capture_output=True)
    bench = os.path.join(HERE, "CamAssert.Bench", "bin", "Release", "net10.0", "CamAssert.Bench.dll")
    results = {}
    for name, layer in JOBS:
        onnx_path, inp = export(name)
        torch_r = json.loads(subprocess.run([sys.executable, "-c", TORCH_JOB, name, layer, inp, str(args.repeats)],
                                            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        ours = json.loads(subprocess.run(["dotnet", bench, "time", onnx_path, inp, layer, str(args.repeats)],
                                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        results[name] = {"layer": layer, "pytorch": torch_r, "camassert": ours, "ratios": {
            "forward": ours["forward_ms"] / torch_r["forward_ms"],
            "gradcam": ours["gradcam_ms"] / torch_r["gradcam_ms"],
            "extra_target_vs_forward": ours["extra_target_ms"] / ours["forward_ms"],
            "peak_memory": ours["peak_rss_mb"] / torch_r["peak_rss_mb"]}}
        print(name, json.dumps(results[name], indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
