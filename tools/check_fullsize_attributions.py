#!/usr/bin/env python3
"""Full-size torchvision models: CamAssert's CLI against Captum and pytorch-grad-cam themselves, for the pixel
attributions and FullGrad.

Development time only; the table it prints goes into docs/METHODS.md. Random weights (no download), seed 0, one
random input (seed 1), the top class as target. Compared: the CLI's `--npy` map, which for a pixel attribution is
Captum's visualisation scaling of it (`_normalize_attr(attr, "absolute_value", 2, reduction_axis=2)`), against that
scaling of Captum's own attribution (pytorch-grad-cam's for guided backprop), and FullGrad's map against
pytorch-grad-cam's FullGrad. Occlusion (METHODS=occlusion; OCCLUSION=window,stride in pixels, default 32,16, every
channel at once) is compared on Captum's scaling of the positive attribution, as the CLI writes it.

    /usr/bin/python3 tools/check_fullsize_attributions.py /tmp/pgc /tmp/captum [model ...]
    METHODS=saliency,fullgrad STEPS=8 /usr/bin/python3 tools/check_fullsize_attributions.py /tmp/pgc /tmp/captum resnet50
"""
import os, subprocess, sys, time

import numpy as np
import torch
import torchvision

sys.argv, names = sys.argv[:3], sys.argv[3:]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_captum_references as ref   # noqa: E402  (Captum, pytorch-grad-cam and their stubs)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/camassert-fullsize-attributions"
CLI = os.path.join(ROOT, "src", "CamAssert.Cli", "bin", "Release", "net10.0", "CamAssert.Cli.dll")
MODELS = {"resnet50": (224, "layer4"), "mobilenet_v2": (224, "features"), "vgg11": (224, "features"), "densenet121": (224, "features")}
METHODS = os.environ.get("METHODS", "saliency,inputxgradient,integratedgradients,guidedbackprop,guidedgradcam,fullgrad").split(",")
STEPS = int(os.environ.get("STEPS", "50"))
WINDOW, STRIDE = (int(v) for v in os.environ.get("OCCLUSION", "32,16").split(","))


def occlusion(model, x, top):
    from captum.attr import Occlusion
    attr = Occlusion(model).attribute(x, sliding_window_shapes=(3, WINDOW, WINDOW), strides=(3, STRIDE, STRIDE), target=top, perturbations_per_eval=8)
    return ref._normalize_attr(attr[0].detach().numpy().transpose(1, 2, 0).astype(np.float64), "positive", 2, reduction_axis=2).astype(np.float32)


def reference(model, x, method, top, layer):
    if method == "occlusion":
        return occlusion(model, x, top)
    if method == "fullgrad":
        return ref.fullgrad(model, x, "nchw", f"class:{top}")
    case = dict(method=method, target=f"class:{top}", **({"steps": STEPS} if method == "integratedgradients" else {}))
    if method.startswith("guided"):
        hwc = ref.guided(model, x, "nchw", layer, case)
    else:
        hwc = ref.captum_attribution(model, x, case)[0].detach().numpy().transpose(1, 2, 0)
    return ref._normalize_attr(hwc.astype(np.float64), "absolute_value", 2, reduction_axis=2).astype(np.float32)


def main():
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CamAssert.Cli"), "-c", "Release", "-v", "q", "--nologo"], check=True, capture_output=True)
    print("| model | method | max abs diff | reference s | CamAssert CLI s |")
    for name in names or MODELS:
        size, layer = MODELS[name]
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)(weights=None).eval()
        torch.manual_seed(1)
        x = torch.rand(1, 3, size, size)
        onnx_path, x_path = os.path.join(WORK, name + ".onnx"), os.path.join(WORK, name + ".input.npy")
        if not os.path.exists(onnx_path):
            torch.onnx.export(model, x, onnx_path, opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
        np.save(x_path, x.numpy())
        with torch.no_grad():
            top = int(model(x)[0].argmax())
        for method in METHODS:
            t = time.time()
            expected = reference(model, x, method, top, layer)
            t_ref = time.time() - t
            out = os.path.join(WORK, f"{name}.{method}.npy")
            flags = ["--steps", str(STEPS)] if method == "integratedgradients" else \
                ["--occlusion-window", f"{WINDOW},{WINDOW}", "--occlusion-stride", f"{STRIDE},{STRIDE}"] if method == "occlusion" else []
            t = time.time()
            r = subprocess.run(["dotnet", CLI, "cam", onnx_path, x_path, "--layer", layer, "--class", str(top), "--method", method, "--npy", out, *flags],
                               capture_output=True, text=True)
            t_ours = time.time() - t
            if r.returncode != 0:
                print(f"| {name} | {method} | error: {r.stderr.strip()[:160]} |", flush=True)
                continue
            print(f"| {name} | {method} | {np.abs(np.load(out) - expected).max():.1e} | {t_ref:.1f} | {t_ours:.1f} |", flush=True)


if __name__ == "__main__":
    main()
