#!/usr/bin/env python3
"""ShapleyCAM references from pytorch-grad-cam 1.5.5 itself, and the Hessian-vector products from torch's own double backward.

Development time only. Writes tests/fixtures/cams/shapley.json (and the fixture tests/fixtures/cams/smoothish);
ShapleyCamReferenceTests compares every map (<= 1e-4 max abs) and every Hessian-vector product.

    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc
    /usr/bin/python3 tools/make_shapley_references.py /tmp/pgc

The models are the committed CAM fixtures rebuilt and checked by tools/make_pgc_references.py (same seeds, the
re-export must equal model.onnx byte for byte), plus `smoothish`, written here: after its CAM layer only smooth and
bilinear operators (SiLU, a squeeze-excite Sigmoid gate, Tanh, HardSwish, GELU, a spatial softmax attention pooling),
so H·A is not zero even for a raw logit. Its GELU is written out as x·½(1 + erf(x/√2)), which exports to the same ONNX
operators as F.gelu: on this model torch 1.13's own double backward of F.gelu (gelu_double_backward) is wrong (one element
5e20, others off by a few per cent), while torch's double backward of the written-out formula agrees with φ(x)(2 − x²)
and with CamAssert's engine. For a ReLU network and a raw logit H·A is zero (ShapleyCAM = Grad-CAM);
a softmax target adds its own curvature.

Each Hessian-vector product is torch.autograd.grad(grads, activations, grad_outputs=v) with
grads = torch.autograd.grad(score, activations, create_graph=True), as ShapleyCAM's get_cam_weights does, for
v = the activations (what ShapleyCAM uses) and v = a seeded random direction.
"""
import base64, json, os, sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr      # noqa: E402  (stubs what is not installed, imports pytorch-grad-cam)
import pytorch_grad_cam as pgc         # noqa: E402

mpr.METHODS["shapleycam"] = pgc.ShapleyCAM

# pytorch-grad-cam's cleanup (ActivationsAndGradients.clear, after the map is computed) calls detach_() on the kept
# activations, which raises for a view (nhwcish's permuted layer output, with detach=False as ShapleyCAM runs): the
# cleanup alone is replaced, skipping what cannot be detached in place. The map is computed before it runs.
from pytorch_grad_cam.activations_and_gradients import ActivationsAndGradients  # noqa: E402


def _clear(self):
    for t in self.activations + self.gradients:
        if isinstance(t, torch.Tensor) and t._base is None:
            t.detach_()
    self.activations.clear()
    self.gradients.clear()


ActivationsAndGradients.clear = _clear
OUT = os.path.join(mpr.mcr.OUT, "shapley.json")


class Smoothish(nn.Module):
    """After the CAM layer `features`: SiLU, a squeeze-excite gate, Tanh + HardSwish, MaxPool, GELU, softmax attention pooling."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 12, 3, stride=2, padding=1))
        self.act = nn.SiLU()
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(12, 12, 1), nn.Sigmoid())
        self.mix = nn.Conv2d(12, 12, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.attn = nn.Conv2d(12, 1, 1)
        self.head = nn.Linear(12, 5)

    def forward(self, x):
        a = self.act(self.features(x))
        a = a * self.se(a)
        a = torch.tanh(self.mix(a)) + nn.functional.hardswish(a)
        a = self.pool(a)
        a = a * 0.5 * (1 + torch.erf(a / 2 ** 0.5))      # GELU written out (see the module doc)
        weights = torch.softmax(self.attn(a).flatten(1), dim=1)
        pooled = torch.bmm(a.flatten(2), weights.unsqueeze(2)).squeeze(2) / 0.5
        return self.head(pooled)




def make_smoothish():
    torch.manual_seed(11)
    model = Smoothish().eval()
    x = torch.rand(1, 3, 20, 24)
    d = os.path.join(mpr.mcr.OUT, "smoothish")
    os.makedirs(d, exist_ok=True)
    torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
    np.save(os.path.join(d, "input.npy"), x.numpy())
    return model, x


def hvps(model, x, layout, layer_path, text, seed):
    """torch's Hessian-vector products at the layer for the target: along the activations and along a random direction."""
    net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    kept = []
    handle = dict(model.named_modules())[layer_path].register_forward_hook(lambda m, i, o: kept.append(o))
    inp = inp.clone().requires_grad_(True)
    out = net(inp)
    handle.remove()
    a = kept[0]
    score = mpr.target_of(text)(out[0])
    g = torch.autograd.grad(score, a, create_graph=True)[0]
    gen = torch.Generator().manual_seed(seed)
    direction = torch.randn(a.shape, generator=gen)
    result = {}
    for name, v in [("activation", a.detach()), ("random", direction)]:
        h = torch.autograd.grad(g, a, grad_outputs=v, retain_graph=True, allow_unused=True)[0] if g.requires_grad else None
        result[name] = (torch.zeros_like(a) if h is None else h).detach().numpy()
    return g.detach().numpy(), direction.numpy(), result


def encode(a):
    return mpr.encode(a)


def main():
    models = [
        # name, build, fixture dir, layout, [(layer, [targets])]
        ("resnetish", lambda: mpr.rebuild("resnetish"), "cams/resnetish", "nchw",
         [("backbone.layer1", ["class:0", "prob:2"]), ("backbone.layer2", ["prob:2"])]),
        ("mobilenetish", lambda: mpr.rebuild("mobilenetish"), "cams/mobilenetish", "nchw", [("features.5", ["class:0", "prob:2"])]),
        ("nhwcish", lambda: mpr.rebuild("nhwcish"), "cams/nhwcish", "nhwc", [("features", ["prob:1"])]),
        ("smoothish", make_smoothish, "cams/smoothish", "nchw", [("features", ["class:0", "prob:2", "class:3"]), ("act", ["class:0"]), ("mix", ["class:0"]), ("pool", ["class:0"]), ("attn", ["class:0"])]),
    ]
    result = {"source": "pytorch-grad-cam 1.5.5 (jacobgil/pytorch-grad-cam @ 084273b) ShapleyCAM; Hessian-vector products from torch "
                        f"{torch.__version__} autograd, run by tools/make_shapley_references.py", "cases": []}
    seed = 0
    for name, build, fixture, layout, layers in models:
        model, x = build()
        for layer, targets in layers:
            for text in targets:
                seed += 1
                case = dict(name=name, layer=layer, method="shapleycam", target=text)
                grayscale, _ = mpr.run(model, x, layout, case)
                grad, direction, h = hvps(model, x, layout, layer, text, seed)
                gradcam, _ = mpr.run(model, x, layout, dict(case, method="gradcam"))
                entry = dict(model=name, dir=fixture, layer=layer, target=text, shape=list(grayscale.shape), map=encode(grayscale),
                             differs_from_gradcam=float(np.abs(grayscale - gradcam).max()),
                             activation_shape=list(grad.shape), direction=encode(direction),
                             hvp_activation=encode(h["activation"]), hvp_random=encode(h["random"]),
                             hvp_activation_max=float(np.abs(h["activation"]).max()))
                result["cases"].append(entry)
                print(f"{name} {layer} {text}: |H·A| max {entry['hvp_activation_max']:.3g}, ShapleyCAM − Grad-CAM max {entry['differs_from_gradcam']:.3g}")
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
    print(len(result["cases"]), "cases ->", OUT)


if __name__ == "__main__":
    main()
