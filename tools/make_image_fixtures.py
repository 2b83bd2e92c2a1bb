#!/usr/bin/env python3
"""Small image files in every format CamAssert reads, with PIL's decoded pixels as JSON, and
the torchvision 0.14 preprocessing references for a photo. Development time only.

    /usr/bin/python3 tools/make_image_fixtures.py

Writes tests/fixtures/images/formats/:
  *.png *.jpg *.bmp *.gif *.webp *.tif *.ppm *.pgm *.tga   one small image per format and kind
  expected.json      per file: width, height, channels, depth, samples (as PIL decodes them),
                     lossy: true for JPEG and lossy WebP (other decoders may differ by a few levels)
and tests/fixtures/images/photo/:
  photo.png, photo.jpg   a 320x240 crop of SciPy's public-domain raccoon photo (scipy.misc.face)
  *.npy                  torchvision tensors: see PIPELINES below
"""
import io, json, os
import numpy as np
import scipy.misc
import torch
from PIL import Image
from torchvision import transforms as T

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images")
FORMATS = os.path.join(ROOT, "formats")
PHOTO = os.path.join(ROOT, "photo")
os.makedirs(FORMATS, exist_ok=True)
os.makedirs(PHOTO, exist_ok=True)

face = scipy.misc.face()  # 768x1024 RGB, public domain
small = np.asarray(Image.fromarray(face[200:680, 300:940]).resize((24, 18), Image.BICUBIC))
gray = np.asarray(Image.fromarray(small).convert("L"))
cases = {}


def record(name, img, lossy=False):
    """PIL decodes the file written as name; its pixels become the expected values."""
    back = Image.open(os.path.join(FORMATS, name))
    mode = back.mode
    depth = 16 if mode in ("I;16", "I;16B", "I") else 8
    if mode in ("P", "1"):
        back = back.convert("RGBA" if "transparency" in back.info else ("L" if mode == "1" else "RGB"))
    a = np.asarray(back)
    if depth == 16:
        a = a.astype(np.uint16)
    channels = 1 if a.ndim == 2 else a.shape[2]
    cases[name] = {"width": back.width, "height": back.height, "channels": channels, "depth": depth,
                   "lossy": lossy, "samples": [int(v) for v in a.reshape(-1)]}


def save(name, img, lossy=False, **kw):
    img.save(os.path.join(FORMATS, name), **kw)
    record(name, img, lossy)


rgb = Image.fromarray(small)
save("rgb.png", rgb)
save("baseline.jpg", rgb, lossy=True, quality=92)
save("progressive.jpg", rgb, lossy=True, quality=92, progressive=True)
save("gray.jpg", Image.fromarray(gray), lossy=True, quality=92)
save("rgb.bmp", rgb)
save("rgb.tga", rgb)
save("rgb.ppm", rgb)
save("gray.pgm", Image.fromarray(gray))
save("lossless.webp", rgb, lossless=True)
save("lossy.webp", rgb, lossy=True, quality=90)
save("rgb.tif", rgb)
save("lzw.tif", rgb, compression="tiff_lzw")
# GIF: two frames, the first must be the one read.
pal = rgb.quantize(colors=32)
second = Image.fromarray(255 - small).quantize(colors=32)
pal.save(os.path.join(FORMATS, "animated.gif"), save_all=True, append_images=[second], duration=100, loop=0)
record("animated.gif", pal)
# EXIF orientation 6 (rotate 90 degrees clockwise to display): PIL's exif_transpose gives the expected pixels.
exif = Image.Exif()
exif[0x0112] = 6
rgb.save(os.path.join(FORMATS, "orientation6.jpg"), quality=92, exif=exif.tobytes())
from PIL import ImageOps
upright = ImageOps.exif_transpose(Image.open(os.path.join(FORMATS, "orientation6.jpg")))
a = np.asarray(upright)
cases["orientation6.jpg"] = {"width": upright.width, "height": upright.height, "channels": 3, "depth": 8, "lossy": True,
                             "samples": [int(v) for v in a.reshape(-1)]}
# 16-bit gray PNG (PIL writes I;16 as 16-bit gray).
g16 = (gray.astype(np.uint32) * 257 + np.arange(gray.size).reshape(gray.shape) % 200).astype(np.uint16)
Image.fromarray(g16.astype(np.int32), "I").convert("I;16").save(os.path.join(FORMATS, "gray16.png"))
cases["gray16.png"] = {"width": 24, "height": 18, "channels": 1, "depth": 16, "lossy": False,
                       "samples": [int(v) for v in g16.reshape(-1)]}
with open(os.path.join(FORMATS, "expected.json"), "w") as f:
    json.dump(cases, f, separators=(",", ":"))

# ---- preprocessing references: torchvision 0.14 on PIL images --------------------------------
photo = Image.fromarray(np.asarray(Image.fromarray(face).resize((320, 240), Image.LANCZOS)))
photo.save(os.path.join(PHOTO, "photo.png"))
photo.save(os.path.join(PHOTO, "photo.jpg"), quality=90)
norm = T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
PIPELINES = {
    # name: (transform, stored as uint8 image = the PIL resize output, before ToTensor)
    "resize256_crop224": T.Compose([T.Resize(256), T.CenterCrop(224)]),
    "resize96_crop80": T.Compose([T.Resize(96), T.CenterCrop(80)]),
    "resize_60x90": T.Resize((60, 90)),
    "resize_up_260x345": T.Resize((260, 345)),
}
for source in ("png", "jpg"):
    img = Image.open(os.path.join(PHOTO, f"photo.{source}")).convert("RGB")
    # PIL's decode of the file, so JPEG decoder differences can be measured apart from resampling.
    if source == "jpg":
        np.save(os.path.join(PHOTO, "decoded_jpg.npy"), np.asarray(img))
    for name, tf in PIPELINES.items():
        if source == "jpg" and name.startswith("resize_up"):
            continue
        out = np.asarray(tf(img))  # uint8 HxWx3: ToTensor of it is exactly out / 255
        np.save(os.path.join(PHOTO, f"{name}_{source}.npy"), out)
    # The full tensor of one pipeline, float32 CHW, to check ToTensor + Normalize end to end.
    full = T.Compose([T.Resize(96), T.CenterCrop(80), T.ToTensor(), norm])(img)
    np.save(os.path.join(PHOTO, f"resize96_crop80_normalized_{source}.npy"), full.numpy().astype(np.float32))
print("wrote", len(cases), "format files and", len(PIPELINES) * 2 + 2, "preprocessing references")

# ---- a JPEG for the example suite: the circle photo as a team would have it ------------------
SHAPES = os.path.join(ROOT, "..", "shapes", "images")
Image.open(os.path.join(SHAPES, "circle_1.png")).convert("RGB").save(os.path.join(SHAPES, "circle_1.jpg"), quality=90)
