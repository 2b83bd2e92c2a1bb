#!/usr/bin/env python3
"""Which ONNX operators, attributes and input counts the engine meets in torchvision exports.

Exports 19 torchvision classifiers (random seeded weights, never downloaded) with torch 1.13 at
opset 13 and at opset 17, reads every node, and writes docs/engine-operators.md: per opset, each
op type with the models using it, the number of inputs it is given and every attribute value
seen; plus which of those ops docs/ENGINE.md does not list as supported.

Development time only (Debian python3-torch 1.13, python3-torchvision 0.14, python3-onnx):

    /usr/bin/python3 tools/list_operators.py            # about 10-20 minutes on one thread
    /usr/bin/python3 tools/list_operators.py --keep     # keep the exported .onnx files

The exports go to /tmp/camassert_operators/ (several GB in all; each is deleted once read unless
--keep is given); only docs/engine-operators.md is written into the repository. The raw
collected facts are also saved as /tmp/camassert_operators/operators.json.
"""
import argparse
import collections
import json
import os
import re
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import numpy_helper

from fixtures_common import ROOT, export, jitter_parameters, seeded, warm_batchnorm

TMP = "/tmp/camassert_operators"
DOC = os.path.join(ROOT, "docs", "engine-operators.md")
OPSETS = (13, 17)

MODELS = [  # torchvision builder, input size, constructor kwargs
    ("resnet18", 224, {}),
    ("resnet50", 224, {}),
    ("resnext50_32x4d", 224, {}),
    ("wide_resnet50_2", 224, {}),
    ("vgg11", 224, {}),
    ("vgg11_bn", 224, {}),
    ("alexnet", 224, {}),
    ("squeezenet1_0", 224, {}),
    ("densenet121", 224, {}),
    ("inception_v3", 299, {"aux_logits": False, "init_weights": False}),
    ("googlenet", 224, {"aux_logits": False, "init_weights": False}),
    ("mobilenet_v2", 224, {}),
    ("mobilenet_v3_small", 224, {}),
    ("mnasnet0_5", 224, {}),
    ("shufflenet_v2_x0_5", 224, {}),
    ("efficientnet_b0", 224, {}),
    ("regnet_y_400mf", 224, {}),
    ("convnext_tiny", 224, {}),
    ("vit_b_16", 224, {}),
]


def build(name, size, kwargs):
    """A torchvision model with random seeded weights, parameters jittered and BatchNorm
    statistics warmed so the export looks like a trained model's (no de-duplicated
    initializers, BatchNorm folded into its Conv)."""
    seeded(0)
    model = jitter_parameters(getattr(torchvision.models, name)(weights=None, **kwargs))
    if any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules()):
        warm_batchnorm(model, (size, size), passes=1, batch=2)
    return model.eval()


def attribute_value(a):
    """A short, hashable description of one attribute's value."""
    v = onnx.helper.get_attribute_value(a)
    if a.type == onnx.AttributeProto.TENSOR:   # Constant's value: dtype and rank, not the data
        dtype = onnx.TensorProto.DataType.Name(v.data_type).lower()
        return f"{dtype}[{'x'.join(map(str, v.dims))}]" if len(v.dims) <= 1 else f"{dtype} rank {len(v.dims)}"
    if a.type == onnx.AttributeProto.STRING:
        return v.decode()
    if a.type in (onnx.AttributeProto.INTS, onnx.AttributeProto.FLOATS):
        return "[" + ",".join(fmt_number(x) for x in v) + "]"
    if a.type == onnx.AttributeProto.INT and a.name == "to":
        return onnx.TensorProto.DataType.Name(v).lower()
    if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.FLOAT):
        return fmt_number(v)
    return onnx.AttributeProto.AttributeType.Name(a.type).lower()


def fmt_number(x):
    return str(x) if isinstance(x, int) else f"{x:.6g}"


def analyse(model):
    """Per op type: input counts, attribute values, and which inputs (by position) were computed
    at run time rather than being initializers or Constant outputs. Also the values of the
    constant inputs that change an op's behaviour (Pad's pads, Resize's scales, ...)."""
    g = model.graph
    constant = {t.name for t in g.initializer}
    constant |= {o for n in g.node if n.op_type == "Constant" for o in n.output}
    # Values worth showing: int64 tensors of up to 8 elements (axes, shapes, pads, slice
    # bounds) and float scalars (Clip bounds, Pow exponents, epsilons, scale factors).
    def small(t):
        n = int(np.prod(t.dims)) if t.dims else 1
        return (t.data_type == onnx.TensorProto.INT64 and n <= 8) or (t.data_type == onnx.TensorProto.FLOAT and n == 1)
    init_values = {t.name: numpy_helper.to_array(t) for t in g.initializer if small(t)}
    for n in g.node:
        if n.op_type == "Constant" and n.attribute[0].type == onnx.AttributeProto.TENSOR and small(n.attribute[0].t):
            init_values[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    ops = collections.defaultdict(lambda: {"count": 0, "inputs": set(), "attrs": collections.defaultdict(set),
                                           "attr_nodes": collections.Counter(),
                                           "sources": collections.defaultdict(set), "input_values": collections.defaultdict(set)})
    for n in g.node:
        o = ops[n.op_type]
        o["count"] += 1
        o["inputs"].add(sum(1 for i in n.input if i) if all(n.input) else f"{len(n.input)} ({','.join(str(j) for j, i in enumerate(n.input) if not i)} empty)")
        for a in n.attribute:
            o["attrs"][a.name].add(attribute_value(a))
            o["attr_nodes"][a.name] += 1
        for j, i in enumerate(n.input):
            if i:
                o["sources"][j].add("c" if i in constant else "r")
            if i in init_values:
                o["input_values"][j].add("[" + ",".join(fmt_number(v) for v in np.atleast_1d(init_values[i]).tolist()) + "]")
    return ops


def merge(into, name, ops):
    for op, o in ops.items():
        m = into.setdefault(op, {"models": {}, "inputs": set(), "attrs": collections.defaultdict(set),
                                 "attr_nodes": collections.Counter(),
                                 "sources": collections.defaultdict(set), "input_values": collections.defaultdict(set)})
        m["models"][name] = o["count"]
        m["inputs"] |= o["inputs"]
        m["attr_nodes"].update(o["attr_nodes"])
        for k, v in o["sources"].items():
            m["sources"][k] |= v
        for k, v in o["attrs"].items():
            m["attrs"][k] |= v
        for k, v in o["input_values"].items():
            m["input_values"][k] |= v


def engine_operators():
    """The op types docs/ENGINE.md lists under "## Operators" (parenthesised notes dropped)."""
    path = os.path.join(ROOT, "docs", "ENGINE.md")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    m = re.search(r"^## Operators\s*\n(.*?)\n\s*\n", text, re.S | re.M)
    if not m:
        return None
    body = re.sub(r"\([^)]*\)", "", m.group(1))
    return {w.strip().rstrip(".") for w in body.split(",") if re.fullmatch(r"[A-Z][A-Za-z]+", w.strip().rstrip("."))}


def sort_values(values):
    def key(v):
        try:
            return (0, float(v), "")
        except ValueError:
            return (1, 0.0, v)
    return sorted(values, key=key)


def runs(items):
    """[(position, label)] -> [([first, last], label)] merging consecutive positions with one label."""
    out = []
    for j, label in items:
        if out and out[-1][1] == label and out[-1][0][1] == j - 1:
            out[-1][0][1] = j
        else:
            out.append(([j, j], label))
    return out


def positions(span, mark="#"):
    first, last = span
    if first == last:
        return f"{mark}{first}"
    return f"{mark}{first}, {mark}{last}" if last == first + 1 and not mark else f"{mark}{first}-{mark}{last}"


def md_table(facts, all_models):
    rows = ["| op | nodes | models | inputs | attributes seen | input sources | constant parameter inputs |",
            "|---|---|---|---|---|---|---|"]
    for op in sorted(facts):
        f = facts[op]
        models = sorted(f["models"], key=all_models.index)
        used = "all" if len(models) == len(all_models) else ", ".join(models)
        nodes = sum(f["models"].values())
        attrs = "; ".join(f"{k}: {', '.join(sort_values(v))}{', (unset)' if f['attr_nodes'][k] < nodes else ''}"
                          for k, v in sorted(f["attrs"].items())) or "-"
        dyn = ", ".join(f"{positions(js)} {src}" for js, src in runs(
            [(j, "/".join(sorted(v))) for j, v in sorted(f["sources"].items())])) or "-"
        vals = "; ".join(f"#{j}: {' '.join(sort_values(v)[:12])}{' ...' if len(v) > 12 else ''}"
                         for j, v in sorted(f["input_values"].items())) or "-"
        ints = sorted(x for x in f["inputs"] if isinstance(x, int))
        inputs = ", ".join([positions(js, "") for js, _ in runs([(j, "") for j in ints])] +
                           sorted(x for x in f["inputs"] if not isinstance(x, int)))
        rows.append(f"| {op} | {nodes} | {used} | {inputs} | {attrs} | {dyn} | {vals} |")
    return "\n".join(rows)


def write_doc(facts, failures, per_model, elapsed):
    names = [m[0] for m in MODELS]
    supported = engine_operators()
    out = ["# ONNX operators in torchvision exports",
           "",
           "Generated by `tools/list_operators.py` (do not edit by hand): "
           f"torch {torch.__version__}, torchvision {torchvision.__version__}, onnx {onnx.__version__}; "
           "`torch.onnx.export` in eval mode with constant folding, batch 1, 224x224 input "
           "(inception_v3 299x299); random weights, BatchNorm statistics warmed so BatchNorm folds "
           "into its Conv as in a trained model.",
           "",
           "Models: " + ", ".join(f"`{n}`" for n in names) + ".",
           "",
           "Columns: *nodes* = number of nodes of that type over all models; *inputs* = how many "
           "inputs a node is given (optional inputs left empty are shown as positions); "
           "*attributes seen* = every value of every attribute (Constant values: dtype and shape "
           "only; lists in brackets; (unset) = some nodes leave it at its ONNX default); *input sources* = per input position, c = an initializer "
           "or a Constant output, r = computed at run time, c/r = both seen (for example a "
           "Reshape shape that some models build with Shape/Gather/Concat); *constant parameter "
           "inputs* = the values of small constant inputs: int64 ones of up to 8 elements (axes, "
           "pads, shapes, slice bounds) and float scalars (Clip bounds, Pow exponents, epsilons); "
           "at most 12 values per input are shown.",
           "", "## Summary", ""]
    for opset in OPSETS:
        out.append(f"- opset {opset} ({len(facts[opset])} op types): " + ", ".join(sorted(facts[opset])))
    only = {o: sorted(set(facts[o]) - set(facts[p])) for o, p in [(OPSETS[0], OPSETS[1]), (OPSETS[1], OPSETS[0])]}
    for o in OPSETS:
        out.append(f"- only at opset {o}: " + (", ".join(only[o]) or "none"))
    if supported is not None:
        seen = set().union(*(set(facts[o]) for o in OPSETS))
        missing = sorted(seen - supported)
        out.append("- not in the operator list of docs/ENGINE.md: " + (", ".join(
            f"{op} ({', '.join(sorted(set().union(*(facts[o][op]['models'] for o in OPSETS if op in facts[o])), key=names.index))})"
            for op in missing) or "none"))
    if failures:
        out.append("- exports that failed: " + "; ".join(f"{m} opset {o}: {e}" for (m, o), e in sorted(failures.items())))
    else:
        out.append("- every export succeeded")
    out += ["", "Op types per model (opset 13 | opset 17 where different):", ""]
    for n in names:
        a, b = per_model.get((n, 13)), per_model.get((n, 17))
        line = f"- `{n}`: " + (", ".join(a) if a else "(failed)")
        if b != a:
            line += " | opset 17: " + (", ".join(b) if b else "(failed)")
        out.append(line)
    for opset in OPSETS:
        out += ["", f"## Opset {opset}", "", md_table(facts[opset], names)]
    out += ["", f"_{len(MODELS) * len(OPSETS) - len(failures)} exports read in {elapsed / 60:.0f} min._", ""]
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w") as f:
        f.write("\n".join(out))


def jsonable(facts):
    return {str(o): {op: {k: (sorted(map(str, v)) if isinstance(v, set) else
                              {kk: sorted(map(str, vv)) for kk, vv in v.items()} if k in ("attrs", "input_values", "sources") else
                              dict(v) if k == "attr_nodes" else v)
                          for k, v in f.items()} for op, f in ops.items()} for o, ops in facts.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the exported models in " + TMP)
    parser.add_argument("--only", nargs="*", help="only these models (for a quick check; the doc then lists only them)")
    args = parser.parse_args()
    if args.only:
        MODELS[:] = [m for m in MODELS if m[0] in args.only]
    os.makedirs(TMP, exist_ok=True)
    start = time.time()
    facts = {o: {} for o in OPSETS}
    failures, per_model = {}, {}
    for name, size, kwargs in MODELS:
        model = build(name, size, kwargs)
        x = torch.rand(1, 3, size, size)
        for opset in OPSETS:
            path = os.path.join(TMP, f"{name}_opset{opset}.onnx")
            t = time.time()
            try:
                export(model, x, path, opset=opset)
                m = onnx.load(path)
            except Exception as e:
                failures[(name, opset)] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
                print(f"FAILED {name} opset {opset}: {failures[(name, opset)]}", flush=True)
                continue
            finally:
                if not args.keep and os.path.exists(path):
                    os.remove(path)
            ops = analyse(m)
            per_model[(name, opset)] = sorted(ops)
            merge(facts[opset], name, ops)
            print(f"{name:20s} opset {opset}: {len(m.graph.node):5d} nodes, {len(ops):2d} op types, "
                  f"{time.time() - t:5.1f} s", flush=True)
            del m
        del model
    with open(os.path.join(TMP, "operators.json"), "w") as f:
        json.dump({"facts": jsonable(facts), "failures": {f"{m} {o}": e for (m, o), e in failures.items()}}, f, indent=1)
    write_doc(facts, failures, per_model, time.time() - start)
    print("wrote", DOC, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
