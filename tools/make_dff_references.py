#!/usr/bin/env python3
"""Reference Deep Feature Factorizations from pytorch-grad-cam 1.5.5 itself, with scikit-learn's own NMF.

Development time only. Writes tests/fixtures/cams/dff.json (the ONNX fixtures) and tests/fixtures/torchsharp/dff.json
(the TorchSharp ResNetish); DeepFeatureFactorizationReferenceTests and the TorchSharp FeatureFactorizationTests
compare every case.

    git clone <bare dir from `fetch github:jacobgil/pytorch-grad-cam`> /tmp/pgc          # @ 084273b
    apt-get install -y python3-sklearn python3-opencv                                    # Debian: scikit-learn 1.2.1
    /usr/bin/python3 tools/make_dff_references.py /tmp/pgc

pytorch-grad-cam's DeepFeatureFactorization runs unchanged; tools/make_pgc_references.py (imported for its model
rebuilds, checked against the committed model.onnx files: byte for byte, or initializers within 1e-6) replaces `sklearn` by a stub, so the real
`sklearn.decomposition.NMF` is put back into pytorch-grad-cam's module here, wrapped only to record how many
iterations it ran. `computation_on_concepts` is the model's final Linear layer (what pytorch-grad-cam's DFF tutorial
passes: `model.fc`); vitish has no global-average-pool head, so its cases have no scores.

Per case: "concepts" (channels x components, W + offset, float32), "heatmaps" (images x components x H x W, the
processed explanations: min-max per concept, cv2 bilinear resize to the input), "factors" (images x components x h x w:
NMF's H at layer resolution), "scores" (components x classes, the classifier on each concept) when there is a head,
and "n_iter" (scikit-learn's coordinate-descent iterations).
"""
import base64, json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr                                    # noqa: E402  (stubs, model rebuilds)
import make_cam_references as mcr                                    # noqa: E402

for name in [n for n in sys.modules if n == "sklearn" or n.startswith("sklearn.")]:
    del sys.modules[name]
import sklearn                                                       # noqa: E402
from sklearn.decomposition import NMF                                # noqa: E402
from pytorch_grad_cam.feature_factorization import deep_feature_factorization as pgc_dff   # noqa: E402

torch.set_num_threads(1)
ITERATIONS = []


class RecordedNMF(NMF):
    """scikit-learn's NMF, unchanged; records n_iter_ after each fit."""
    def fit_transform(self, X, y=None, W=None, H=None):
        out = super().fit_transform(X, y, W, H)
        ITERATIONS.append(int(self.n_iter_))
        return out


pgc_dff.NMF = RecordedNMF




def torchsharp_resnetish():
    """tests/fixtures/torchsharp: ResNetish with the committed state dict, on the committed input."""
    d = os.path.join(mcr.OUT, "..", "torchsharp")
    model = mcr.ResNetish()
    model.load_state_dict(torch.load(os.path.join(d, "resnetish.pt")))
    return model.eval(), torch.from_numpy(np.load(os.path.join(d, "input.npy")))


def batch2():
    model, x = mpr.rebuild("resnetish")
    return model, torch.cat([x, x.flip(3)])


# name: (build, layout, layer, classifier (module path) or None, fixture file, component counts)
MODELS = {
    "resnetish": (lambda: mpr.rebuild("resnetish"), "nchw", "backbone.layer2", "head", "cams", [2, 5, 16]),
    "mobilenetish": (lambda: mpr.rebuild("mobilenetish"), "nchw", "features", "classifier", "cams", [3, 5]),
    "nhwcish": (lambda: mpr.rebuild("nhwcish"), "nhwc", "features", "head", "cams", [4]),
    "vitish": (lambda: mpr.rebuild("vitish"), "tokens", "encoder.layers.encoder_layer_1.ln_1", None, "cams", [3]),
    "binaryish": (mpr.rebuild_binaryish, "nchw", "features", "head", "cams", [3]),
    "resnetish_batch2": (batch2, "nchw", "backbone.layer2", "head", "cams", [4]),
    "torchsharp_resnetish": (torchsharp_resnetish, "nchw", "backbone.layer2", "head", "torchsharp", [2, 5]),
}


def encode(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def run(model, x, layout, layer_path, head, k):
    modules = dict(model.named_modules())
    reshape = mpr.tokens_to_maps if layout == "tokens" else (lambda t: t.permute(0, 3, 1, 2)) if layout == "nhwc" else None
    net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2)) if layout == "nhwc" else (model, x)
    dff = pgc_dff.DeepFeatureFactorization(net, modules[layer_path], reshape_transform=reshape,
                                           computation_on_concepts=modules[head] if head else None)
    del ITERATIONS[:]
    out = dff(inp, n_components=k)
    activations = dff.activations_and_grads.activations[0].cpu().numpy()
    dff.activations_and_grads.release()
    _, factors = pgc_dff.dff(activations.copy(), n_components=k)      # the same NMF again, for H at layer resolution
    concepts, heatmaps = out[0], np.stack(out[1])
    assert ITERATIONS[0] == ITERATIONS[1]
    entry = dict(components=k, concepts_shape=list(concepts.shape), concepts=encode(concepts),
                 heatmaps_shape=list(heatmaps.shape), heatmaps=encode(heatmaps),
                 factors_shape=list(factors.shape), factors=encode(factors), n_iter=ITERATIONS[0])
    if head:
        entry.update(scores_shape=list(out[2].shape), scores=encode(out[2]))
    return entry


def main():
    source = (f"pytorch-grad-cam 1.5.5 (jacobgil/pytorch-grad-cam @ 084273b) DeepFeatureFactorization with scikit-learn "
              f"{sklearn.__version__}'s NMF (numpy {np.__version__}), run by tools/make_dff_references.py on torch {torch.__version__}")
    results = {"cams": {"source": source, "models": {}}, "torchsharp": {"source": source, "models": {}}}
    for name, (build, layout, layer, head, out, counts) in MODELS.items():
        model, x = build()
        cases = [run(model, x, layout, layer, head, k) for k in counts]
        results[out]["models"][name] = {"layer": layer, "classifier": head, "cases": cases}
        print(name, [(c["components"], c["n_iter"]) for c in cases])
    for out, result in results.items():
        path = os.path.join(mcr.OUT, "..", out, "dff.json")
        with open(path, "w") as f:
            json.dump(result, f, indent=0)
        print("->", os.path.normpath(path), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
