#!/usr/bin/env python3
"""Reference maps from TorchCAM itself (CAM, SSCAM, ISCAM, SmoothGradCAMpp) on the committed CAM fixture models.

Development time only. Writes tests/fixtures/cams/torchcam.json; TorchCamReferenceTests compares every
case (<= 1e-4 max abs on TorchCAM's normalised map).

    git clone <bare dir from `fetch github:frgfm/torch-cam`> /tmp/torch-cam     # @ f44afef (0.5.0.dev0)
    mkdir -p /tmp/torchcam-meta/torchcam-0.5.0.dev0.dist-info
    printf 'Metadata-Version: 2.1\\nName: torchcam\\nVersion: 0.5.0.dev0\\n' > /tmp/torchcam-meta/torchcam-0.5.0.dev0.dist-info/METADATA
    PYTHONPATH=/tmp/torch-cam:/tmp/torchcam-meta /usr/bin/python3 tools/make_torchcam_references.py /tmp/pgc

TorchCAM's newest commit (f44afef, version 0.5.0.dev0) declares torch >= 2.0 but these four methods run
unchanged on Debian's torch 1.13; the METADATA file only satisfies its `importlib.metadata.version("torchcam")`.
The last release, v0.4.1 (419d412), gives the same numbers bit for bit where it can run the case (it has no
`targets` and no `reshape_transform`: 14 of the 26 cases, on resnetish, mobilenetish and binaryish); checked with
`git worktree add /tmp/torch-cam-041 v0.4.1` and PYTHONPATH=/tmp/torch-cam-041:... `--check-only`, which prints
the largest difference to the committed file (0.0 on 2 December 2026).

The models are rebuilt and checked byte for byte by tools/make_pgc_references.py's `rebuild` (its path
argument is pytorch-grad-cam's clone, whose stubs are installed on import; pytorch-grad-cam itself is not used).

Noise. TorchCAM draws SSCAM's mask noise and SmoothGradCAMpp's input noise from torch's CPU generator
(`self._distrib.sample(size)`, a Normal(0, std)); each case calls torch.manual_seed(seed) right before the
extractor, and CamAssert reproduces torch's generator (CamOptions.Seed) and draws the same numbers. TorchCAM itself
is unchanged.

Per case, "map" is TorchCAM's output for the one image (normalized=True, at layer resolution) and "raw" the
same call with normalized=False.
"""
import base64, json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr                 # noqa: E402  (installs the stubs, rebuilds the fixtures)
import make_cam_references as mcr                 # noqa: E402
sys.modules["matplotlib"].colormaps = None        # v0.4.1's torchcam.utils imports it (plotting only; stubbed by make_pgc_references)
import torchcam                                   # noqa: E402
from torchcam.methods import CAM, SSCAM, ISCAM, SmoothGradCAMpp   # noqa: E402

torch.set_num_threads(1)
OUT = os.path.join(mcr.OUT, "torchcam.json")


def cases(name):
    if name != "vitish":
        yield dict(method="cam", target="class:0")
        if name != "binaryish":
            yield dict(method="cam", target="class:3")
    if name == "binaryish":
        return
    yield dict(method="sscam", target="class:0", samples=3, std=2.0, seed=1)
    yield dict(method="iscam", target="class:0")
    yield dict(method="smoothgradcam++", target="class:0", seed=2)
    yield dict(method="smoothgradcam++", target="class:3", samples=6, std=0.5, seed=4)
    if name == "resnetish":
        yield dict(method="sscam", target="class:3", seed=3)                # TorchCAM's defaults: 35 samples, std 2
        yield dict(method="iscam", target="prob:2", samples=4)
        yield dict(method="smoothgradcam++", target="prob:2", seed=5)


def extractor(net, layer, layout, case):
    reshape = mpr.tokens_to_maps if layout == "tokens" else (lambda t: t.permute(0, 3, 1, 2)) if layout == "nhwc" else None
    kwargs = dict(reshape_transform=reshape) if reshape else {}
    m = case["method"]
    if m == "cam":
        return CAM(net, layer, **kwargs)
    if m == "sscam":
        e = SSCAM(net, layer, num_samples=case.get("samples", 35), std=case.get("std", 2.0), **kwargs)
    elif m == "iscam":
        return ISCAM(net, layer, num_samples=case.get("samples", 10), **kwargs)
    else:
        e = SmoothGradCAMpp(net, layer, num_samples=case.get("samples", 4), std=case.get("std", 0.3), **kwargs)
    return e


def run(model, x, layout, layer_path, case, normalized):
    net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    layer = dict(model.named_modules())[layer_path]
    e = extractor(net, layer, layout, case)
    try:
        grad = case["method"] == "smoothgradcam++"
        with torch.set_grad_enabled(grad):
            out = net(inp.clone().requires_grad_(grad))
        kind, k = (case["target"].split(":") + ["0"])[:2]
        if "seed" in case:
            torch.manual_seed(case["seed"])
        if kind == "prob":
            cams = e(targets=lambda o, k=int(k): torch.softmax(o, -1)[k], scores=out, normalized=normalized)
        else:
            cams = e(class_idx=int(k), scores=out, normalized=normalized)
    finally:
        e.remove_hooks()
    return cams[0][0].detach().numpy().astype(np.float32)


def write_batch2():
    """tests/fixtures/cams/resnetish_batch2: resnetish exported with a fixed batch of 2 (the image and its mirror), for the
    padding of batched perturbations (TorchCamReferenceTests compares it with the batch-1 file)."""
    model, x = mpr.rebuild("resnetish")
    x2 = torch.cat([x, x.flip(3)])
    d = os.path.join(mcr.OUT, "resnetish_batch2")
    os.makedirs(d, exist_ok=True)
    torch.onnx.export(model, x2, os.path.join(d, "model.onnx"), opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
    np.save(os.path.join(d, "input.npy"), x2.numpy())


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def decode(text, shape):
    return np.frombuffer(base64.b64decode(text), dtype="<f4").reshape(shape)


def main():
    check_only = "--check-only" in sys.argv
    result = {"source": f"TorchCAM {torchcam.__version__} (frgfm/torch-cam; see tools/make_torchcam_references.py) on torch {torch.__version__}", "models": {}}
    previous = json.load(open(OUT)) if check_only else None
    worst, compared = 0.0, 0
    builds = {name: (lambda name=name: mpr.rebuild(name), path, layout) for name, (_, _, path, layout) in mcr.MODELS.items()}
    builds["binaryish"] = (mpr.rebuild_binaryish, "features", "nchw")
    for name, (build, layer_path, layout) in builds.items():
        model, x = build()
        entries = []
        for i, case in enumerate(cases(name)):
            try:
                cam = run(model, x, layout, layer_path, case, True)
                raw = run(model, x, layout, layer_path, case, False)
            except TypeError as e:      # an older TorchCAM without `targets` or `reshape_transform`
                if not check_only:
                    raise
                print("  not comparable:", case, e)
                continue
            entries.append(dict(case, shape=list(cam.shape), map=encode(cam), raw=encode(raw)))
            if check_only:
                old = previous["models"][name]["cases"][i]
                worst = max(worst, float(np.abs(decode(old["map"], old["shape"]) - cam).max()))
                compared += 1
        result["models"][name] = {"layer": layer_path, "cases": entries}
        print(name, len(entries), "cases")
    if check_only:
        print(compared, "cases compared; largest difference to the committed references:", worst)
        return
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
    write_batch2()
    print("->", OUT)


if __name__ == "__main__":
    main()
