#!/usr/bin/env python3
"""References for the segmentation and embedding-similarity targets, from pytorch-grad-cam 1.5.5 itself,
and PyTorch parity fixtures for the engine's Resize operator.

Development time only (Debian python3-torch 1.13, torchvision 0.14):

    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc
    /usr/bin/python3 tools/make_target_references.py /tmp/pgc

Writes under tests/fixtures/segmentation/:
  fcnish/, deeplabish/   torchvision's own FCN and DeepLabV3 classes (FCNHead; ASPP with 16 channels instead of
                         DeepLabHead's fixed 256, to stay small) on a tiny dilated backbone behind torchvision's
                         IntermediateLayerGetter, exported to ONNX as torchvision models export (the "out" map is
                         F.interpolate(bilinear, align_corners=False) to the input size: a Resize node).
                         model.onnx, input.npy, mask.npy (1 where class 1 scores above its median, else 0), output.npy ("out"),
                         activation.npy (backbone.layer2) and gradient.npy (of the mask target at backbone.layer2).
  embedding/             a small CNN whose output is a 16-value embedding (no classifier head): model.onnx,
                         input.npy, concept_input.npy (the reference image) and concept.npy (its embedding).
  resize/<case>/         one F.interpolate each: model.onnx, input.npy, output.npy, weights.npy and gradient.npy
                         (d sum(output * weights) / d input).
  targets.json           pytorch-grad-cam's maps, in float32 ("map") and, where that differs from it by more than
                         1e-5, with model, input and target in float64 ("map_float64": the embedding's concept is 0.9999 similar to the input, and the cosine's
                         gradient then cancels: float32 autograd alone moves that map by 5e-5): SemanticSegmentationTarget (its utils.model_targets) and the
                         SimilarityToConceptTarget of its embeddings tutorial (a notebook, not in the package: the
                         class below restates it, torch.nn.CosineSimilarity(dim=0) of the output and the concept).
pytorch-grad-cam runs with ttach, tqdm and matplotlib stubbed exactly as tools/make_pgc_references.py does (imported).
"""
import base64, json, os, sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models._utils import IntermediateLayerGetter
from torchvision.models.segmentation.deeplabv3 import ASPP, DeepLabV3
from torchvision.models.segmentation.fcn import FCN, FCNHead

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr                       # noqa: E402  (stubs, then pytorch_grad_cam)
from fixtures_common import FIXTURES, save_npy, warm_batchnorm   # noqa: E402
from pytorch_grad_cam.utils.model_targets import SemanticSegmentationTarget   # noqa: E402

pgc = mpr.pgc
OUT = os.path.join(FIXTURES, "segmentation")
SIZE = (32, 40)
METHODS = {"gradcam": pgc.GradCAM, "hirescam": pgc.HiResCAM, "layercam": pgc.LayerCAM, "scorecam": pgc.ScoreCAM}


class SimilarityToConceptTarget:
    """pytorch-grad-cam's embeddings tutorial: the cosine similarity (dim 0) of one image's output to the concept."""
    def __init__(self, features):
        self.features = features

    def __call__(self, model_output):
        return torch.nn.CosineSimilarity(dim=0)(model_output, self.features)


class Backbone(nn.Module):
    """Stride 4, the last stage dilated (as torchvision's segmentation backbones replace stride with dilation)."""
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.layer1 = nn.Sequential(nn.Conv2d(8, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer2 = nn.Sequential(nn.Conv2d(16, 32, 3, 1, 2, dilation=2, bias=False), nn.BatchNorm2d(32), nn.ReLU())

    def forward(self, x):
        return self.layer2(self.layer1(self.stem(x)))


def fcnish():
    return FCN(IntermediateLayerGetter(Backbone(), {"layer2": "out"}), FCNHead(32, 4))


def deeplabish():
    head = nn.Sequential(ASPP(32, [2, 4, 6], 16), nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 4, 1))
    return DeepLabV3(IntermediateLayerGetter(Backbone(), {"layer2": "out"}), head)


class Out(nn.Module):
    """pytorch-grad-cam's SegmentationModelOutputWrapper (its segmentation tutorial): the "out" map of the dict."""
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


class Embedder(nn.Module):
    """A CNN with its classifier head removed: the pooled 16 features are the output. CAM layer: features."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1), nn.ReLU(), nn.Conv2d(8, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 16, 3, 1, 1), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.features(x)).flatten(1)


def export(model, x, d, output_name):
    os.makedirs(d, exist_ok=True)
    torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=13, do_constant_folding=True,
                      input_names=["input"], output_names=[output_name])
    save_npy(os.path.join(d, "input.npy"), x)


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def cam_cases(net, layer, x, targets):
    """pytorch-grad-cam's map for every method and target (name → function of the dtype giving the target object),
    in float32 ("map") and, where the two differ by more than 1e-5, with the model, input and target in float64 ("map_float64")."""
    maps = {}
    for dtype in (torch.float64, torch.float32):          # float32 last: the model is left as it was
        net.to(dtype)
        for tname, target in targets.items():
            for method, cls in METHODS.items():
                cam = cls(net, [layer])
                maps[dtype, tname, method] = cam(x.to(dtype), targets=[target(dtype)])[0].astype(np.float32)
                cam.activations_and_grads.release()
    for tname in targets:
        for method in METHODS:
            a, b = maps[torch.float32, tname, method], maps[torch.float64, tname, method]
            gap = float(np.abs(a - b).max())
            yield dict(method=method, target=tname, shape=list(a.shape), map=encode(a), float32_vs_float64=gap,
                       **({"map_float64": encode(b)} if gap > 1e-5 else {}))


def layer_parity(net, layer, x, score):
    """The layer's activation and d score / d activation, by hooks."""
    kept = {}

    def keep(module, inputs, output):
        output.retain_grad()
        kept["a"] = output

    h = layer.register_forward_hook(keep)
    out = net(x)
    h.remove()
    score(out).backward()
    return out.detach(), kept["a"].detach(), kept["a"].grad.detach()


def segmentation(name, make, seed):
    torch.manual_seed(seed)
    model = warm_batchnorm(make(), SIZE)
    x = torch.rand(1, 3, *SIZE)
    d = os.path.join(OUT, name)
    export(model, x, d, "out")
    net = Out(model).eval()
    with torch.no_grad():
        out = net(x)[0]
    k = 1
    mask = (out[k] > out[k].median()).numpy().astype(np.float32)         # the pixels where class 1 scores above its median
    box = np.zeros(SIZE, np.float32)
    box[8:26, 10:26] = 1
    save_npy(os.path.join(d, "mask.npy"), mask)
    target = SemanticSegmentationTarget(k, mask)
    o, a, g = layer_parity(net, model.backbone.layer2, x, lambda out: target(out[0]))
    save_npy(os.path.join(d, "output.npy"), o)
    save_npy(os.path.join(d, "activation.npy"), a)
    save_npy(os.path.join(d, "gradient.npy"), g)
    targets = {f"segmentation:{k}:mask.npy": lambda dt: SemanticSegmentationTarget(k, mask.astype(np.float64) if dt == torch.float64 else mask),
               "segmentation:2:box:10,8,16,18": lambda dt: SemanticSegmentationTarget(2, box.astype(np.float64) if dt == torch.float64 else box)}
    cases = list(cam_cases(net, model.backbone.layer2, x, targets))
    print(name, "class", k, int(mask.sum()), "mask pixels,", len(cases), "cases; float32 vs float64 up to", max(c["float32_vs_float64"] for c in cases))
    return {"dir": f"segmentation/{name}", "layer": "backbone.layer2", "cases": cases}


def embedding():
    torch.manual_seed(21)
    model = Embedder().eval()
    x, ref = torch.rand(1, 3, 28, 32), torch.rand(1, 3, 28, 32)
    d = os.path.join(OUT, "embedding")
    export(model, x, d, "embedding")
    save_npy(os.path.join(d, "concept_input.npy"), ref)
    with torch.no_grad():
        concept = model(ref)[0]
    save_npy(os.path.join(d, "concept.npy"), concept)
    other = torch.linspace(-1, 1, 16)
    targets = {"similarity:concept.npy": lambda dt: SimilarityToConceptTarget(concept.to(dt)),
               "similarity:linspace": lambda dt: SimilarityToConceptTarget(other.to(dt))}
    cases = list(cam_cases(model, model.features, x, targets))
    print("embedding", len(cases), "cases; float32 vs float64 up to", max(c["float32_vs_float64"] for c in cases))
    return {"dir": "segmentation/embedding", "layer": "features", "cases": cases}


class Interpolate(nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.kw = kw

    def forward(self, x):
        return F.interpolate(x, **self.kw)


RESIZES = {
    "bilinear_size": dict(size=(11, 7), mode="bilinear", align_corners=False),
    "bilinear_scale2": dict(scale_factor=2, mode="bilinear", align_corners=False),
    "bilinear_down": dict(size=(3, 4), mode="bilinear", align_corners=False),
    "bilinear_align_corners": dict(size=(9, 13), mode="bilinear", align_corners=True),
    "nearest_scale2": dict(scale_factor=2, mode="nearest"),
    "nearest_size": dict(size=(8, 5), mode="nearest"),
}


def resize_cases():
    for i, (name, kw) in enumerate(RESIZES.items()):
        torch.manual_seed(100 + i)
        x = torch.rand(1, 2, 5, 6, requires_grad=True)
        model = Interpolate(**kw)
        d = os.path.join(OUT, "resize", name)
        export(model, x.detach(), d, "output")
        y = model(x)
        w = torch.randn_like(y)
        (y * w).sum().backward()
        for file, t in [("output", y), ("weights", w), ("gradient", x.grad)]:
            save_npy(os.path.join(d, f"{file}.npy"), t)
    print(len(RESIZES), "resize cases")


def main():
    torch.set_num_threads(1)
    resize_cases()
    result = {"source": "pytorch-grad-cam 1.5.5 (jacobgil/pytorch-grad-cam @ 084273b), run by tools/make_target_references.py",
              "models": {"fcnish": segmentation("fcnish", fcnish, 3), "deeplabish": segmentation("deeplabish", deeplabish, 4),
                         "embedding": embedding()}}
    with open(os.path.join(OUT, "targets.json"), "w") as f:
        json.dump(result, f, indent=0)


if __name__ == "__main__":
    main()
