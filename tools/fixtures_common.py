"""Helpers shared by the fixture scripts in tools/ (Debian python3-torch 1.13, torchvision 0.14,
python3-onnx, python3-numpy; run with /usr/bin/python3).

Nothing here downloads anything: torchvision models are always built with weights=None.
"""
import gzip
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

# One thread: deterministic float reductions, and the machine is shared with the C# build.
torch.set_num_threads(1)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def seeded(seed=0):
    """Seeds every generator the fixture scripts touch."""
    torch.manual_seed(seed)
    np.random.seed(seed)


def export(model, x, path, opset, dynamic_batch=False, input_name="input", output_name="logits"):
    """torch.onnx.export in eval mode with constant folding (BatchNorm folds into Conv).

    dynamic_batch=True makes axis 0 of the input and the output the symbolic dimension "N".
    Returns the path.
    """
    model.eval()
    dynamic_axes = {input_name: {0: "N"}, output_name: {0: "N"}} if dynamic_batch else None
    # Not under torch.no_grad(): there, torch 1.13's nn.MultiheadAttention takes its fast path
    # (aten::_native_multi_head_attention), which has no ONNX export (vit_b_16 fails).
    torch.onnx.export(model, x, path, opset_version=opset, do_constant_folding=True,
                      input_names=[input_name], output_names=[output_name], dynamic_axes=dynamic_axes)
    return path


def warm_batchnorm(model, size, passes=3, batch=4):
    """A few training-mode forward passes so every BatchNorm has running statistics that are
    not (0, 1): folding them into the preceding Conv then changes its weights and bias."""
    model.train()
    with torch.no_grad():
        for _ in range(passes):
            model(torch.rand(batch, 3, *size))
    model.eval()
    return model


def jitter_parameters(model, scale=0.01):
    """Adds small seeded noise to every parameter. Freshly initialised models have many equal
    tensors (LayerNorm/BatchNorm weights of 1, biases of 0) that torch.onnx de-duplicates into
    top-level Identity nodes ("Identity_0": ln_1.weight -> encoder.ln.weight); a trained
    model's export has none, so fixtures should not either."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * scale)
    return model


def save_npy(path, array):
    """Saves as float32 .npy (what the C# tests read)."""
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    np.save(path, np.ascontiguousarray(array, dtype=np.float32))


def zero_float_initializers(model, constants=False):
    """Sets every float initializer to zeros, keeping names, shapes and dtypes, so a full-size
    architecture compresses to a few hundred KB. Integer initializers (int64 shape constants
    for Reshape, Slice, ...) are kept as they are. constants=True also zeroes large float
    Constant nodes (off by default: torch 1.13 puts weights in initializers).
    Modifies and returns the onnx ModelProto."""
    def zero(t):
        if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE):
            a = numpy_helper.to_array(t)
            t.CopyFrom(numpy_helper.from_array(np.zeros(a.shape, a.dtype), t.name))
    for t in model.graph.initializer:
        zero(t)
    for n in model.graph.node if constants else []:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.type == onnx.AttributeProto.TENSOR and a.t.dims and np.prod(a.t.dims) > 16:
                    zero(a.t)   # large float constants only; tiny ones may be scalars like eps
    return model


def write_gzip(path, data):
    """Writes bytes (or an onnx ModelProto) gzip-compressed, level 9, with mtime 0 so the
    same content gives the same file bytes."""
    if isinstance(data, onnx.ModelProto):
        data = data.SerializeToString()
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
        f.write(data)
    return path


def module_output_shapes(model, x):
    """{dotted module path: output shape} for every named module (the root excluded) whose
    output is a single tensor, from forward hooks. A module called more than once (a shared
    ReLU) reports its last call, like PyTorch's own hook-based tools do."""
    shapes, hooks = {}, []
    for name, module in model.named_modules():
        if not name:
            continue
        def hook(_m, _i, out, name=name):
            if isinstance(out, torch.Tensor):
                shapes[name] = list(out.shape)
            else:
                shapes.pop(name, None)   # tuple/list/namedtuple outputs are skipped
        hooks.append(module.register_forward_hook(hook))
    model.eval()
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return shapes


def op_types(model):
    """Sorted operator types of an onnx ModelProto."""
    return sorted({n.op_type for n in model.graph.node})
