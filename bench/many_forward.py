"""The many-forward jobs of bench/compare.py: one map (or one ROAD score) by a method that runs the model on
many perturbed copies of the input, timed once in CamAssert (bench/CamAssert.Bench `method` / `road`,
ManyForwardJobs.cs) and once in its peer, each in a fresh process, on the free-batch ONNX export.

  Score-CAM, Ablation-CAM    pytorch-grad-cam's ScoreCAM, AblationCAM (its default batch sizes 16 and 32)
  SS-CAM, IS-CAM             TorchCAM's SSCAM, ISCAM (batch 32; its default num_samples 35 and 10, or
                             --torchcam-samples; CamAssert gets the same count)
  Occlusion                  Captum's Occlusion (window C,H,W, stride S, perturbations_per_eval 32)
  ROAD                       pytorch-grad-cam's ROADCombined over the percentiles, on its Grad-CAM map
                             (CamAssert: RoadCombined on its own Grad-CAM map)

Every timed call follows a Grad-CAM on the same model (the warm-up both sides get). Target: class 0.
"""
import json, os, subprocess, sys

# The peer's side of one job; argv: a JSON spec {model, size, layer, input, kind, ...}.
PEER_JOB = r'''
import json, os, sys, tempfile, time, types, numpy as np, torch, torchvision
torch.set_num_threads(2)
spec = json.loads(sys.argv[1])
torch.manual_seed(0)
model = getattr(torchvision.models, spec["model"])(weights=None).eval()
x = torch.from_numpy(np.load(spec["input"]))
layer = dict(model.named_modules())[spec["layer"]]
sys.path.insert(0, spec["pytorch_grad_cam"])
tta = sys.modules["ttach"] = types.ModuleType("ttach")  # test-time augmentation: unused here, not installed
tta.__getattr__ = lambda name: type(name, (), {"__init__": lambda self, *a, **k: None})
import pytorch_grad_cam
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
targets = [ClassifierOutputTarget(0)]
grad_cam = pytorch_grad_cam.GradCAM(model=model, target_layers=[layer])(input_tensor=x, targets=targets)
kind = spec["kind"]
if kind in ("ScoreCAM", "AblationCAM"):
    cam = getattr(pytorch_grad_cam, kind)(model=model, target_layers=[layer])
    job = lambda: cam(input_tensor=x, targets=targets)
elif kind in ("SSCAM", "ISCAM"):
    meta = os.path.join(tempfile.mkdtemp(), "torchcam-0.5.0.dev0.dist-info")  # TorchCAM asks importlib.metadata for its version
    os.makedirs(meta)
    open(os.path.join(meta, "METADATA"), "w").write("Metadata-Version: 2.1\nName: torchcam\nVersion: 0.5.0.dev0\n")
    sys.path[:0] = [spec["torch_cam"], os.path.dirname(meta)]
    import torchcam.methods
    extra = {"num_samples": spec["samples"]} if spec.get("samples") else {}
    extractor = getattr(torchcam.methods, kind)(model, spec["layer"], input_shape=tuple(x.shape[1:]), **extra)
    def job():
        with torch.no_grad():
            extractor(class_idx=0, scores=model(x))
elif kind == "Occlusion":
    sys.path.insert(0, spec["captum"])
    from captum.attr import Occlusion
    occlusion = Occlusion(model)
    def job():
        with torch.no_grad():
            occlusion.attribute(x, sliding_window_shapes=tuple(spec["window"]), strides=spec["stride"], target=0, perturbations_per_eval=32)
elif kind == "ROADCombined":
    from pytorch_grad_cam.metrics.road import ROADCombined
    road = ROADCombined(percentiles=spec["percentiles"])
    job = lambda: road(x, grad_cam, targets, model)
torch.manual_seed(0)
s = time.perf_counter()
job()
print(json.dumps({"ms": (time.perf_counter() - s) * 1000}))
'''


def jobs(model, layer, samples, window, stride, percentiles):
    """(label, peer, peer kind, CamAssert arguments after MODEL INPUT, extra spec) for each many-forward job."""
    tc = ["--samples", str(samples)] if samples else []
    occ = ["--window", ",".join(map(str, window)), "--stride", str(stride)]
    ps = ",".join(f"{p:g}" for p in percentiles)
    return [
        (f"Score-CAM at `{layer}` (one map)", "pytorch-grad-cam", "ScoreCAM", ["method", layer, "scorecam"], {}),
        (f"Ablation-CAM at `{layer}` (one map)", "pytorch-grad-cam", "AblationCAM", ["method", layer, "ablationcam"], {}),
        (f"SS-CAM at `{layer}` (one map{f', {samples} samples' if samples else ', 35 samples'})", "TorchCAM", "SSCAM", ["method", layer, "sscam"] + (tc or ["--samples", "35"]), {"samples": samples}),
        (f"IS-CAM at `{layer}` (one map{f', {samples} samples' if samples else ', 10 samples'})", "TorchCAM", "ISCAM", ["method", layer, "iscam"] + (tc or ["--samples", "10"]), {"samples": samples}),
        (f"Occlusion {'×'.join(map(str, window))} stride {stride}", "Captum", "Occlusion", ["method", layer, "occlusion"] + occ, {"window": list(window), "stride": stride}),
        (f"ROADCombined {ps} on Grad-CAM at `{layer}`", "pytorch-grad-cam", "ROADCombined", ["road", layer, ps], {"percentiles": list(percentiles)}),
    ]


def run(export, run_json, bench, model, size, layer, pgc, torch_cam, captum, samples, window, stride, percentiles, only=None):
    """Every many-forward job on `model` at `size` px (or those whose peer kind is in `only`): the results (peer, peer_ms,
    camassert_ms, ratio) and table rows (columns: job, ORT, PyTorch, pytorch-grad-cam / TorchCAM, Captum-style / Captum,
    CamAssert, ratio). Each row is also printed to stderr as its job ends, so a long run that is stopped keeps what it did."""
    onnx_path, inp = export(model, free_batch=True, size=size)
    results, rows = [], []
    for label, peer, kind, ours_args, extra in jobs(model, layer, samples, window, stride, percentiles):
        if only and kind not in only:
            continue
        needs = {"pytorch-grad-cam": pgc, "TorchCAM": torch_cam, "Captum": captum}[peer]
        if not needs:
            print(f"skipping {label}: no {peer} checkout", file=sys.stderr)
            continue
        command, rest = ours_args[0], ours_args[1:]
        ours = run_json(["dotnet", bench, command, onnx_path, inp] + rest)["ms"]
        spec = dict(extra, model=model, size=size, layer=layer, input=inp, kind=kind, pytorch_grad_cam=pgc, torch_cam=torch_cam, captum=captum)
        theirs = run_json([sys.executable, "-c", PEER_JOB, json.dumps(spec)])["ms"]
        results.append({"model": model, "size": size, "layer": layer, "method": kind, "job": label, "peer": peer,
                        "peer_ms": theirs, "camassert_ms": ours, "ratio": ours / theirs})
        grad_cam_column, captum_column = (f"{theirs:.0f}", "") if peer != "Captum" else ("", f"{theirs:.0f}")
        rows.append(f"| {model} {label} | | | {grad_cam_column} | {captum_column} | {ours:.0f} | **{ours / theirs:.2f}×** {peer} |")
        print(rows[-1], file=sys.stderr, flush=True)
    return results, rows
