#!/usr/bin/env python3
"""Full-size torchvision models: CamAssert's CLI against TorchCAM itself for CAM and Smooth Grad-CAM++.

Development time only; the table it prints goes into docs/METHODS.md. The models, input and top class are
tools/check_fullsize_methods.py's (random weights, seed 0; input seed 1; its ONNX files in
/tmp/camassert-fullsize-methods). TorchCAM's normalised map at layer resolution is brought to input size as
CamAssert scales every map (pytorch-grad-cam's scale_cam_image: min-max, cv2 bilinear resize, ReLU, min-max),
then compared with the CLI's --npy map. Smooth Grad-CAM++ runs after torch.manual_seed(0) (CLI --seed 0).
SS-CAM and IS-CAM (METHODS=sscam,iscam) run channels x SAMPLES forwards each side (TorchCAM's defaults 35 and 10
samples; SAMPLES defaults to 1 here), SS-CAM after torch.manual_seed(0) with TorchCAM's std 2 (CLI --seed 0).

    PYTHONPATH=/tmp/torch-cam:/tmp/torchcam-meta /usr/bin/python3 tools/check_fullsize_torchcam.py /tmp/pgc [model ...]
    METHODS=sscam,iscam SAMPLES=1 PYTHONPATH=... /usr/bin/python3 tools/check_fullsize_torchcam.py /tmp/pgc resnet50
"""
import os, subprocess, sys, time

import numpy as np
import torch
import torchvision

sys.argv, names = sys.argv[:2], sys.argv[2:]
import make_pgc_references as ref                      # noqa: E402  (stubs, pytorch-grad-cam on the path)
import check_fullsize_methods as full                  # noqa: E402
from pytorch_grad_cam.utils.image import scale_cam_image   # noqa: E402
from torchcam.methods import CAM, ISCAM, SSCAM, SmoothGradCAMpp   # noqa: E402

MODELS = ["resnet50", "densenet121", "mobilenet_v2", "efficientnet_b0", "inception_v3", "vgg11"]
METHODS = os.environ.get("METHODS", "cam,smoothgradcam++").split(",")
SAMPLES = int(os.environ.get("SAMPLES", "1"))
EXTRACTORS = {"cam": CAM, "smoothgradcam++": SmoothGradCAMpp,
              "sscam": lambda m, layer: SSCAM(m, layer, batch_size=8, num_samples=SAMPLES),
              "iscam": lambda m, layer: ISCAM(m, layer, batch_size=8, num_samples=SAMPLES)}
CLI_FLAGS = {"sscam": ["--noise-samples", str(SAMPLES)], "iscam": ["--steps", str(SAMPLES)]}


def torchcam_map(model, x, layer, method):
    e = EXTRACTORS[method](model, layer)
    grad = method == "smoothgradcam++"
    try:
        with torch.set_grad_enabled(grad):
            out = model(x.clone().requires_grad_(grad))
        top = int(out[0].argmax())
        torch.manual_seed(0)
        m = e(class_idx=top, scores=out)[0][0].detach().numpy()
    finally:
        e.remove_hooks()
    h, w = x.shape[2:]
    return scale_cam_image(np.maximum(scale_cam_image(m[None], (w, h)), 0))[0], top


def main():
    for name in names or MODELS:
        size, layer, layout, flags = full.MODELS[name]
        torch.manual_seed(0)
        kwargs = {"aux_logits": False, "init_weights": True} if name == "inception_v3" else {}
        model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
        torch.manual_seed(1)
        x = torch.rand(1, 3, size, size)
        onnx_path, x_path = os.path.join(full.WORK, name + ".onnx"), os.path.join(full.WORK, name + ".input.npy")
        assert os.path.exists(onnx_path), f"run tools/check_fullsize_methods.py {name} first (it exports {onnx_path})"
        np.save(x_path, x.numpy())
        for method in METHODS:
            t = time.time()
            try:
                expected, top = torchcam_map(model, x, layer, method)
            except ValueError as error:            # TorchCAM refuses too (e.g. several Linear layers)
                expected, top = None, int(model(x)[0].argmax())
                print(f"| {name} | {method} | TorchCAM refuses: {error} |", flush=True)
            t_tc = time.time() - t
            out = os.path.join(full.WORK, f"{name}.torchcam.{method}.npy")
            t = time.time()
            r = subprocess.run(["dotnet", full.CLI, "cam", onnx_path, x_path, "--layer", layer, "--class", str(top), "--method", method, "--seed", "0", "--npy", out, *CLI_FLAGS.get(method, []), *flags],
                               capture_output=True, text=True)
            t_ours = time.time() - t
            if r.returncode != 0:
                print(f"| {name} | {method} | CamAssert refuses: {r.stderr.strip()[:160]} |", flush=True)
                continue
            if expected is not None:
                print(f"| {name} | {method} | {np.abs(np.load(out) - expected).max():.1e} | {t_tc:.1f} | {t_ours:.1f} |", flush=True)


if __name__ == "__main__":
    main()
