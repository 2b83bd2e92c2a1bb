#!/usr/bin/env python3
"""What every committed golden file holds, read by PIL: size, 16-bit samples and text chunks, so
the tests can check CamAssert reads each one back bit for bit. Development time only.

    /usr/bin/python3 tools/make_golden_readback.py
"""
import glob, json, os
import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = {}
for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.verified.png"), recursive=True)):
    rel = os.path.relpath(path, ROOT)
    if "/bin/" in rel or "/obj/" in rel:
        continue
    im = Image.open(path)
    a = np.asarray(im).astype(np.uint16)
    out[rel] = {"width": im.width, "height": im.height, "mode": im.mode,
                "samples": [int(v) for v in a.reshape(-1)], "text": dict(im.text)}
with open(os.path.join(ROOT, "tests", "fixtures", "images", "golden_readback.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("read", len(out), "golden files")
