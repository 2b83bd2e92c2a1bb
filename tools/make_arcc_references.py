#!/usr/bin/env python3
"""Reference ARCC values (and its Complexity, Coherency and ROAD parts) from pytorch-grad-cam itself.

Development time only. Writes tests/fixtures/cams/arcc.json; ArccReferenceTests compares every value (<= 1e-4).

    /usr/bin/python3 tools/make_arcc_references.py /tmp/pgc

ARCC is pytorch_grad_cam/metrics/arcc.py at 084273b: it was added (#595, May 2026) after the commit that set
the version to 1.5.5 (April 2025) and the repository still says 1.5.5, so the PyPI 1.5.5 package may not have it.
Its docstring says "the geometric mean of Complexity, Coherency and ROAD"; its code computes the harmonic mean
3 / (1/coherency + 1/(1 - complexity) + 1/road) (each + 1e-8), with ROAD = clip(2 x ROADCombined(20, 40, 60, 80), 0, 1):
CamAssert follows the code. ROAD's imputation noise is set to 0, as in tools/make_pgc_references.py.

Each case: the base method is pytorch-grad-cam's GradCAM at the model's CAM layer, the map its Grad-CAM map of the
target (computed here), the target ClassifierOutputTarget(k). Models: the trained shapes classifier
(tools/onnx_shapes.py, layer 'backbone') on three images, whose logit-scale ROAD is clipped to 1, and two
random-weight CAM fixtures, whose ROAD is near 0 (so it dominates their harmonic mean).
"""
import json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr                 # noqa: E402
import make_cam_references as mcr                 # noqa: E402
from onnx_shapes import OnnxShapes                # noqa: E402
from pytorch_grad_cam import GradCAM              # noqa: E402
from pytorch_grad_cam.metrics import road         # noqa: E402
from pytorch_grad_cam.metrics.arcc import ARCC, Complexity, Coherency   # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget  # noqa: E402

torch.set_num_threads(1)
road.NoisyLinearImputer.__init__.__defaults__ = (0.0, road.neighbors_weights)
OUT = os.path.join(mcr.OUT, "arcc.json")


def shapes(image):
    from PIL import Image
    d = os.path.join(mcr.OUT, "..", "shapes")
    model = OnnxShapes(os.path.join(d, "shapes.onnx")).eval()
    x = torch.from_numpy(np.asarray(Image.open(os.path.join(d, "images", image)).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)[None].contiguous()
    return model, x, model.backbone


def fixture(name):
    model, x = mpr.rebuild(name)
    return model, x, dict(model.named_modules())[mcr.MODELS[name][2]]


MODELS = {
    "shapes/circle_1.png": (lambda: shapes("circle_1.png"), "backbone"),
    "shapes/triangle_1.png": (lambda: shapes("triangle_1.png"), "backbone"),
    "shapes/square_2.png": (lambda: shapes("square_2.png"), "backbone"),
    "resnetish": (lambda: fixture("resnetish"), mcr.MODELS["resnetish"][2]),
    "mobilenetish": (lambda: fixture("mobilenetish"), mcr.MODELS["mobilenetish"][2]),
}


def main():
    result = {"source": "pytorch-grad-cam (jacobgil/pytorch-grad-cam @ 084273b) metrics/arcc.py on torch " + torch.__version__ + ", run by tools/make_arcc_references.py",
              "models": {}}
    for name, (build, layer_path) in MODELS.items():
        model, x, layer = build()
        with torch.no_grad():
            k = int(model(x).argmax(1)[0])
        cam = GradCAM(model, [layer])
        targets = [ClassifierOutputTarget(k)]
        grayscale = cam(x.clone(), targets=targets)
        values = dict(
            complexity=float(Complexity()(grayscale)[0]),
            coherency=float(Coherency()(x.clone(), grayscale, targets, model, cam)[0]),
            road_combined=float(road.ROADCombined(percentiles=[20, 40, 60, 80])(x.clone(), grayscale, targets, model)[0]),
            arcc=float(ARCC(cam)(x.clone(), grayscale, targets, model)[0]))
        cam.activations_and_grads.release()
        result["models"][name] = dict(layer=layer_path, target=f"class:{k}", **values)
        print(name, k, values)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)
    print("->", OUT)


if __name__ == "__main__":
    main()
