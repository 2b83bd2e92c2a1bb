#!/usr/bin/env python3
"""Reference pixel attributions from Captum itself and from pytorch-grad-cam's guided backprop,
on the committed CAM fixture models.

Development time only. Writes tests/fixtures/cams/captum.json (the ONNX fixtures) and
tests/fixtures/torchsharp/captum.json (the TorchSharp backend's ResNetish); AttributionReferenceTests
and the TorchSharp AttributionTests compare every case (<= 1e-4 max abs).

    git clone <bare dir from `fetch github:pytorch/captum`> /tmp/captum        # Captum 0.8.0 @ faac0877
    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc  # 1.5.5 @ 084273b
    /usr/bin/python3 tools/make_captum_references.py /tmp/pgc /tmp/captum

Captum is pure python and runs unchanged on Debian's torch 1.13. The models are rebuilt and checked
byte for byte by tools/make_pgc_references.py's `rebuild` (its stubs for pytorch-grad-cam's imports
apply here too).

Per case: "attribution" is what Captum's `attribute` (or pytorch-grad-cam's GuidedBackpropReLUModel,
times the Grad-CAM map for Guided Grad-CAM) returns for the one image, in the model input's own
layout, batch axis dropped; "heatmap" is Captum's visualisation normalisation of it,
`_normalize_attr(attr_hwc, "absolute_value", 2, reduction_axis=2)` (H x W, in [0, 1]).
Per model in FULLGRAD, "fullgrad" holds pytorch-grad-cam's FullGrad map (H x W) per target.
NoiseTunnel draws its noise with torch.normal: each noise-tunnel case records the seed given to
torch.manual_seed right before `attribute`; CamAssert reproduces torch's CPU generator (MT19937,
24-bit uniforms, Box-Muller in blocks of 16) and draws the same noise.
"""
import base64, json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 else "/tmp/captum")
import captum                                     # noqa: E402  (before make_pgc_references stubs matplotlib)
from captum.attr import Saliency, InputXGradient, IntegratedGradients, NoiseTunnel    # noqa: E402
from captum.attr._utils.visualization import _normalize_attr                         # noqa: E402
import make_pgc_references as mpr                 # noqa: E402  (pytorch-grad-cam on sys.path, stubs installed)
import make_cam_references as mcr                 # noqa: E402
from pytorch_grad_cam import GradCAM, FullGrad                                        # noqa: E402
from pytorch_grad_cam.guided_backprop import GuidedBackpropReLUModel                  # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget               # noqa: E402

torch.set_num_threads(1)


class Softmax(torch.nn.Module):
    """Target prob:k: Captum's target k of the softmax of the logits (CamAssert's Target.Probability)."""
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return torch.softmax(self.inner(x), dim=-1)


def torchsharp_resnetish():
    """tests/fixtures/torchsharp: ResNetish with the committed state dict, on the committed input."""
    d = os.path.join(mcr.OUT, "..", "torchsharp")
    model = mcr.ResNetish()
    model.load_state_dict(torch.load(os.path.join(d, "resnetish.pt")))
    model.eval()
    return model, torch.from_numpy(np.load(os.path.join(d, "input.npy")))


# name: (build, layout, CAM layer for Guided Grad-CAM or None, output file)
MODELS = {
    "resnetish": (lambda: mpr.rebuild("resnetish"), "nchw", "backbone.layer2", "cams"),
    "nhwcish": (lambda: mpr.rebuild("nhwcish"), "nhwc", "features", "cams"),
    "vitish": (lambda: mpr.rebuild("vitish"), "nchw", None, "cams"),
    "mobilenetish": (lambda: mpr.rebuild("mobilenetish"), "nchw", None, "cams"),
    "binaryish": (mpr.rebuild_binaryish, "nchw", "features", "cams"),
    "torchsharp_resnetish": (torchsharp_resnetish, "nchw", "backbone.layer2", "torchsharp"),
}


# Every case on nhwcish (the smallest); on the others, the cases that add a family (residual, ViT, one logit).
FULL = {"nhwcish"}
SOME = {
    "resnetish": {"saliency", "saliency signed", "inputxgradient", "integratedgradients", "integratedgradients riemann_trapezoid",
                  "saliency smoothgrad", "guidedbackprop", "guidedgradcam"},
    "vitish": {"saliency", "inputxgradient", "integratedgradients"},
    "binaryish": {"saliency", "integratedgradients", "guidedbackprop", "guidedgradcam"},
    "mobilenetish": set(),     # FullGrad only
}


def cases(name):
    if name == "torchsharp_resnetish":
        yield dict(method="saliency", target="class:1")
        yield dict(method="integratedgradients", target="class:1")
        yield dict(method="inputxgradient", target="class:3")
        yield dict(method="saliency", target="class:3", noise="smoothgrad", samples=4, stdev=0.1, seed=3)
        yield dict(method="guidedbackprop", target="class:1")
        yield dict(method="guidedgradcam", target="class:3")
        return
    for key, case in all_cases(name):
        if name in FULL or key in SOME[name]:
            yield case


def all_cases(name):
    first = "class:0"
    yield "saliency", dict(method="saliency", target=first)
    yield "saliency signed", dict(method="saliency", target="class:0" if name == "binaryish" else "class:3", absolute=False)
    yield "saliency prob", dict(method="saliency", target="prob:2")
    yield "inputxgradient", dict(method="inputxgradient", target=first)
    yield "integratedgradients", dict(method="integratedgradients", target=first)
    yield "integratedgradients riemann_trapezoid", dict(method="integratedgradients", target=first, steps=20, integration="riemann_trapezoid")
    for noise, seed in [("smoothgrad", 1), ("smoothgrad_sq", 2), ("vargrad", 3)]:
        yield f"saliency {noise}", dict(method="saliency", target=first, noise=noise, samples=5, stdev=0.1, seed=seed)
    yield "inputxgradient vargrad", dict(method="inputxgradient", target=first, noise="vargrad", samples=3, stdev=0.2, seed=4)
    yield "integratedgradients smoothgrad", dict(method="integratedgradients", target=first, steps=8, noise="smoothgrad", samples=3, stdev=0.1, seed=5)
    if MODELS[name][2] is not None:
        yield "guidedbackprop", dict(method="guidedbackprop", target=first)
        yield "guidedgradcam", dict(method="guidedgradcam", target=first)
        yield "guidedbackprop 3", dict(method="guidedbackprop", target="class:3")


def captum_attribution(model, x, case):
    kind, k = case["target"].split(":")
    net = Softmax(model) if kind == "prob" else model
    method = case["method"]
    inner = {"saliency": Saliency, "inputxgradient": InputXGradient, "integratedgradients": IntegratedGradients}[method](net)
    kwargs = {}
    if method == "saliency":
        kwargs["abs"] = case.get("absolute", True)
    if method == "integratedgradients":
        kwargs.update(n_steps=case.get("steps", 50), method=case.get("integration", "gausslegendre"))
    inp = x.clone()
    if "noise" in case:
        torch.manual_seed(case["seed"])
        return NoiseTunnel(inner).attribute(inp, nt_type=case["noise"], nt_samples=case["samples"], stdevs=case["stdev"], target=int(k), **kwargs)
    return inner.attribute(inp, target=int(k), **kwargs)


def guided(model, x, layout, layer, case):
    """pytorch-grad-cam: GuidedBackpropReLUModel(model)(x, k) (H x W x C); Guided Grad-CAM = Grad-CAM map x that, as its cam.py."""
    k = int(case["target"].split(":")[1])
    net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    gb = GuidedBackpropReLUModel(net, device="cpu")(inp.clone(), target_category=k)
    if case["method"] == "guidedgradcam":
        cam = GradCAM(net, [dict(model.named_modules())[layer]],
                      reshape_transform=(lambda t: t.permute(0, 3, 1, 2)) if layout == "nhwc" else None)
        grayscale = cam(inp.clone(), targets=[ClassifierOutputTarget(k)])[0]
        cam.activations_and_grads.release()
        gb = np.stack([grayscale] * 3, axis=-1) * gb
    return gb.astype(np.float32)                      # H x W x C


FULLGRAD = {"torchsharp_resnetish": ["class:1"], "resnetish": ["class:0", "class:3"], "mobilenetish": ["class:0"], "nhwcish": ["class:0", "prob:2"], "binaryish": ["class:0"], "vitish": ["class:0"]}


def fullgrad(model, x, layout, target):
    """pytorch-grad-cam's FullGrad (every Conv2d/BatchNorm2d with a bias, plus |input x gradient|): its map, H x W."""
    net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    cam = FullGrad(net, [])
    grayscale = cam(inp.clone(), targets=[mpr.target_of(target)])[0]
    cam.activations_and_grads.release()
    return grayscale.astype(np.float32)


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def main():
    results = {}
    for name, (build, layout, layer, where) in MODELS.items():
        model, x = build()
        entries = []
        for case in cases(name):
            if case["method"].startswith("guided"):
                hwc = guided(model, x, layout, layer, case)
                attribution = hwc if layout == "nhwc" else hwc.transpose(2, 0, 1)
                case["layer"] = layer if case["method"] == "guidedgradcam" else None
            else:
                attribution = captum_attribution(model, x, case)[0].detach().numpy().astype(np.float32)
                hwc = attribution if layout == "nhwc" else attribution.transpose(1, 2, 0)
            heatmap = _normalize_attr(hwc.astype(np.float64), "absolute_value", 2, reduction_axis=2).astype(np.float32)
            entries.append(dict(case, shape=list(attribution.shape), attribution=encode(attribution), heatmap=encode(heatmap)))
        results.setdefault(where, {})[name] = {"layout": layout, "cases": entries}
        if name in FULLGRAD:
            results[where][name]["fullgrad"] = [dict(target=t, map=encode(fullgrad(model, x, layout, t))) for t in FULLGRAD[name]]
        print(name, len(entries), "cases")
    source = (f"Captum {captum.__version__} (pytorch/captum @ faac0877) and pytorch-grad-cam 1.5.5 (@ 084273b) on torch {torch.__version__}, "
              "run by tools/make_captum_references.py")
    for where, models in results.items():
        with open(os.path.join(mcr.OUT, "..", where, "captum.json"), "w") as f:
            json.dump({"source": source, "models": models}, f, indent=0)


if __name__ == "__main__":
    main()
