#!/usr/bin/env python3
"""Reference attributions from Captum's Occlusion itself, on the committed CAM fixture models.

Development time only. Writes tests/fixtures/cams/occlusion.json; OcclusionReferenceTests compares every
case (<= 1e-4 max abs per input element).

    git clone <bare dir from `fetch github:pytorch/captum`> /tmp/captum-occ     # Captum 0.8.0 @ faac0877
    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc
    /usr/bin/python3 tools/make_occlusion_references.py /tmp/pgc /tmp/captum-occ

Captum is pure python and runs unchanged on Debian's torch 1.13. The models are rebuilt and checked byte
for byte by tools/make_pgc_references.py's `rebuild`; the trained shapes classifier runs in torch by
tools/onnx_shapes.py (its occlusion differences are large, so its heatmaps check the visualisation scaling).

Per case: `window` and `stride` are (channels, height, width) of one image; Captum is called with them in
the model input's own axis order ((C, H, W) for NCHW, (H, W, C) for the NHWC model). "attribution" is what
`Occlusion(model).attribute(x, sliding_window_shapes, strides, baselines, target, perturbations_per_eval)`
returns for the image, in the model input's layout, batch axis dropped; "heatmap" is Captum's visualisation
scaling of it for positive attributions, `_normalize_attr(attr_hwc, "positive", 2, reduction_axis=2)` (H x W, in
[0, 1]; the sign Captum's occlusion tutorial shows). A target prob:k is Captum's target k of the softmax of the logits.
"""
import base64, json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 else "/tmp/captum-occ")
import captum                                     # noqa: E402  (before make_pgc_references stubs matplotlib)
from captum.attr import Occlusion                 # noqa: E402
from captum.attr._utils.visualization import _normalize_attr   # noqa: E402
import make_pgc_references as mpr                 # noqa: E402
import make_cam_references as mcr                 # noqa: E402
from onnx_shapes import OnnxShapes                # noqa: E402

torch.set_num_threads(1)
OUT = os.path.join(mcr.OUT, "occlusion.json")


class Softmax(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return torch.softmax(self.inner(x), dim=-1)


CASES = {
    "resnetish": [
        dict(target="class:0", window=[3, 8, 8], stride=[3, 4, 4]),
        dict(target="class:3", window=[3, 7, 7], stride=[3, 5, 5]),            # the last window in x is cut off at the edge
        dict(target="class:1", window=[1, 6, 6], stride=[1, 3, 3], baseline=0.5, per_eval=8),   # per-channel windows, batched
    ],
    "mobilenetish": [dict(target="class:0", window=[3, 12, 12], stride=[3, 6, 6])],
    "nhwcish": [dict(target="class:2", window=[3, 6, 5], stride=[3, 3, 5])],
    "vitish": [dict(target="prob:2", window=[3, 8, 8], stride=[3, 8, 8])],
    "shapes/circle_1.png": [dict(target="class:0", window=[3, 8, 8], stride=[3, 4, 4])],
    "shapes/triangle_1.png": [dict(target="prob:2", window=[3, 12, 12], stride=[3, 6, 6])],
}


def axes(case_value, layout):
    c, h, w = case_value
    return (h, w, c) if layout == "nhwc" else (c, h, w)


def shapes(image):
    """The trained shapes classifier (tools/onnx_shapes.py) on tests/fixtures/shapes/images/<image>, RGB / 255."""
    from PIL import Image
    d = os.path.join(mcr.OUT, "..", "shapes")
    x = np.asarray(Image.open(os.path.join(d, "images", image)).convert("RGB"), dtype=np.float32) / 255
    return OnnxShapes(os.path.join(d, "shapes.onnx")).eval(), torch.from_numpy(x).permute(2, 0, 1)[None].contiguous()


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def main():
    result = {"source": f"Captum {captum.__version__} (pytorch/captum @ faac0877) Occlusion on torch {torch.__version__}, run by tools/make_occlusion_references.py",
              "models": {}}
    for name, cases in CASES.items():
        if name.startswith("shapes/"):
            model, x, layout = shapes(name.split("/")[1]) + ("nchw",)
        else:
            model, x = mpr.rebuild(name)
            layout = mcr.MODELS[name][3]
        entries = []
        for case in cases:
            kind, k = case["target"].split(":")
            net = Softmax(model) if kind == "prob" else model
            with torch.no_grad():
                attribution = Occlusion(net).attribute(
                    x.clone(), sliding_window_shapes=axes(case["window"], layout), strides=axes(case["stride"], layout),
                    baselines=case.get("baseline", 0), target=int(k), perturbations_per_eval=case.get("per_eval", 1))
            a = attribution[0].numpy().astype(np.float32)
            hwc = a if layout == "nhwc" else a.transpose(1, 2, 0)
            heatmap = _normalize_attr(hwc.astype(np.float64), "positive", 2, reduction_axis=2).astype(np.float32)
            entries.append(dict(case, shape=list(a.shape), attribution=encode(a), heatmap=encode(heatmap)))
        result["models"][name] = {"cases": entries}
        print(name, len(entries), "cases")
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
    print("->", OUT)


if __name__ == "__main__":
    main()
