#!/usr/bin/env python3
"""Fixtures for the layer tree: real torchvision exports (weights zeroed so they compress to a
few hundred KB) with the output shape of every module as PyTorch's forward hooks see it, plus
a small nested classifier and the same graph renamed to the Keras/tf2onnx scheme.

Development time only:   /usr/bin/python3 tools/make_tree_fixtures.py
Writes tests/fixtures/trees/.
"""
import gzip, json, os
import numpy as np
import onnx
import torch
import torch.nn as nn
from nets import Block   # the ResNet basic block (conv-bn-relu-conv-bn + shortcut, relu)
import torchvision
from onnx import numpy_helper

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "trees")
os.makedirs(OUT, exist_ok=True)


def module_shapes(model, x):
    """Output shape of every named module that returns one tensor, from forward hooks (last call wins)."""
    shapes, hooks = {}, []
    for name, module in model.named_modules():
        if not name:
            continue
        def hook(_m, _i, o, name=name):
            if isinstance(o, torch.Tensor):
                shapes[name] = list(o.shape)
        hooks.append(module.register_forward_hook(hook))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return shapes


def zero_weights(path):
    """Sets every float initializer to zero (shapes kept) so the file compresses."""
    m = onnx.load(path)
    for t in m.graph.initializer:
        if t.data_type == onnx.TensorProto.FLOAT:
            t.CopyFrom(numpy_helper.from_array(np.zeros(numpy_helper.to_array(t).shape, np.float32), t.name))
    return m


def export_torchvision(name, size, opset=13, **kwargs):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
    x = torch.rand(1, 3, size, size)
    tmp = f"/tmp/{name}.tree.onnx"
    torch.onnx.export(model, x, tmp, opset_version=opset, input_names=["input"], output_names=["logits"])
    m = zero_weights(tmp)
    with gzip.open(os.path.join(OUT, name + ".onnx.gz"), "wb", compresslevel=9) as f:
        f.write(m.SerializeToString())
    return module_shapes(model, x)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        widths, c = [8, 16, 32, 64], 8
        for i, w in enumerate(widths):
            setattr(self, f"layer{i + 1}", nn.Sequential(Block(c, w, 1 if i == 0 else 2), Block(w, w, 1)))
            c = w

    def forward(self, x):
        return self.layer4(self.layer3(self.layer2(self.layer1(self.stem(x)))))


class Classifier(nn.Module):
    """A ResNet-style backbone nested inside a classifier with a head, as users build them."""
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64, 3))

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)))


def keras_name(node_name):
    """torch 1.13 scope names -> tf2onnx names: model/resnet50/conv{K+1}_block{i+1}_<part>/<Op>."""
    parts = node_name.strip("/").split("/")
    op = parts[-1]
    scope = parts[:-1]
    if not scope:
        return f"model/{op}"
    if scope[0] == "pool":
        return f"model/avg_pool/{op}"
    if scope[0] == "head":
        return f"model/{'flatten' if scope[-1] == 'head.0' else 'predictions'}/{op}"
    rest = scope[1:]
    if rest and rest[0] == "stem":
        part = {"stem.0": "conv1_conv", "stem.1": "conv1_bn", "stem.2": "conv1_relu"}[rest[-1]]
        return f"model/resnet50/{part}/{op}"
    k = int(rest[0][len("layer"):])
    i = int(rest[1].split(".")[-1])
    prefix = f"conv{k + 1}_block{i + 1}_"
    leaf = rest[2] if len(rest) > 2 else ""
    if leaf.startswith("downsample"):
        part = "0_conv"
    else:
        part = {"conv1": "1_conv", "relu": "1_relu", "conv2": "2_conv", "relu_1": "out", "": "add"}.get(leaf, leaf)
    return f"model/resnet50/{prefix}{part}/{op}"


def nested():
    torch.manual_seed(1)
    model = Classifier()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(4, 3, 64, 64))
    model.eval()
    x = torch.rand(1, 3, 64, 64)
    path = os.path.join(OUT, "nested_classifier.onnx")
    torch.onnx.export(model, x, path, opset_version=14, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    m = onnx.load(path)
    m.metadata_props.add(key="labels", value="circle,square,triangle")
    onnx.save(m, path)
    # The Keras-named twin: nodes renamed, intermediate tensors named "<node>:0" as tf2onnx does.
    k = onnx.load(path)
    k.producer_name, k.producer_version = "tf2onnx", "1.16.1"
    keep = {i.name for i in k.graph.input} | {o.name for o in k.graph.output} | {t.name for t in k.graph.initializer}
    rename = {}
    for n in k.graph.node:
        n.name = keras_name(n.name)
        for j, o in enumerate(n.output):
            if o not in keep:
                rename[o] = f"{n.name}:{j}"
                n.output[j] = rename[o]
    for n in k.graph.node:
        for j, i in enumerate(n.input):
            n.input[j] = rename.get(i, i)
    onnx.checker.check_model(k)
    onnx.save(k, os.path.join(OUT, "nested_classifier_keras.onnx"))
    return module_shapes(model, x)


if __name__ == "__main__":
    expected = {"nested_classifier.onnx": nested()}
    for name, size, kwargs in [("resnet50", 224, {}), ("inception_v3", 299, {"aux_logits": False, "init_weights": False}),
                               ("densenet121", 224, {}), ("mobilenet_v2", 224, {})]:
        expected[name + ".onnx.gz"] = export_torchvision(name, size, **kwargs)
        print(name, os.path.getsize(os.path.join(OUT, name + ".onnx.gz")) // 1024, "KB", flush=True)
    with open(os.path.join(OUT, "expected_shapes.json"), "w") as f:
        f.write("{\n" + ",\n".join(f' "{m}": {{\n' + ",\n".join(f'  "{k}": {v}' for k, v in s.items()) + "\n }" for m, s in expected.items()) + "\n}\n")
