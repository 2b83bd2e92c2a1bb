#!/usr/bin/env python3
"""Engine parity fixtures: small versions of every torchvision architecture family, with
PyTorch's logits, a layer's activation and the gradient of the top logit there.

Development time only (Debian python3-torch 1.13, torchvision 0.14):

    /usr/bin/python3 tools/make_parity.py

Writes tests/fixtures/parity/<name>/{model.onnx, input.npy, logits.npy, layer.txt (module path),
activation.npy, gradient.npy, class.txt}. Weights are random (seeded); BatchNorm layers get
running statistics from a few training-mode passes so the exported (folded) graph is not trivial.
"""
import os
import zlib
import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models import resnet, squeezenet, inception, mobilenetv3, efficientnet, regnet, convnext
from torchvision.models.googlenet import BasicConv2d as GoogLeNetConv, Inception as GoogLeNetInception
from torchvision.ops.misc import Conv2dNormActivation

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "parity")


class Head(nn.Module):
    """features -> pool -> flatten -> linear: the classifier shape every family shares."""
    def __init__(self, features, channels, classes=5, pool=True):
        super().__init__()
        self.features = features
        self.pool = nn.AdaptiveAvgPool2d(1) if pool else nn.Identity()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(channels, classes))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)))


class MiniResNet(nn.Module):
    """torchvision's ResNet layout (stem, max pool, layer1..4, pool, fc) with narrow widths, from its own blocks."""
    def __init__(self, block, widths=(8, 16, 32, 64), groups=1, width_per_group=64):
        super().__init__()
        self.conv1, self.bn1, self.relu = nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        c = 8
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            out = w * block.expansion
            down = nn.Sequential(nn.Conv2d(c, out, 1, stride, bias=False), nn.BatchNorm2d(out)) if stride != 1 or c != out else None
            kwargs = {"groups": groups, "base_width": width_per_group} if block is resnet.Bottleneck else {}
            setattr(self, f"layer{i + 1}", nn.Sequential(block(c, w, stride, down, **kwargs), block(out, w, **kwargs)))
            c = out
        self.avgpool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(c, 5)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet_mini():
    return MiniResNet(resnet.BasicBlock), "layer4"


def resnext_mini():
    return MiniResNet(resnet.Bottleneck, widths=(8, 8, 16, 16), groups=4, width_per_group=16), "layer4"


def vgg_mini(bn):
    cfg = [8, "M", 16, "M", 16]
    layers, c = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1)] + ([nn.BatchNorm2d(v)] if bn else []) + [nn.ReLU(inplace=True)]
            c = v
    m = torchvision.models.vgg.VGG(nn.Sequential(*layers), num_classes=5, init_weights=True)
    m.avgpool = nn.AdaptiveAvgPool2d((2, 2))
    m.classifier = nn.Sequential(nn.Linear(16 * 4, 32), nn.ReLU(True), nn.Dropout(), nn.Linear(32, 5))
    return m, "features"


def alexnet_mini():
    f = nn.Sequential(nn.Conv2d(3, 8, 5, 2, 2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
                      nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2))
    return Head(f, 16), "features"


def squeezenet_mini():
    f = nn.Sequential(nn.Conv2d(3, 16, 3, 2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True),
                      squeezenet.Fire(16, 4, 8, 8), squeezenet.Fire(16, 4, 8, 8), nn.MaxPool2d(3, 2, ceil_mode=True),
                      squeezenet.Fire(16, 8, 16, 16))
    return Head(f, 32), "features"


def densenet_mini():
    # Not "features": DenseNet applies an in-place ReLU to it, which would change what the hook saw.
    return torchvision.models.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2, num_classes=5), "features.denseblock2"


def inception_mini():
    # InceptionA: avg pool with count_include_pad, 5x5 and double 3x3 branches, concat of four.
    f = nn.Sequential(inception.BasicConv2d(3, 16, kernel_size=3, stride=2), nn.MaxPool2d(3, 2),
                      inception.InceptionA(16, pool_features=8))
    return Head(f, 64 + 64 + 96 + 8), "features"


def googlenet_mini():
    f = nn.Sequential(GoogLeNetConv(3, 16, kernel_size=3, stride=2), nn.MaxPool2d(3, 2, ceil_mode=True),
                      GoogLeNetInception(16, 8, 8, 8, 4, 8, 8))
    return Head(f, 32), "features"


def mobilenet_v2_mini():
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 1, 2]]
    return torchvision.models.MobileNetV2(width_mult=0.25, inverted_residual_setting=setting, num_classes=5), "features"


def mobilenet_v3_mini():
    cnf = mobilenetv3.InvertedResidualConfig
    settings = [cnf(16, 3, 16, 16, True, "RE", 2, 1, 1.0), cnf(16, 3, 32, 24, False, "HS", 2, 1, 1.0), cnf(24, 5, 48, 24, True, "HS", 1, 1, 1.0)]
    return mobilenetv3.MobileNetV3(settings, last_channel=64, num_classes=5), "features"


def mnasnet_mini():
    return torchvision.models.MNASNet(0.1, num_classes=5), "layers"


def shufflenet_mini():
    return torchvision.models.shufflenetv2.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 128], num_classes=5), "conv5"


def efficientnet_mini():
    cfg = efficientnet.MBConvConfig
    settings = [cfg(1, 3, 1, 16, 8, 1), cfg(4, 3, 2, 8, 16, 1), cfg(4, 5, 2, 16, 24, 1)]
    return efficientnet.EfficientNet(settings, dropout=0.1, num_classes=5, last_channel=64), "features"


def regnet_mini():
    params = regnet.BlockParams(depths=[1, 1], widths=[16, 32], group_widths=[8, 8], bottleneck_multipliers=[1.0, 1.0], strides=[2, 2])
    return regnet.RegNet(params, stem_width=8, num_classes=5), "trunk_output"


def convnext_mini():
    cnf = convnext.CNBlockConfig
    settings = [cnf(16, 32, 1), cnf(32, None, 1)]
    return convnext.ConvNeXt(settings, stochastic_depth_prob=0.0, num_classes=5), "features"


def vit_mini():
    m = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32, num_classes=5)
    nn.init.normal_(m.heads.head.weight, std=0.5)   # torchvision starts the head at zero
    return m, "encoder.layers.encoder_layer_1.ln_1"


class Odd(nn.Module):
    """Conv and pooling attributes the families above do not reach."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=2, dilation=2), nn.Tanh(),
            nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.Sigmoid(),
            nn.Conv2d(8, 16, 3, padding=1, groups=8),                  # depthwise with multiplier 2
            nn.Conv2d(16, 16, (1, 7), padding=(0, 3)), nn.Conv2d(16, 16, (7, 1), padding=(3, 0)),   # Inception V3's factorised 7x7
            nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False),
            nn.Hardswish(), nn.ReLU6(), nn.ZeroPad2d((1, 0, 2, 1)), nn.MaxPool2d(2, 2, ceil_mode=True))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 6 * 7, 5), nn.Softmax(dim=-1))

    def forward(self, x):
        return self.classifier(self.features(x))


ZOO = {
    # name: (builder, input size (h, w), opset)
    "resnet": (resnet_mini, (40, 40), 13), "resnext": (resnext_mini, (40, 40), 13),
    "vgg": (lambda: vgg_mini(False), (32, 32), 13), "vgg_bn": (lambda: vgg_mini(True), (32, 32), 13),
    "alexnet": (alexnet_mini, (48, 48), 13), "squeezenet": (squeezenet_mini, (48, 48), 13),
    "densenet": (densenet_mini, (48, 48), 13), "inception": (inception_mini, (32, 32), 13), "googlenet": (googlenet_mini, (48, 48), 13),
    "mobilenet_v2": (mobilenet_v2_mini, (48, 48), 13), "mobilenet_v3": (mobilenet_v3_mini, (48, 48), 13),
    "mnasnet": (mnasnet_mini, (48, 48), 13), "shufflenet_v2": (shufflenet_mini, (48, 48), 13),
    "efficientnet": (efficientnet_mini, (48, 48), 13), "regnet": (regnet_mini, (48, 48), 13),
    "convnext": (convnext_mini, (48, 48), 13), "convnext_opset17": (convnext_mini, (48, 48), 17),
    "vit": (vit_mini, (32, 32), 14), "vit_opset17": (vit_mini, (32, 32), 17),
    "odd": (lambda: (Odd(), "features"), (33, 47), 13),
    "resnet_batch2": (resnet_mini, (40, 40), 13, 2),   # a dynamic batch axis, two images, two targets
}


def make(name, builder, size, opset, batch=1):
    torch.manual_seed(zlib.crc32(name.encode()) % 1000)   # stable across runs (str hash is salted per process)
    model, layer_path = builder()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(4, 3, *size))
    model.eval()
    x = torch.rand(batch, 3, *size)
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    dynamic = {"input": {0: "N"}, "logits": {0: "N"}} if batch > 1 else None
    torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=opset, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True, dynamic_axes=dynamic)
    store = {}
    layer = dict(model.named_modules())[layer_path]

    def hook(_m, _i, o):
        store["a"] = o.detach().clone()   # a later in-place op must not change the saved activation
        o.register_hook(lambda g: store.__setitem__("g", g))

    layer.register_forward_hook(hook)
    out = model(x)
    classes = [int(out[b].argmax()) for b in range(batch)]     # one target per image, summed as pytorch-grad-cam does
    sum(out[b, c] for b, c in enumerate(classes)).backward()
    np.save(os.path.join(d, "input.npy"), x.numpy())
    np.save(os.path.join(d, "logits.npy"), out.detach().numpy())
    np.save(os.path.join(d, "activation.npy"), store["a"].detach().numpy())
    np.save(os.path.join(d, "gradient.npy"), store["g"].numpy())
    open(os.path.join(d, "layer.txt"), "w").write(layer_path + "\n")
    open(os.path.join(d, "class.txt"), "w").write(",".join(map(str, classes)) + "\n")
    import onnx
    ops = sorted({n.op_type for n in onnx.load(os.path.join(d, "model.onnx")).graph.node})
    print(f"{name:18s} opset {opset} layer {layer_path:38s} act {tuple(store['a'].shape)} ops {' '.join(ops)}", flush=True)
    return ops


if __name__ == "__main__":
    import sys
    names = sys.argv[1:] or list(ZOO)
    all_ops = set()
    for n in names:
        all_ops |= set(make(n, *ZOO[n]))
    print("ops covered:", " ".join(sorted(all_ops)))
