#!/usr/bin/env python3
"""Fixtures for the TorchSharp backend's tests (tests/fixtures/torchsharp/), made with Debian's
python3-torch 1.13 and pytorch-grad-cam itself as the reference.

    git clone <pytorch-grad-cam> /tmp/pytorch-grad-cam      # (the search tool's fetch)
    PYTORCH_GRAD_CAM=/tmp/pytorch-grad-cam /usr/bin/python3 tools/make_torchsharp_fixtures.py

Writes, for the small residual net ResNetish (tools/make_cam_references.py; the C# tests build
the same architecture in TorchSharp, module names included):
  resnetish.pt          its state_dict (torch.save), loaded by TorchSharpModel.FromStateDict
  resnetish.onnx        the same weights as ONNX (ONNX-vs-TorchSharp parity)
  input.npy             a seeded input [1, 3, 32, 32]
  <method>__class_<k>.npy  pytorch-grad-cam's map (grayscale_cam[0], H x W) at backbone.layer2
  resnetish_script.pt   torch.jit.script of the net with forward_features/forward_head exported
  plain_script.pt       torch.jit.script of the net without them (to check the refusal)
  mobilenet_v2.pt       torchvision's mobilenet_v2(width_mult=0.25, num_classes=5), seeded random
                        weights (BatchNorm statistics warmed), for TorchVision's model in TorchSharp
  mobilenet_v2_input.npy, mobilenet_v2__gradcam__class_<k>.npy   input [1, 3, 64, 64] and pytorch-grad-cam's
                        Grad-CAM at `features`
  index.json            layer, methods, targets and files
pytorch-grad-cam imports ttach, matplotlib, tqdm and sklearn at import time; they are not used by these
methods and are stubbed in sys.modules.
"""
import json, os, sys, types

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import FIXTURES, seeded, save_npy, warm_batchnorm, jitter_parameters, export  # noqa: E402
from make_cam_references import ResNetish  # noqa: E402

def _stub(name, **attrs):
    module = sys.modules.setdefault(name, types.ModuleType(name))
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


# Imported by pytorch-grad-cam at import time but unused by the methods here (augmentation,
# plotting, progress bars); not installed on this machine.
_none = lambda *args, **kwargs: None
_stub("ttach", Compose=_none, HorizontalFlip=_none, Multiply=_none)   # aug_smooth only
_stub("matplotlib", pyplot=_stub("matplotlib.pyplot"), lines=_stub("matplotlib.lines", Line2D=object))
_stub("tqdm", tqdm=lambda iterable, **_: iterable)
_stub("sklearn", decomposition=_stub("sklearn.decomposition", KernelPCA=object, NMF=object))   # KPCA-CAM, DFF only
sys.path.insert(0, os.environ.get("PYTORCH_GRAD_CAM", "/tmp/pytorch-grad-cam"))
from pytorch_grad_cam import GradCAM, HiResCAM, GradCAMPlusPlus, XGradCAM, LayerCAM, ScoreCAM, EigenCAM  # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget  # noqa: E402

OUT = os.path.join(FIXTURES, "torchsharp")
LAYER = "backbone.layer2"
METHODS = {"gradcam": GradCAM, "hirescam": HiResCAM, "gradcam++": GradCAMPlusPlus, "xgradcam": XGradCAM,
           "layercam": LayerCAM, "scorecam": ScoreCAM, "eigencam": EigenCAM}
CLASSES = [1, 3]


class Exported(ResNetish):
    """ResNetish with the two methods a TorchScript file must export for CamAssert.TorchSharp."""
    @torch.jit.export
    def forward_features(self, x):
        return self.backbone(x)

    @torch.jit.export
    def forward_head(self, features):
        return self.head(self.pool(features))


def main():
    os.makedirs(OUT, exist_ok=True)
    seeded(7)
    net = jitter_parameters(warm_batchnorm(ResNetish(), (32, 32)), 0.05).eval()
    torch.save(net.state_dict(), os.path.join(OUT, "resnetish.pt"))
    x = torch.rand(1, 3, 32, 32)
    save_npy(os.path.join(OUT, "input.npy"), x)
    export(net, x, os.path.join(OUT, "resnetish.onnx"), opset=17)

    layer = net.get_submodule(LAYER)
    maps = []
    for name, cls in METHODS.items():
        for k in CLASSES:
            cam = cls(model=net, target_layers=[layer])
            if name == "scorecam":
                cam.batch_size = 16
            grayscale = cam(input_tensor=x.clone(), targets=[ClassifierOutputTarget(k)])[0]
            file = f"{name.replace('+', 'p')}__class_{k}.npy"
            save_npy(os.path.join(OUT, file), grayscale)
            maps.append({"method": name, "target": f"class:{k}", "file": file})

    exported = Exported().eval()
    exported.load_state_dict(net.state_dict())
    torch.jit.script(exported).save(os.path.join(OUT, "resnetish_script.pt"))
    plain = ResNetish().eval()   # a fresh copy: pytorch-grad-cam left hooks on `net`, which scripting refuses
    plain.load_state_dict(net.state_dict())
    torch.jit.script(plain).save(os.path.join(OUT, "plain_script.pt"))
    with torch.no_grad():
        logits = net(x)[0].tolist()
    mobilenet = torchvision_fixture()
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump({"layer": LAYER, "logits": logits, "maps": maps, "mobilenet_v2": mobilenet}, f, indent=1)


def torchvision_fixture():
    """A torchvision architecture small enough to commit: its state dict, input, logits and maps."""
    seeded(11)
    net = jitter_parameters(warm_batchnorm(torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=5), (64, 64)), 0.05).eval()
    torch.save(net.state_dict(), os.path.join(OUT, "mobilenet_v2.pt"))
    x = torch.rand(1, 3, 64, 64)
    save_npy(os.path.join(OUT, "mobilenet_v2_input.npy"), x)
    for k in CLASSES:
        cam = GradCAM(model=net, target_layers=[net.features])
        save_npy(os.path.join(OUT, f"mobilenet_v2__gradcam__class_{k}.npy"), cam(input_tensor=x.clone(), targets=[ClassifierOutputTarget(k)])[0])
    with torch.no_grad():
        return {"layer": "features", "logits": net(x)[0].tolist()}


if __name__ == "__main__":
    main()
