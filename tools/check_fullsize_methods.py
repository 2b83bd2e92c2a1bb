#!/usr/bin/env python3
"""Full-size torchvision models: CamAssert's CLI against pytorch-grad-cam 1.5.5 itself, per method.

Development time only; the table it prints goes into docs/METHODS.md. Random weights (no
download), seed 0, one random input (seed 1), the top class as target. Uses the same stubs and
SVD sign rule as tools/make_pgc_references.py (imported from it).

    /usr/bin/python3 tools/check_fullsize_methods.py /tmp/pgc [model ...]
    METHODS=gradcam,kpcacam /usr/bin/python3 tools/check_fullsize_methods.py /tmp/pgc vgg11   # some methods only
    SOFTMAX=1 METHODS=shapleycam /usr/bin/python3 tools/check_fullsize_methods.py /tmp/pgc    # the model ends in a softmax

SOFTMAX=1 exports (and runs pytorch-grad-cam on) the model with a softmax after its logits, so the target is the top
class's probability: for ReLU networks with a raw logit ShapleyCAM's H·A is 0 (it equals Grad-CAM), the softmax gives it
curvature. Its ONNX file is <model>.softmax.onnx.
"""
import os, subprocess, sys, time

import numpy as np
import torch
import torchvision

sys.argv, names = sys.argv[:2], sys.argv[2:]
import make_pgc_references as ref   # noqa: E402  (stubs, sign rule, run())
import pytorch_grad_cam as pgc      # noqa: E402

ref.METHODS.setdefault("shapleycam", pgc.ShapleyCAM)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/camassert-fullsize-methods"
CLI = os.path.join(ROOT, "src", "CamAssert.Cli", "bin", "Release", "net10.0", "CamAssert.Cli.dll")
MODELS = {
    # name: (size, layer, layout, CLI flags)
    "resnet50": (224, "layer4", "nchw", []),
    "densenet121": (224, "features", "nchw", ["--rectify-activation"]),
    "mobilenet_v2": (224, "features", "nchw", []),
    "efficientnet_b0": (224, "features", "nchw", []),
    "vgg11": (224, "features", "nchw", []),
    "inception_v3": (299, "Mixed_7c", "nchw", []),
    "vit_b_16": (224, "encoder.layers.encoder_layer_11.ln_1", "tokens", []),
}
METHODS = os.environ["METHODS"].split(",") if os.environ.get("METHODS") else ["gradcam", "hirescam", "gradcam++", "xgradcam", "layercam", "eigencam", "eigengradcam",
           "gradcamelementwise", "randomcam", "kpcacam", "fem", "finercam", "ablationcam", "shapleycam"]

SOFTMAX = os.environ.get("SOFTMAX") == "1"


def load(name):
    """The torchvision model (random weights, seed 0), its input (seed 1), ONNX file, input file and top class."""
    size, layer, layout, flags = MODELS[name]
    torch.manual_seed(0)
    kwargs = {"aux_logits": False, "init_weights": True} if name == "inception_v3" else {}
    model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
    if SOFTMAX:
        logits = model.forward      # a closure, not a default argument: the ONNX export would take it for an input
        model.forward = lambda t: torch.softmax(logits(t), dim=-1)
    torch.manual_seed(1)
    x = torch.rand(1, 3, size, size)
    onnx_path, x_path = os.path.join(WORK, name + (".softmax.onnx" if SOFTMAX else ".onnx")), os.path.join(WORK, name + ".input.npy")
    if not os.path.exists(onnx_path):
        torch.onnx.export(model, x, onnx_path, opset_version=14 if layout == "tokens" else 13,
                          input_names=["input"], output_names=["logits"], do_constant_folding=True)
    np.save(x_path, x.numpy())
    with torch.no_grad():
        top = int(model(x)[0].argmax())
    return model, x, onnx_path, x_path, top


def main():
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CamAssert.Cli"), "-c", "Release", "-v", "q", "--nologo"], check=True, capture_output=True)
    for name in names or MODELS:
        size, layer, layout, flags = MODELS[name]
        model, x, onnx_path, x_path, top = load(name)
        for method in METHODS:
            if method == "ablationcam" and layout == "tokens":
                continue   # pytorch-grad-cam needs AblationLayerVit there
            case = dict(name=name, layer=layer, method=method, target=f"class:{top}", **({"seed": 0} if method == "randomcam" else {}))
            t = time.time()
            try:
                expected, flipped = ref.run(model, x, layout, case)
            except Exception as error:      # e.g. ShapleyCAM on a token layer (rank-3 activation)
                print(f"| {name} | {method} | pytorch-grad-cam fails: {type(error).__name__}: {str(error)[:120]} |", flush=True)
                continue
            t_pgc = time.time() - t
            out = os.path.join(WORK, f"{name}.{method}{'.softmax' if SOFTMAX else ''}.npy")
            t = time.time()
            r = subprocess.run(["dotnet", CLI, "cam", onnx_path, x_path, "--layer", layer, "--class", str(top), "--method", method, "--npy", out, *flags],
                               capture_output=True, text=True)
            t_ours = time.time() - t
            if r.returncode != 0:
                print(f"| {name} | {method} | error: {r.stderr.strip()[:120]} |", flush=True)
                continue
            actual = np.load(out)
            # ShapleyCAM: how far pytorch-grad-cam's map is from its Grad-CAM (0 when H·A is 0: no curvature checked)
            apart = f" | {np.abs(expected - ref.run(model, x, layout, dict(case, method='gradcam'))[0]).max():.1e}" if method == "shapleycam" else ""
            print(f"| {name} | {method} | {np.abs(actual - expected).max():.1e} | {'yes' if flipped else ''} | {t_pgc:.1f} | {t_ours:.1f}{apart} |", flush=True)


if __name__ == "__main__":
    main()
