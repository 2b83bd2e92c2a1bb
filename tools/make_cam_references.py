#!/usr/bin/env python3
"""Reference heatmaps for every CAM method, computed with PyTorch the way pytorch-grad-cam does.

Development time only (Debian python3-torch 1.13); the outputs are committed under
tests/fixtures/cams/ and the C# tests compare against them (<= 1e-4 max abs).

    /usr/bin/python3 tools/make_cam_references.py

For each small model it writes <dir>/model.onnx, input.npy and, per method and target,
<method>__<target>.npy: the final map at input resolution (H x W, float32). The recipe (from
pytorch-grad-cam's BaseCAM, reimplemented here, not imported):
  activations A and gradients G of the target layer via hooks (G of the summed target scores);
  method weights -> cam = ReLU(sum_k w_k A_k) (or the per-position forms);
  scale: x -= min; x /= 1e-7 + max; bilinear resize to the input size (align_corners=False);
  ReLU; x -= min; x /= 1e-7 + max.
Targets: class:<k> (raw logit), prob:<k> (softmax probability), channel:<k> (element k of the
output). EigenCAM's SVD sign is arbitrary; the reference orients the first right singular vector
so the projection correlates positively with the mean activation, CamAssert's documented rule.
"""
import json, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "cams")


# ---------------------------------------------------------------- models
class ResNetish(nn.Module):
    """Small residual net with a nested backbone; CAM layer: backbone.layer2."""
    def __init__(self):
        super().__init__()
        block = torchvision.models.resnet.BasicBlock
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.backbone = nn.Sequential()
        self.backbone.add_module("stem", nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU()))
        self.backbone.add_module("layer1", nn.Sequential(block(8, 8), block(8, 8)))
        self.backbone.add_module("layer2", nn.Sequential(block(8, 16, 2, down), block(16, 16)))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(16, 5))

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)))


def mobilenetish():
    m = torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=5)
    m.features = m.features[:8]          # keep it small; ends at 1/16 resolution
    m.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(m.features[-1].out_channels, 5))
    m.features.add_module("head", nn.Conv2d(m.features[-1].out_channels, m.features[-1].out_channels, 1))
    return m


def vitish():
    m = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                             hidden_dim=16, mlp_dim=32, num_classes=5)
    nn.init.normal_(m.heads.head.weight, std=0.5)   # torchvision starts the head at zero: no gradients at all
    return m


class Permute(nn.Module):
    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)


class Nhwcish(nn.Module):
    """Channels-last in and at the CAM layer, as Keras/tf2onnx exports are: input [N, H, W, 3], `features` gives [N, h, w, C]."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(Permute(0, 3, 1, 2), nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 12, 3, stride=2, padding=1),
                                      nn.ReLU(), Permute(0, 2, 3, 1))
        self.head = nn.Linear(12, 5)

    def forward(self, x):
        return self.head(self.features(x).mean(dim=(1, 2)))


MODELS = {
    # name: (constructor, input shape, layer module path, layout)
    "resnetish": (ResNetish, (1, 3, 32, 40), "backbone.layer2", "nchw"),
    "mobilenetish": (mobilenetish, (1, 3, 48, 48), "features", "nchw"),
    "nhwcish": (Nhwcish, (1, 24, 20, 3), "features", "nhwc"),
    "vitish": (vitish, (1, 3, 32, 32), "encoder.layers.encoder_layer_1.ln_1", "tokens"),  # as pytorch-grad-cam: blocks[-1].norm1
}
TARGETS = ["class:0", "class:3", "prob:2", "channel:1"]
METHODS = ["gradcam", "hirescam", "gradcam++", "xgradcam", "layercam", "scorecam", "eigencam"]


# ---------------------------------------------------------------- the recipe
def score(output, target):
    kind, k = target.split(":")
    k = int(k)
    if kind == "prob":
        return torch.softmax(output, dim=-1)[..., k]
    return output[..., k]


def to_maps(t, layout):
    """Activation/gradient tensor of one image as [K, H, W]."""
    if layout == "tokens":
        t = t[:, 1:, :]
        side = int(round((t.shape[1]) ** 0.5))
        t = t.reshape(t.shape[0], side, side, t.shape[2]).permute(0, 3, 1, 2)
    if layout == "nhwc":
        t = t.permute(0, 3, 1, 2)
    return t[0].detach().double().numpy()


def scale(cam, size=None):
    cam = cam - cam.min()
    cam = cam / (1e-7 + cam.max())
    if size is not None:
        cam = F.interpolate(torch.from_numpy(cam)[None, None].float(), size=size, mode="bilinear", align_corners=False)[0, 0].double().numpy()
    return cam


def eigen(a):
    k, h, w = a.shape
    x = a.reshape(k, h * w).T
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=True)
    v = vt[0]
    proj = x @ v
    if proj[np.abs(proj).argmax()] < 0:   # svd_flip: the most extreme position is positive
        proj = -proj
    return proj.reshape(h, w)


def cam_map(model, layer, x, method, target, layout):
    store = {}

    def hook(_m, _i, o):
        store["a"] = o
        o.register_hook(lambda g: store.__setitem__("g", g))

    handle = layer.register_forward_hook(hook)
    model.zero_grad()
    out = model(x)
    handle.remove()
    score(out, target).sum().backward()
    a, g = to_maps(store["a"], layout), to_maps(store["g"], layout)
    if method == "gradcam":
        cam = (g.mean(axis=(1, 2))[:, None, None] * a).sum(0)
    elif method == "hirescam":
        cam = (g * a).sum(0)
    elif method == "layercam":
        cam = (np.maximum(g, 0) * a).sum(0)
    elif method == "gradcam++":
        g2, g3 = g ** 2, g ** 3
        s = a.sum(axis=(1, 2))[:, None, None]
        aij = g2 / (2 * g2 + s * g3 + 1e-6)
        aij = np.where(g != 0, aij, 0)
        w = (np.maximum(g, 0) * aij).sum(axis=(1, 2))
        cam = (w[:, None, None] * a).sum(0)
    elif method == "xgradcam":
        s = a.sum(axis=(1, 2))[:, None, None]
        w = (g * a / (s + 1e-7)).sum(axis=(1, 2))
        cam = (w[:, None, None] * a).sum(0)
    elif method == "eigencam":
        cam = eigen(a)
    elif method == "scorecam":
        with torch.no_grad():
            size = x.shape[1:3] if layout == "nhwc" else x.shape[-2:]
            up = F.interpolate(torch.from_numpy(a)[None].float(), size=size, mode="bilinear", align_corners=True)[0]
            flat = up.reshape(up.shape[0], -1)
            mins, maxs = flat.min(dim=1)[0][:, None, None], flat.max(dim=1)[0][:, None, None]
            up = (up - mins) / (maxs - mins + 1e-8)
            masks = [m[None, :, :, None] if layout == "nhwc" else m[None, None] for m in up]
            scores = torch.stack([score(model(x * m), target)[0] for m in masks])
            w = torch.softmax(scores, dim=0).double().numpy()
        cam = (w[:, None, None] * a).sum(0)
    else:
        raise ValueError(method)
    cam = np.maximum(cam, 0)
    cam = scale(cam, tuple(x.shape[1:3] if layout == "nhwc" else x.shape[-2:]))
    cam = np.maximum(cam, 0)
    return scale(cam).astype(np.float32), store["a"].shape


def main():
    index = {}
    for name, (make, shape, layer_path, layout) in MODELS.items():
        torch.manual_seed(0)
        model = make()
        model.train()
        with torch.no_grad():          # give BatchNorm non-trivial running statistics
            for _ in range(3):
                model(torch.rand(4, *shape[1:]))
        model.eval()
        x = torch.rand(*shape)
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        opset = 14 if layout == "tokens" else 13
        torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=opset,
                          input_names=["input"], output_names=["logits"], do_constant_folding=True)
        np.save(os.path.join(d, "input.npy"), x.numpy())
        layer = dict(model.named_modules())[layer_path]
        entries = []
        for method in METHODS:
            for target in TARGETS:
                cam, act_shape = cam_map(model, layer, x, method, target, layout)
                file = f"{method.replace('+', 'p')}__{target.replace(':', '_')}.npy"
                np.save(os.path.join(d, file), cam)
                entries.append({"method": method, "target": target, "file": file})
        index[name] = {"layer": layer_path, "layout": layout, "opset": opset, "input": list(shape),
                       "activation": list(act_shape), "maps": entries}
        print(name, "done", act_shape)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)


if __name__ == "__main__":
    main()
