#!/usr/bin/env python3
"""Small PNG files in every colour type and bit depth, written by PIL (an independent encoder),
with their pixel values as JSON, for the decoder tests. Development time only.

    /usr/bin/python3 tools/make_png_fixtures.py
"""
import json, os
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images", "png")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
w, h = 7, 5
cases = {}


def save(name, img, values, channels, depth, **kw):
    img.save(os.path.join(OUT, name), **kw)
    cases[name] = {"width": w, "height": h, "channels": channels, "depth": depth, "samples": [int(v) for v in np.asarray(values).reshape(-1)]}


rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
save("rgb8.png", Image.fromarray(rgb, "RGB"), rgb, 3, 8)
rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
save("rgba8.png", Image.fromarray(rgba, "RGBA"), rgba, 4, 8)
gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
save("gray8.png", Image.fromarray(gray, "L"), gray, 1, 8)
la = rng.integers(0, 256, (h, w, 2), dtype=np.uint8)
save("graya8.png", Image.fromarray(la, "LA"), la, 2, 8)
g16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
save("gray16.png", Image.fromarray(g16.astype(np.int32), "I").convert("I;16"), g16, 1, 16)
bits = rng.integers(0, 2, (h, w), dtype=np.uint8)
save("gray1.png", Image.fromarray(bits * 255, "L").convert("1"), bits * 255, 1, 8)
pal = Image.fromarray(rgb, "RGB").quantize(colors=6)
save("palette.png", pal, np.asarray(pal.convert("RGB")), 3, 8)
pal_t = pal.copy()
pal_t.info["transparency"] = 0
values = np.concatenate([np.asarray(pal.convert("RGB")), np.where(np.asarray(pal) == 0, 0, 255)[..., None]], axis=2)
save("palette_trns.png", pal_t, values, 4, 8, transparency=0)
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(cases, f)
print(sorted(os.listdir(OUT)))
