#!/usr/bin/env python3
"""Full-size torchvision models through CamAssert's engine vs PyTorch's logits.

Development time only. Exports each model (random weights, opset 13) to /tmp/camassert-fullsize,
runs `camassert predict --npy` on the same input, and prints the max |difference| relative to
the largest |logit|. The result table goes into docs/ENGINE.md.

    /usr/bin/python3 tools/check_fullsize.py [names...]
"""
import os, subprocess, sys, time
import numpy as np
import torch
import torchvision

torch.set_num_threads(2)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/camassert-fullsize"
MODELS = {"resnet50": 224, "inception_v3": 299, "densenet121": 224, "mobilenet_v2": 224,
          "efficientnet_b0": 224, "vgg11": 224, "convnext_tiny": 224, "vit_b_16": 224}


def main(names):
    os.makedirs(WORK, exist_ok=True)
    cli = os.path.join(ROOT, "src", "CamAssert.Cli", "bin", "Release", "net10.0", "CamAssert.Cli.dll")
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CamAssert.Cli"), "-c", "Release", "-v", "q", "--nologo"], check=True, capture_output=True)
    rows = []
    for name in names or MODELS:
        size = MODELS[name]
        torch.manual_seed(0)
        kwargs = {"aux_logits": False, "init_weights": True} if name == "inception_v3" else {}
        model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
        if name.startswith("vit"):
            torch.nn.init.normal_(model.heads.head.weight, std=0.02)   # torchvision starts the head at zero
        x = torch.rand(1, 3, size, size)
        path = os.path.join(WORK, name + ".onnx")
        opset = 14 if name == "vit_b_16" else 13
        if True:
            torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"])
        np.save(os.path.join(WORK, name + ".input.npy"), x.numpy())
        with torch.no_grad():
            expected = model(x).numpy()
        out = os.path.join(WORK, name + ".ours.npy")
        start = time.time()
        r = subprocess.run(["dotnet", cli, "predict", path, os.path.join(WORK, name + ".input.npy"), "--top", "1", "--npy", out],
                           capture_output=True, text=True)
        seconds = time.time() - start
        if r.returncode != 0:
            rows.append((name, opset, "FAILED: " + r.stderr.strip()[:300], "", ""))
            continue
        ours = np.load(out)
        rel = float(np.abs(ours - expected).max() / np.abs(expected).max())
        same_top = int(ours.argmax()) == int(expected.argmax())
        rows.append((name, opset, f"{rel:.2e}", "yes" if same_top else "NO", f"{seconds:.1f}"))
        print(rows[-1], flush=True)
    print("\n| model | opset | max abs diff / max abs logit | same top class | CLI time (s, incl. load) |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
