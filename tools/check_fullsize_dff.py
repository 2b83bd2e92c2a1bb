#!/usr/bin/env python3
"""Full-size torchvision models: `camassert dff` against pytorch-grad-cam 1.5.5's DeepFeatureFactorization itself.

Development time only; the table it prints goes into docs/METHODS.md. The models, input, layers and ONNX files are
tools/check_fullsize_methods.py's (random weights, seed 0; input seed 1); the reference is
tools/make_dff_references.py's run (pytorch-grad-cam unchanged, the real scikit-learn NMF, its iteration count
recorded). Compared: the concept maps (components x H x W at input size, the CLI's --npy) max abs, and the NMF
iteration count (the CLI prints it).

    K=5 /usr/bin/python3 tools/check_fullsize_dff.py /tmp/pgc [model ...]
"""
import base64, os, re, subprocess, sys, time

import numpy as np

import check_fullsize_methods as full          # noqa: E402  (takes sys.argv[2:] as the model names)
import make_dff_references as dff              # noqa: E402  (real scikit-learn NMF, iteration count)

K = int(os.environ.get("K", "5"))
# DenseNet's in-place ReLU after `features` rewrites the tensor pytorch-grad-cam's hook kept: its reference factorises
# ReLU(features), which is the ONNX tensor /Relu_output_0; both CamAssert layers are run.
ALSO = {"densenet121": ["/Relu_output_0"]}


def decode(entry, key):
    return np.frombuffer(base64.b64decode(entry[key]), dtype="<f4").reshape(entry[key + "_shape"])


def main():
    os.makedirs(full.WORK, exist_ok=True)
    print("| model | layer | components | maps max abs | NMF iterations (scikit-learn, CamAssert) | reference s | CamAssert CLI s |")
    for name in full.names or full.MODELS:
        size, layer, layout, _ = full.MODELS[name]
        model, x, onnx_path, x_path, _ = full.load(name)
        t = time.time()
        entry = dff.run(model, x, layout, layer, None, K)
        t_ref = time.time() - t
        for cli_layer in [layer] + ALSO.get(name, []):
            out = os.path.join(full.WORK, f"{name}.dff{K}.npy")
            t = time.time()
            r = subprocess.run(["dotnet", full.CLI, "dff", onnx_path, x_path, "--layer", cli_layer, "--components", str(K), "--npy", out],
                               capture_output=True, text=True)
            t_ours = time.time() - t
            if r.returncode != 0:
                print(f"| {name} | {cli_layer} | {K} | error: {r.stderr.strip()[:160]} |", flush=True)
                continue
            ours = int(re.search(r"NMF iterations (\d+)", r.stdout).group(1))
            expected, actual = decode(entry, "heatmaps"), np.load(out)
            diff = f"{np.abs(actual - expected).max():.1e}" if actual.shape == expected.shape else f"shapes {actual.shape} vs {expected.shape}"
            print(f"| {name} | `{cli_layer}` | {K} | {diff} | {entry['n_iter']}, {ours} | {t_ref:.1f} | {t_ours:.1f} |", flush=True)


if __name__ == "__main__":
    main()
