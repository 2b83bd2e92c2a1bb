#!/usr/bin/env python3
"""Full-size torchvision segmentation models through the engine: export, then compare CamAssert's output map
(`camassert predict --npy`) and Grad-CAM with Target.Segmentation (`camassert cam --target-mask`) with PyTorch's
and pytorch-grad-cam's (GradCAM + SemanticSegmentationTarget, on the model's "out" map).

Development time only; random seeded weights (weights=None, weights_backbone=None: nothing is downloaded).

    dotnet build src/CamAssert.Cli -c Release
    /usr/bin/python3 tools/check_segmentation_fullsize.py /tmp/pgc     # exports to /tmp/camassert_segmentation

Prints one line per model: the max abs difference of the output map (relative to its largest magnitude) and of
the Grad-CAM map; docs/METHODS.md records the result.
"""
import os, subprocess, sys

import numpy as np
import torch
import torchvision
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_target_references as mtr                      # noqa: E402  (pytorch-grad-cam with its stubs)
from fixtures_common import ROOT, warm_batchnorm          # noqa: E402
from pytorch_grad_cam.utils.model_targets import SemanticSegmentationTarget   # noqa: E402

TMP = "/tmp/camassert_segmentation"
CLI = os.path.join(ROOT, "src", "CamAssert.Cli", "bin", "Release", "net10.0", "CamAssert.Cli")
MODELS = [  # builder, input size, CAM layer
    ("lraspp_mobilenet_v3_large", 128, "backbone.16"),
    ("deeplabv3_mobilenet_v3_large", 128, "backbone.16"),
    ("fcn_resnet50", 96, "backbone.layer4"),
    ("deeplabv3_resnet50", 96, "backbone.layer4"),
]


def main():
    os.makedirs(TMP, exist_ok=True)
    for name, size, layer in MODELS:
        torch.manual_seed(0)
        model = getattr(torchvision.models.segmentation, name)(weights=None, weights_backbone=None, num_classes=5)
        model = warm_batchnorm(model, (size, size), passes=2, batch=2)
        x = torch.rand(1, 3, size, size)
        onnx_path, x_path, out_path, mask_path, cam_path = (os.path.join(TMP, f"{name}.{ext}") for ext in ("onnx", "x.npy", "out.npy", "mask.png", "cam.npy"))
        torch.onnx.export(model, x, onnx_path, opset_version=13, do_constant_folding=True, input_names=["input"], output_names=["out"])
        np.save(x_path, x.numpy())
        net = mtr.Out(model).eval()
        with torch.no_grad():
            out = net(x)[0]
        for k in range(1, 5):        # random weights: the first class whose Grad-CAM is not all zero
            mask = (out[k] > out[k].median()).numpy()
            cam = mtr.pgc.GradCAM(net, [dict(model.named_modules())[layer]])
            expected = cam(x, targets=[SemanticSegmentationTarget(k, mask.astype(np.float32))])[0]
            cam.activations_and_grads.release()
            if expected.max() > 0:
                break
        Image.fromarray(np.uint8(mask) * 255).save(mask_path)
        subprocess.run([CLI, "predict", onnx_path, x_path, "--npy", out_path], check=True, capture_output=True)
        run = subprocess.run([CLI, "cam", onnx_path, x_path, "--class", str(k), "--target-mask", mask_path, "--layer", layer, "--npy", cam_path], check=True, capture_output=True, text=True)
        degenerate = [line for line in run.stdout.splitlines() if line.startswith("degenerate:")]
        model.double()                # the same pytorch-grad-cam run in float64: how much float32 alone moves the map
        cam = mtr.pgc.GradCAM(net, [dict(model.named_modules())[layer]])
        exact = cam(x.double(), targets=[SemanticSegmentationTarget(k, mask.astype(np.float64))])[0]
        cam.activations_and_grads.release()
        ours = np.load(out_path)[0]
        out_err = np.abs(ours - out.numpy()).max() / np.abs(out.numpy()).max()
        cam_err, cam64_err, ref_gap = (np.abs(a - b).max() for a, b in [(np.load(cam_path), expected), (np.load(cam_path), exact), (expected, exact)])
        print(f"{name} {size}x{size} layer {layer} class {k}: output map {out_err:.2e} (relative), Grad-CAM {cam_err:.2e} (max abs; {cam64_err:.2e} to the float64 run, which is {ref_gap:.2e} from the float32 one; pytorch-grad-cam's map spans {expected.min():.2f} to {expected.max():.2f}){' ' + degenerate[0] if degenerate else ''}", flush=True)


if __name__ == "__main__":
    main()
