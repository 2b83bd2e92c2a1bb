#!/usr/bin/env python3
"""Reference concept pictures from pytorch-grad-cam 1.5.5's show_factorization_on_image itself.

Development time only. For every case of tests/fixtures/cams/dff.json (pytorch-grad-cam's own concept maps), draws
pytorch-grad-cam's picture of image 0's concepts over a fixed RGB image and writes both as PNG into
tests/fixtures/cams/dff-pictures/: `<model>.<case>.image.png` (the background, seeded) and `<model>.<case>.png`
(pytorch-grad-cam's result, image_weight 0.5, no legend). ConceptOverlayTests renders the same maps over the same
image with CamAssert and compares the pixels.

    /usr/bin/python3 tools/make_dff_picture_references.py /tmp/pgc        # a checkout of jacobgil/pytorch-grad-cam @ 084273b
"""
import base64, json, os, sys, types

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, sys.argv[1])
tta = sys.modules["ttach"] = types.ModuleType("ttach")   # test-time augmentation only: not installed, not used here
tta.__getattr__ = lambda name: type(name, (), {"__init__": lambda self, *a, **k: None})
from pytorch_grad_cam.utils.image import show_factorization_on_image   # noqa: E402

OUT = os.path.join(ROOT, "tests", "fixtures", "cams", "dff-pictures")
os.makedirs(OUT, exist_ok=True)
models = json.load(open(os.path.join(ROOT, "tests", "fixtures", "cams", "dff.json")))["models"]
rng = np.random.default_rng(0)
written = 0
for name, entry in models.items():
    for i, case in enumerate(entry["cases"]):
        maps = np.frombuffer(base64.b64decode(case["heatmaps"]), dtype="<f4").reshape(case["heatmaps_shape"])[0].copy()
        h, w = maps.shape[1:]
        image = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        picture = show_factorization_on_image(image.astype(np.float32) / 255, maps, image_weight=0.5)
        cv2.imwrite(os.path.join(OUT, f"{name}.{i}.image.png"), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        cv2.imwrite(os.path.join(OUT, f"{name}.{i}.png"), cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
        written += 1
print(f"wrote {written} pictures to {OUT}")
