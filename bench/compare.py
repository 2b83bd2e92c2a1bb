#!/usr/bin/env python3
"""Side-by-side timing of CamAssert and its peers on the same jobs, in one run, with ratios.

Development-time only (Debian's python3-torch 1.13 + torchvision 0.14); never run by tests or CI.

    /usr/bin/python3 bench/compare.py [--repeats 10] [--pytorch-grad-cam /tmp/pytorch-grad-cam] [--torch-cam /tmp/torch-cam] [--captum /tmp/captum]
        [--torchcam-samples N] [--occlusion-window 3,32,32] [--occlusion-stride 16] [--road-percentiles 20,40,60,80]
        [--skip-many-forward | --many-forward-only] [--smoke]

For each model (full-size torchvision ResNet50 and MobileNetV2, random weights, 224 px, batch 1,
2 threads everywhere), in a fresh process each:
  - PyTorch 1.13: forward under no_grad; the Captum-style recipe (forward with autograd on, then
    torch.autograd.grad(score, layer_output): only score -> layer, as Captum's LayerGradCam);
    pytorch-grad-cam 1.5.5 itself (GradCAM(model, [layer])(x, [ClassifierOutputTarget(0)]), from a
    checkout given by --pytorch-grad-cam; its ttach import is stubbed);
  - ONNX Runtime 1.31.1 (bench/OrtYardstick): forward;
  - CamAssert (bench/CamAssert.Bench): forward, Grad-CAM, an extra target on the same forward, RSS;
  - the TorchSharp backend (bench/TorchSharpBench): Grad-CAM against TorchSharp's own no-grad forward
    of the same ResNet50 (TorchSharp's TorchVision);
the many-forward jobs on ResNet50 at layer4 (bench/many_forward.py: Score-CAM, Ablation-CAM and ROADCombined
against pytorch-grad-cam, SS-CAM and IS-CAM against TorchCAM, Occlusion against Captum; one run each: minutes;
--skip-many-forward leaves them out, --many-forward-only runs only them, --smoke runs everything small once);
plus the GEMM kernel with AVX-512 and with AVX2 only (DOTNET_EnableAVX512=0; .NET 10 ignores the older DOTNET_EnableAVX512F) against the FMA peak
measured on the same machine (`CamAssert.Bench peak`: register-only FMA chains; a nominal peak from
the clock is printed beside it, since cores differ in how many 512-bit FMAs they issue per cycle).
Prints the CPU model (lscpu) and a markdown table of ratios for BENCHMARKS.md.
"""
import argparse, json, os, subprocess, sys

import many_forward

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, ".models")
JOBS = [("resnet50", "layer4"), ("mobilenet_v2", "features")]

TORCH_JOB = r'''
import json, resource, sys, time, types, numpy as np, torch, torchvision
torch.set_num_threads(2)
name, layer_name, inp, reps, pgc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
torch.manual_seed(0)
model = getattr(torchvision.models, name)(weights=None).eval()
x = torch.from_numpy(np.load(inp))
layer = dict(model.named_modules())[layer_name]
def median(f):
    for _ in range(20): f()
    t = []
    for _ in range(reps):
        s = time.perf_counter(); f(); t.append((time.perf_counter() - s) * 1000)
    return sorted(t)[len(t) // 2]
def forward():
    with torch.no_grad(): model(x)
s = time.perf_counter(); forward(); first_ms = (time.perf_counter() - s) * 1000
kept = {}
handle = layer.register_forward_hook(lambda m, i, o: kept.__setitem__("a", o))
def captum_style():
    out = model(x)
    (g,) = torch.autograd.grad(out[0, 0], kept["a"])
    w = g.mean(dim=(2, 3), keepdim=True)
    return torch.relu((w * kept["a"]).sum(dim=1)).detach()
r = {"first_forward_ms": first_ms, "forward_ms": median(forward), "captum_style_ms": median(captum_style)}
handle.remove()
if pgc:
    sys.path.insert(0, pgc)
    tta = sys.modules["ttach"] = types.ModuleType("ttach")  # test-time augmentation: unused here, not installed
    tta.__getattr__ = lambda name: type(name, (), {"__init__": lambda self, *a, **k: None})
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    cam = GradCAM(model=model, target_layers=[layer])
    r["pytorch_grad_cam_ms"] = median(lambda: cam(input_tensor=x, targets=[ClassifierOutputTarget(0)]))
r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(r))
'''

def export(name, free_batch=False, size=224):
    """The torchvision model as ONNX (opset 13) and its input at size×size px; with free_batch, the batch axis left free
    (the many-forward methods run their inputs in batches, as pytorch-grad-cam does)."""
    os.makedirs(MODELS, exist_ok=True)
    stem = name if size == 224 else f"{name}.{size}px"
    suffix = ".batch.onnx" if free_batch else ".onnx"
    onnx_path, inp = os.path.join(MODELS, stem + suffix), os.path.join(MODELS, stem + ".input.npy")
    if not os.path.exists(onnx_path) or not os.path.exists(inp):
        import numpy as np, torch, torchvision
        torch.manual_seed(0)
        m = getattr(torchvision.models, name)(weights=None).eval()
        x = torch.rand(1, 3, size, size)
        axes = {"input": {0: "batch"}, "logits": {0: "batch"}} if free_batch else None
        torch.onnx.export(m, x, onnx_path, opset_version=13, input_names=["input"], output_names=["logits"], dynamic_axes=axes)
        if not os.path.exists(inp):
            np.save(inp, x.numpy())
    return onnx_path, inp


def cpu():
    info = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    field = lambda key: next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.split(":", 1)[0].strip() == key), "?")
    flags = field("Flags").split()
    mhz = field("CPU max MHz") if field("CPU max MHz") != "?" else next(
        (l.split(":")[1].strip() for l in open("/proc/cpuinfo") if l.startswith("cpu MHz")), "0")
    return {"model": field("Model name"), "family": field("CPU family"), "model_number": field("Model"),
            "cores": os.cpu_count(), "avx512f": "avx512f" in flags, "mhz": float(mhz),
            "load_average": open("/proc/loadavg").read().split()[:3]}


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--skip-many-forward", action="store_true", help="skip the many-forward jobs (minutes each on ResNet50)")
    ap.add_argument("--many-forward-only", action="store_true", help="only the many-forward jobs (bench/many_forward.py)")
    ap.add_argument("--many-forward-methods", default="", help="only these many-forward jobs, by peer kind: "
                    "ScoreCAM,AblationCAM,SSCAM,ISCAM,Occlusion,ROADCombined (default: all)")
    ap.add_argument("--smoke", action="store_true", help="ResNet18 at 64 px, every job once (1 TorchCAM sample unless given), "
                    "no GEMM or TorchSharp jobs, into results.smoke.json: checks the plumbing in a minute or two")
    ap.add_argument("--pytorch-grad-cam", default="/tmp/pytorch-grad-cam", help="a checkout of jacobgil/pytorch-grad-cam")
    ap.add_argument("--torch-cam", default="/tmp/torch-cam", help="a checkout of frgfm/torch-cam (SS-CAM, IS-CAM)")
    ap.add_argument("--captum", default="/tmp/captum", help="a checkout of pytorch/captum (Occlusion)")
    ap.add_argument("--torchcam-samples", type=int, default=None, help="SS-CAM and IS-CAM samples, both sides (default: TorchCAM's, 35 and 10)")
    ap.add_argument("--occlusion-window", default="3,32,32", help="Occlusion's window C,H,W (Captum's sliding_window_shapes)")
    ap.add_argument("--occlusion-stride", type=int, default=16, help="Occlusion's stride (Captum's strides)")
    ap.add_argument("--road-percentiles", default="20,40,60,80", help="ROADCombined's percentiles")
    args = ap.parse_args()
    checkout = lambda path, package: path if os.path.isdir(os.path.join(path, package)) else ""
    pgc = checkout(args.pytorch_grad_cam, "pytorch_grad_cam")
    torch_cam, captum = checkout(args.torch_cam, "torchcam"), checkout(args.captum, "captum")
    jobs, size, many_model = (([("resnet18", "layer4")], 64, "resnet18") if args.smoke else (JOBS, 224, "resnet50"))
    if args.smoke:
        args.repeats = 1
        args.torchcam_samples = args.torchcam_samples or 1
        if args.out == os.path.join(HERE, "results.json"):
            args.out = os.path.join(HERE, "results.smoke.json")
    if args.many_forward_only:
        jobs = []
    whole = not args.smoke and not args.many_forward_only   # the GEMM and TorchSharp jobs
    for project in ("CamAssert.Bench", "OrtYardstick", "TorchSharpBench")[:3 if whole else 2 if jobs else 1]:
        subprocess.run(["dotnet", "build", os.path.join(HERE, project), "-c", "Release", "-v", "q", "--nologo"], check=True, capture_output=True)
    bench = os.path.join(HERE, "CamAssert.Bench", "bin", "Release", "net10.0", "CamAssert.Bench.dll")
    ort = os.path.join(HERE, "OrtYardstick", "bin", "Release", "net10.0", "OrtYardstick.dll")
    machine = cpu()
    results = {"cpu": machine, "models": {}}
    rows = []
    for name, layer in jobs:
        onnx_path, inp = export(name, size=size)
        torch_r = run_json([sys.executable, "-c", TORCH_JOB, name, layer, inp, str(args.repeats), pgc])
        ort_r = run_json(["dotnet", ort, onnx_path, inp, str(args.repeats)])
        ours = run_json(["dotnet", bench, "time", onnx_path, inp, layer, str(args.repeats)])
        fastest_peer = min(v for k, v in torch_r.items() if k in ("captum_style_ms", "pytorch_grad_cam_ms"))
        ratios = {"forward_vs_onnxruntime": ours["forward_ms"] / ort_r["forward_ms"],
                  "forward_vs_pytorch": ours["forward_ms"] / torch_r["forward_ms"],
                  "gradcam_vs_captum_style": ours["gradcam_ms"] / torch_r["captum_style_ms"],
                  "gradcam_vs_fastest_peer": ours["gradcam_ms"] / fastest_peer,
                  "extra_target_vs_forward": ours["extra_target_ms"] / ours["forward_ms"],
                  "peak_memory_vs_onnxruntime": ours["forward_peak_rss_mb"] / ort_r["peak_rss_mb"]}
        if "pytorch_grad_cam_ms" in torch_r:
            ratios["gradcam_vs_pytorch_grad_cam"] = ours["gradcam_ms"] / torch_r["pytorch_grad_cam_ms"]
        results["models"][name] = {"layer": layer, "pytorch": torch_r, "onnxruntime": ort_r, "camassert": ours, "ratios": ratios}
        pgc_ms = torch_r.get("pytorch_grad_cam_ms")
        rows.append(f"| {name} forward | {ort_r['forward_ms']:.1f} | {torch_r['forward_ms']:.1f} | | | {ours['forward_ms']:.1f} | "
                    f"**{ratios['forward_vs_onnxruntime']:.2f}×** ORT, {ratios['forward_vs_pytorch']:.2f}× PyTorch |")
        rows.append(f"| {name} Grad-CAM at `{layer}` | | | {pgc_ms and f'{pgc_ms:.1f}' or '—'} | {torch_r['captum_style_ms']:.1f} | {ours['gradcam_ms']:.1f} | "
                    f"**{ratios['gradcam_vs_captum_style']:.2f}×** Captum-style" + (f", {ratios['gradcam_vs_pytorch_grad_cam']:.2f}× pytorch-grad-cam |" if pgc_ms else " |"))
        rows.append(f"| {name} first forward after load (a test's first call) | {ort_r['first_forward_ms']:.1f} | {torch_r['first_forward_ms']:.1f} | | | {ours['first_forward_ms']:.1f} | "
                    f"{ours['first_forward_ms'] / ort_r['first_forward_ms']:.2f}× ORT |")
        rows.append(f"| {name} extra target | | | | | {ours['extra_target_ms']:.2f} | {100 * ratios['extra_target_vs_forward']:.2f} % of a forward |")
        rows.append(f"| {name} peak RSS (MB), load + forwards (CamAssert: then with Grad-CAM) | {ort_r['peak_rss_mb']:.0f} | {torch_r['peak_rss_mb']:.0f} | | | {ours['forward_peak_rss_mb']:.0f} ({ours['peak_rss_mb']:.0f}) | {ratios['peak_memory_vs_onnxruntime']:.2f}× ORT |")
    gemm = {}
    for isa, env in () if not whole else (("avx512", None), ("avx2", dict(os.environ, DOTNET_EnableAVX512="0", DOTNET_EnableAVX512F="0"))):
        if isa == "avx512" and not machine["avx512f"]:
            continue
        out = subprocess.run(["dotnet", bench, "gemm"], check=True, capture_output=True, text=True, env=env).stdout
        # Each line: "MxKxN: … ms, P GFLOP/s; weights packed once: … ms, Q GFLOP/s" (convolutions run with weights packed once).
        lines = [l for l in out.strip().splitlines() if "GFLOP/s" in l]
        plain = max(float(l.split(",")[1].split()[0]) for l in lines)
        best = max(float(l.split(",")[2].split()[0]) for l in lines)
        measured = run_json(["dotnet", bench, "peak"], env=env)
        peak = measured["peak_gflops"]
        nominal = machine["cores"] * 2 * (16 if isa == "avx512" else 8) * 2 * machine["mhz"] / 1000
        gemm[isa] = {"best_gflops": best, "best_gflops_packed_per_call": plain, "peak_gflops": peak, "nominal_peak_gflops": nominal,
                     "share_of_peak": best / peak, "detail": out.strip().splitlines()}
        rows.append(f"| GEMM ({isa}), best shape, weights packed once (as convolutions run; packed per call) | | | | | {best:.0f} ({plain:.0f}) GFLOP/s | "
                    f"**{100 * best / peak:.0f} %** ({100 * plain / peak:.0f} %) of {peak:.0f} GFLOP/s peak* |")
    results["gemm"] = gemm
    if whole:
        torchsharp = results["torchsharp"] = run_json(["dotnet", os.path.join(HERE, "TorchSharpBench", "bin", "Release", "net10.0", "TorchSharpBench.dll"), str(args.repeats)])
        rows.append(f"| resnet50 TorchSharp backend: Grad-CAM at `{torchsharp['layer']}` vs TorchSharp's own no-grad forward | | | | | "
                    f"{torchsharp['gradcam_ms']:.1f} (forward {torchsharp['torchsharp_forward_ms']:.1f}) | **{torchsharp['gradcam_vs_forward']:.2f}×** its forward |")
    if not args.skip_many_forward:
        window = tuple(int(v) for v in args.occlusion_window.split(","))
        percentiles = [float(p) for p in args.road_percentiles.split(",")]
        results["many_forward"], many_rows = many_forward.run(export, run_json, bench, many_model, size, "layer4", pgc, torch_cam, captum,
                                                              args.torchcam_samples, window, args.occlusion_stride, percentiles,
                                                              [m for m in args.many_forward_methods.split(",") if m])
        rows += many_rows
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"CPU: {machine['model']} (family {machine['family']}, model {machine['model_number']}), {machine['cores']} cores, "
          f"{machine['mhz']:.0f} MHz, AVX-512: {machine['avx512f']}; load average at start {' '.join(machine['load_average'])}")
    print("| job | ONNX Runtime 1.31.1 (ms) | PyTorch 1.13 (ms) | pytorch-grad-cam / TorchCAM (ms) | Captum-style / Captum (ms) | CamAssert (ms) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    if gemm:
        print("* peak = measured: 12 independent FMA chains in registers per thread on every core, widest vectors the ISA allows "
              "(bench peak). Nominal 2 FMA ports x lanes x 2 flop x clock: "
              + ", ".join(f"{isa} {g['nominal_peak_gflops']:.0f}" for isa, g in gemm.items()) + " GFLOP/s.")


if __name__ == "__main__":
    main()
