#!/usr/bin/env python3
"""Reference heatmaps from pytorch-grad-cam 1.5.5 itself, on the committed CAM fixture models.

Development time only. The outputs go to tests/fixtures/cams/pgc.json; PgcReferenceTests
compares every case (<= 1e-4 max abs, KPCA-CAM: see below).

    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc
    /usr/bin/python3 tools/make_pgc_references.py /tmp/pgc

The models are rebuilt exactly as tools/make_cam_references.py built them (same seeds); the
script checks that the rebuilt input equals the committed input.npy and that re-exporting the
rebuilt model gives the committed model.onnx byte for byte, so pytorch-grad-cam runs on the
very weights CamAssert loads.

What is not pytorch-grad-cam's own code (none of it is installable here):
  - `tqdm` and `matplotlib` are stubbed (progress bars and plotting); `ttach`, which only aug_smooth
    uses, is replaced by a transcription of its HorizontalFlip, Multiply and Compose (ttach 0.0.3);
  - `sklearn.decomposition.KernelPCA` (KPCA-CAM) is replaced by a numpy transcription of what
    scikit-learn does for n_components=1: the kernel in the input's dtype (float32 here), gamma
    defaulting to 1/n_features and coef0 to 1, KernelCenterer, the top eigenvector, its sign
    by svd_flip (largest |entry| positive), times sqrt(eigenvalue). scikit-learn uses ARPACK in
    float32 above 200 samples; this uses a float64 eigensolver on the float32 kernel.
  - SVD projections (Eigen-CAM, Eigen-Grad-CAM, eigen_smooth): pytorch-grad-cam keeps LAPACK's
    arbitrary sign. Every call of its get_2d_projection is wrapped: the projection is oriented so
    its largest-|value| position is positive (CamAssert's rule, scikit-learn's svd_flip), and the
    case records whether LAPACK's sign had to be flipped ("flipped").
"""
import base64, io, json, os, sys, types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "/tmp/pgc")
torch.set_num_threads(1)


# ---------------------------------------------------------------- stubs for what is not installed
def stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


class _HorizontalFlip:
    """ttach.HorizontalFlip as ttach 0.0.3 defines it: params [False, True]; the image and the mask flipped on the last axis."""
    params = [False, True]

    def aug(self, x, apply):
        return x.flip(3) if apply else x

    deaug = aug


class _Multiply:
    """ttach.Multiply: the image times each factor; the mask unchanged."""
    def __init__(self, factors):
        self.params = factors

    def aug(self, x, factor):
        return x * factor if factor != 1 else x

    def deaug(self, mask, factor):
        return mask


class _Compose:
    """ttach.Compose: one augmentation per element of the product of the transforms' parameters, undone in reverse order."""
    def __init__(self, transforms):
        self.transforms = transforms

    def __iter__(self):
        import itertools
        for params in itertools.product(*[t.params for t in self.transforms]):
            yield _Chain(self.transforms, params)


class _Chain:
    def __init__(self, transforms, params):
        self.pairs = list(zip(transforms, params))

    def augment_image(self, x):
        for t, p in self.pairs:
            x = t.aug(x, p)
        return x

    def deaugment_mask(self, mask):
        for t, p in reversed(self.pairs):
            mask = t.deaug(mask, p)
        return mask


# ttach is not installed: aug_smooth's transforms are transcribed from ttach 0.0.3 above (the only part of ttach used).
stub("ttach", Compose=_Compose, HorizontalFlip=_HorizontalFlip, Multiply=_Multiply)
stub("tqdm", tqdm=lambda it, **_: it)
stub("matplotlib"); stub("matplotlib.pyplot"); stub("matplotlib.lines", Line2D=object)
sys.modules["matplotlib"].pyplot = sys.modules["matplotlib.pyplot"]


class KernelPCA:
    """numpy transcription of scikit-learn's KernelPCA(n_components=1).fit_transform (see module doc)."""
    def __init__(self, n_components=1, kernel="sigmoid", gamma=None, coef0=1, degree=3):
        assert n_components == 1
        self.kernel, self.gamma, self.coef0, self.degree = kernel, gamma, coef0, degree

    dtype = None   # None: the input's dtype, as scikit-learn; np.float64 for the float64 variant

    def fit_transform(self, x):
        out_dtype = x.dtype
        x = x.astype(self.dtype) if self.dtype is not None else x
        gamma = self.gamma if self.gamma is not None else 1.0 / x.shape[1]
        dot = x @ x.T
        if self.kernel == "sigmoid":
            k = np.tanh(dot * x.dtype.type(gamma) + x.dtype.type(self.coef0))
        elif self.kernel == "linear":
            k = dot
        elif self.kernel == "rbf":
            sq = (x * x).sum(axis=1)
            k = np.exp(-gamma * np.maximum(sq[:, None] + sq[None, :] - 2 * dot, 0))
        else:
            raise ValueError(self.kernel)
        n = k.shape[0]
        rows = k.sum(axis=0) / n
        k = k - rows - (k.sum(axis=1) / n)[:, None] + rows.sum() / n
        w, v = np.linalg.eigh(k.astype(np.float64))
        lam, vec = max(w[-1], 0.0), v[:, -1]
        vec = vec * np.sign(vec[np.abs(vec).argmax()])
        return (vec * np.sqrt(lam))[:, None].astype(out_dtype)


stub("sklearn"); stub("sklearn.decomposition", KernelPCA=KernelPCA, NMF=object)

import pytorch_grad_cam as pgc                                   # noqa: E402
from pytorch_grad_cam.utils import svd_on_activations            # noqa: E402
from pytorch_grad_cam.utils.model_targets import (               # noqa: E402
    ClassifierOutputTarget, ClassifierOutputSoftmaxTarget, FinerWeightedTarget, BinaryClassifierOutputTarget)
import make_cam_references as mcr                                # noqa: E402

FLIPS = []
_projection = svd_on_activations.get_2d_projection


def oriented_projection(batch):
    out = _projection(batch)
    for i, p in enumerate(out):
        flip = p.flat[np.abs(p).argmax()] < 0
        FLIPS.append(bool(flip))
        if flip:
            out[i] = -p
    return out


for module in list(sys.modules.values()):
    if getattr(module, "__name__", "").startswith("pytorch_grad_cam") and getattr(module, "get_2d_projection", None) is _projection:
        module.get_2d_projection = oriented_projection

OUT = os.path.join(mcr.OUT, "pgc.json")
KPCA_NOTE = ("scikit-learn computes a float32 input's kernel in float32: 'map' is that (CamAssert, in double, is within 3e-4 of it); "
             "'map_float64' is the same pytorch-grad-cam code with the kernel in float64 (CamAssert within 1e-4)")


# ---------------------------------------------------------------- models, rebuilt and checked
class NchwFront(torch.nn.Module):
    """pytorch-grad-cam reads the input size from the last two axes: feed the NHWC model NCHW."""
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.permute(0, 2, 3, 1))


def tokens_to_maps(t):
    t = t[:, 1:, :]
    side = int(round(t.shape[1] ** 0.5))
    return t.reshape(t.shape[0], side, side, t.shape[2]).permute(0, 3, 1, 2)


def rebuild(name):
    make, shape, layer_path, layout = mcr.MODELS[name]
    torch.manual_seed(0)
    model = make()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(4, *shape[1:]))
    model.eval()
    x = torch.rand(*shape)
    d = os.path.join(mcr.OUT, name)
    assert np.array_equal(np.load(os.path.join(d, "input.npy")), x.numpy()), f"{name}: rebuilt input differs from input.npy"
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=14 if layout == "tokens" else 13,
                      input_names=["input"], output_names=["logits"], do_constant_folding=True)
    with open(os.path.join(d, "model.onnx"), "rb") as f:
        if buf.getvalue() != f.read():
            # torch's constant folding on another CPU can differ in the last bits (resnetish's BatchNorm statistics,
            # 1.5e-8 apart on an AMD EPYC Zen 3): accept the same nodes with every initializer within 1e-6 relative.
            same_weights(name, buf.getvalue(), os.path.join(d, "model.onnx"))
    return model, x


def same_weights(name, exported, committed_path):
    """Asserts that an export has model.onnx's nodes and its initializers within 1e-6 relative; prints the largest difference."""
    import onnx
    from onnx import numpy_helper
    ours, committed = onnx.load_from_string(exported), onnx.load(committed_path)
    assert [n.op_type for n in ours.graph.node] == [n.op_type for n in committed.graph.node], f"{name}: re-export has other nodes than model.onnx"
    worst = 0.0
    for a, b in zip(ours.graph.initializer, committed.graph.initializer):
        u, v = numpy_helper.to_array(a), numpy_helper.to_array(b)
        assert a.name == b.name and u.shape == v.shape, f"{name}: initializer {a.name} is not model.onnx's {b.name}"
        diff = float(np.abs(u - v).max()) if u.size else 0.0
        assert diff <= 1e-6 * max(1.0, float(np.abs(v).max()) if v.size else 0.0), f"{name}: initializer {a.name} differs by {diff}"
        worst = max(worst, diff)
    print(f"{name}: re-export within {worst:.1e} of model.onnx (not byte-identical)")


def rebuild_densenet():
    """tests/fixtures/parity/densenet, as tools/make_parity.py built it. Its seed then was 454 (the
    committed fixture predates make_parity's crc32 seeds; 454 is the seed that reproduces its input)."""
    import make_parity as mp
    torch.manual_seed(454)
    model, _ = mp.densenet_mini()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(4, 3, 48, 48))
    model.eval()
    x = torch.rand(1, 3, 48, 48)
    d = os.path.join(mcr.OUT, "..", "parity", "densenet")
    assert np.array_equal(np.load(os.path.join(d, "input.npy")), x.numpy()), "densenet: rebuilt input differs from input.npy"
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
    with open(os.path.join(d, "model.onnx"), "rb") as f:
        assert buf.getvalue() == f.read(), "densenet: re-export differs from model.onnx"
    return model, x


class Binaryish(torch.nn.Module):
    """A binary classifier: one logit (pytorch-grad-cam's BinaryClassifierOutputTarget). CAM layer: features."""
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(8, 12, 3, stride=2, padding=1), torch.nn.ReLU())
        self.head = torch.nn.Linear(12, 1)

    def forward(self, x):
        return self.head(self.features(x).mean(dim=(2, 3)))


def rebuild_binaryish():
    """tests/fixtures/cams/binaryish as make_binaryish made it (without writing it again)."""
    torch.manual_seed(5)
    model = Binaryish().eval()
    x = torch.rand(1, 3, 20, 24)
    assert np.array_equal(np.load(os.path.join(mcr.OUT, "binaryish", "input.npy")), x.numpy()), "binaryish: rebuilt input differs"
    return model, x


def make_binaryish():
    """Written here (tests/fixtures/cams/binaryish): model.onnx and input.npy."""
    torch.manual_seed(5)
    model = Binaryish().eval()
    x = torch.rand(1, 3, 20, 24)
    d = os.path.join(mcr.OUT, "binaryish")
    os.makedirs(d, exist_ok=True)
    torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=13, input_names=["input"], output_names=["logits"], do_constant_folding=True)
    np.save(os.path.join(d, "input.npy"), x.numpy())
    return model, x


EXTRA = {
    # name: (build, fixture dir under tests/fixtures, layer, layout)
    "densenet": (rebuild_densenet, "parity/densenet", "features", "nchw"),
    "binaryish": (make_binaryish, "cams/binaryish", "features", "nchw"),
}


def extra_cases(name):
    if name == "densenet":   # torchvision DenseNet's in-place ReLU after `features` (CamOptions.RectifyActivation)
        for method in ["gradcam", "xgradcam", "gradcam++", "hirescam", "layercam", "eigencam", "scorecam"]:
            yield dict(method=method, target="class:1", rectify=True)
    else:
        for method in ["gradcam", "layercam", "eigengradcam", "ablationcam"]:
            for target in ["binary:1", "binary:0"]:
                yield dict(method=method, target=target)


# ---------------------------------------------------------------- cases
def target_of(text):
    kind, rest = text.split(":", 1)
    if kind == "class":
        return ClassifierOutputTarget(int(rest))
    if kind == "prob":
        return ClassifierOutputSoftmaxTarget(int(rest))
    if kind == "binary":
        return BinaryClassifierOutputTarget(int(rest))
    if kind == "finer":                      # finer:main:c1,c2,c3:alpha
        main, others, alpha = rest.split(":")
        return FinerWeightedTarget(int(main), [int(c) for c in others.split(",")], float(alpha))
    raise ValueError(text)


METHODS = {
    "gradcam": pgc.GradCAM, "hirescam": pgc.HiResCAM, "gradcam++": pgc.GradCAMPlusPlus, "xgradcam": pgc.XGradCAM,
    "layercam": pgc.LayerCAM, "scorecam": pgc.ScoreCAM, "eigencam": pgc.EigenCAM, "eigengradcam": pgc.EigenGradCAM,
    "gradcamelementwise": pgc.GradCAMElementWise, "randomcam": pgc.RandomCAM, "kpcacam": pgc.KPCA_CAM, "fem": pgc.FEM,
    "finercam": pgc.FinerCAM, "ablationcam": pgc.AblationCAM,
}
# pytorch-grad-cam's AblationLayer indexes axis 1 as channels: NCHW layers only (ViT needs AblationLayerVit).
ABLATABLE = {"resnetish", "mobilenetish", "binaryish"}
SMOOTHABLE = ["gradcam", "hirescam", "gradcam++", "xgradcam", "layercam", "scorecam", "gradcamelementwise", "randomcam"]
SECOND_LAYER = {"resnetish": "backbone.layer1", "mobilenetish": "features.5", "vitish": "encoder.layers.encoder_layer_0.ln_1"}


def cases(name):
    for method in METHODS:
        if method == "finercam":
            yield dict(method=method, target="finer:0:1,2,3:1")
            yield dict(method=method, target="finer:3:0,4:0.6")
            yield dict(method=method, target="class:2")     # pytorch-grad-cam's default: target_idx=2, its 3 nearest classes, alpha 1
            continue
        if method == "ablationcam" and name not in ABLATABLE:
            continue
        for target in ["class:0", "prob:2"]:
            yield dict(method=method, target=target, **({"seed": 7} if method == "randomcam" else {}))
    for method in SMOOTHABLE:
        yield dict(method=method, target="class:3", eigen_smooth=True, **({"seed": 3} if method == "randomcam" else {}))
    for method, extra in [("gradcam", {}), ("eigencam", {}), ("layercam", {"eigen_smooth": True}), ("randomcam", {"seed": 11}), ("scorecam", {})]:
        yield dict(method=method, target="class:0", aug_smooth=True, **extra)
    if name in SECOND_LAYER:
        for method in ["gradcam", "eigencam", "layercam"]:
            for fusion in ["mean", "max"]:
                yield dict(method=method, target="class:3", layers=[mcr.MODELS[name][2], SECOND_LAYER[name]], fusion=fusion)


def run(model, x, layout, case):
    modules = dict(model.named_modules())
    paths = case.get("layers", [case["layer"]])
    reshape = tokens_to_maps if layout == "tokens" else (lambda t: t.permute(0, 3, 1, 2)) if layout == "nhwc" else None
    net, inp = (NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    layers = [modules[p] for p in paths]
    cam = METHODS[case["method"]](net, layers, reshape_transform=reshape)
    target = target_of(case["target"])
    if "seed" in case:
        np.random.seed(case["seed"])
    del FLIPS[:]
    if case.get("fusion") == "max":      # TorchCAM's fusion over pytorch-grad-cam's per-layer maps
        net.zero_grad()
        out = cam.activations_and_grads(inp)
        target(out[0]).backward(retain_graph=True)
        per_layer = np.concatenate(cam.compute_cam_per_layer(inp, [target], False), axis=1)
        grayscale = np.maximum(per_layer, 0).max(axis=1)
        from pytorch_grad_cam.utils.image import scale_cam_image
        grayscale = scale_cam_image(grayscale)
    elif case["method"] == "finercam" and case["target"].startswith("class:"):
        grayscale = cam(inp, targets=None, target_idx=int(case["target"].split(":")[1]))
    elif case["method"] == "finercam":
        grayscale = cam(inp, targets=[target])
    else:
        grayscale = cam(inp, targets=[target], eigen_smooth=case.get("eigen_smooth", False), aug_smooth=case.get("aug_smooth", False))
    flipped = any(FLIPS)
    cam.base_cam.activations_and_grads.release() if case["method"] == "finercam" else cam.activations_and_grads.release()
    return grayscale[0].astype(np.float32), flipped


def metric_cases(net, inp, cam, target_texts):
    """pytorch-grad-cam's metrics on its own Grad-CAM map. ROAD's noise is set to 0 (its NoisyLinearImputer's
    default is 0.01 of unseeded torch.randn, which nothing outside torch reproduces): the imputation itself is checked."""
    from pytorch_grad_cam.metrics import road
    from pytorch_grad_cam.metrics.cam_mult_image import CamMultImageConfidenceChange, DropInConfidence, IncreaseInConfidence
    road.NoisyLinearImputer.__init__.__defaults__ = (0.0, road.neighbors_weights)
    cams = cam[None]
    for text in target_texts:
        t = [target_of(text)]
        yield dict(metric="confidence_change", target=text, value=float(CamMultImageConfidenceChange()(inp, cams, t, net)[0]))
        yield dict(metric="drop_in_confidence", target=text, value=float(DropInConfidence()(inp, cams, t, net)[0]))
        yield dict(metric="increase_in_confidence", target=text, value=float(IncreaseInConfidence()(inp, cams, t, net)[0]))
        for p in [20, 50, 80]:
            yield dict(metric="road_morf", target=text, percentile=p, value=float(road.ROADMostRelevantFirst(p)(inp, cams, t, net)[0]))
            yield dict(metric="road_lerf", target=text, percentile=p, value=float(road.ROADLeastRelevantFirst(p)(inp, cams, t, net)[0]))
        yield dict(metric="road_combined", target=text, value=float(road.ROADCombined()(inp, cams, t, net)[0]))


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def main():
    result = {"source": "pytorch-grad-cam 1.5.5 (jacobgil/pytorch-grad-cam @ 084273b), run by tools/make_pgc_references.py",
              "kpca_note": KPCA_NOTE, "models": {}}
    total = 0
    models = [(name, lambda name=name: rebuild(name), f"cams/{name}", path, layout, cases(name)) for name, (_, _, path, layout) in mcr.MODELS.items()]
    models += [(name, build, d, path, layout, extra_cases(name)) for name, (build, d, path, layout) in EXTRA.items()]
    for name, build, fixture, layer_path, layout, todo in models:
        model, x = build()
        entries = []
        for case in todo:
            case["name"], case["layer"] = name, layer_path
            grayscale, flipped = run(model, x, layout, case)
            extra = {}
            if case["method"] == "kpcacam":       # the same pytorch-grad-cam code with the kernel in float64
                KernelPCA.dtype = np.float64
                extra["map_float64"] = encode(run(model, x, layout, case)[0])
                KernelPCA.dtype = None
            del case["name"], case["layer"]
            entries.append(dict(case, flipped=flipped, shape=list(grayscale.shape), map=encode(grayscale), **extra))
        result["models"][name] = {"dir": fixture, "layer": layer_path, "cases": entries}
        if name != "densenet":
            first = "binary:1" if name == "binaryish" else "class:0"
            at = next(i for i, e in enumerate(entries) if e["method"] == "gradcam" and e["target"] == first and len(e) == 5)
            cam = np.frombuffer(base64.b64decode(entries[at]["map"]), dtype="<f4").reshape(entries[at]["shape"]).copy()
            net, inp = (NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
            texts = [first] if name == "binaryish" else [first, "prob:0"]
            result["models"][name]["metrics"] = {"map_case": at, "values": list(metric_cases(net, inp, torch.from_numpy(cam).numpy(), texts))}
        total += len(entries)
        print(name, len(entries), "cases,", sum(e["flipped"] for e in entries), "with LAPACK's sign flipped")
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
    print(total, "cases ->", OUT)


if __name__ == "__main__":
    main()
