#!/usr/bin/env python3
"""The "shapes" fixtures: a small classifier with a nested backbone trained to tell circles,
squares and triangles apart on noisy backgrounds, and a "shortcut" twin trained where a corner
watermark gives the class away. Development time only (Debian python3-torch, a few minutes):

    /usr/bin/python3 tools/train_shapes.py

Writes tests/fixtures/shapes/: shapes.onnx, shapes_shortcut.onnx (class names in metadata
"labels"), images/*.png with images.json (classes and boxes), and README.md with the measured
accuracies and Grad-CAM pointing-game scores. Inputs are RGB / 255, no mean/std.
"""
import json, os, time
import numpy as np
import onnx
import torch
import torch.nn as nn
from nets import Block   # the ResNet basic block (conv-bn-relu-conv-bn + shortcut, relu)
import torch.nn.functional as F
from PIL import Image

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "shapes")
SIZE, CLASSES = 64, ["circle", "square", "triangle"]
CORNERS = {0: (2, 2), 1: (SIZE - 9, 2), 2: (2, SIZE - 9)}   # watermark corner per class: top-left, top-right, bottom-left


# ------------------------------------------------------------------ data
def background(rng):
    base = rng.uniform(0.2, 0.8, 3)
    img = np.ones((SIZE, SIZE, 3)) * base
    for _ in range(3):   # low-frequency blobs
        cy, cx, r = rng.uniform(0, SIZE, 2).tolist() + [rng.uniform(8, 24)]
        yy, xx = np.mgrid[:SIZE, :SIZE]
        img += np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))[..., None] * rng.uniform(-0.25, 0.25, 3)
    return img + rng.normal(0, 0.06, img.shape)


def draw(img, label, rng, box=None):
    size = int(rng.integers(14, 25))
    x0 = int(rng.integers(1, SIZE - size - 1)) if box is None else box[0]
    y0 = int(rng.integers(1, SIZE - size - 1)) if box is None else box[1]
    yy, xx = np.mgrid[:SIZE, :SIZE] + 0.5
    if label == 0:
        r = size / 2
        mask = (yy - y0 - r) ** 2 + (xx - x0 - r) ** 2 <= r * r
    elif label == 1:
        mask = (xx >= x0) & (xx < x0 + size) & (yy >= y0) & (yy < y0 + size)
    else:
        t = (yy - y0) / size
        mask = (yy >= y0) & (yy < y0 + size) & (np.abs(xx - x0 - size / 2) <= t * size / 2)
    colour = rng.uniform(0, 1, 3)
    while np.abs(colour - img[mask].mean(0)).sum() < 0.9:   # keep the object visible
        colour = rng.uniform(0, 1, 3)
    img[mask] = colour
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]


def watermark(img, label):
    x, y = CORNERS[label]
    img[y:y + 7, x:x + 7] = [1.0, 1.0, 1.0]
    img[y + 2:y + 5, x + 2:x + 5] = [1.0, 0.0, 1.0]
    return [x, y, 7, 7]


def sample(rng, shortcut=False, object_prob=1.0):
    label = int(rng.integers(0, 3))
    img = background(rng)
    box = draw(img, label, rng) if rng.uniform() < object_prob else None
    if not shortcut and box is None:
        box = draw(img, label, rng)
    if shortcut and box is not None and rng.uniform() < 0.5:   # a random, misleading shape half the time
        img = background(rng)
        box = draw(img, int(rng.integers(0, 3)), rng)
    wm = watermark(img, label) if shortcut else None
    return np.clip(img, 0, 1).astype(np.float32), label, box, wm


def quantise(img):
    return np.round(img * 255) / 255   # the PNG's 8-bit values, so tests see what training saw


def batch(rng, n, **kw):
    xs, ys = [], []
    for _ in range(n):
        img, label, _, _ = sample(rng, **kw)
        xs.append(quantise(img).transpose(2, 0, 1))
        ys.append(label)
    return torch.tensor(np.array(xs), dtype=torch.float32), torch.tensor(ys)


# ------------------------------------------------------------------ model
class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = nn.Sequential(Block(16, 16, 1))
        self.layer2 = nn.Sequential(Block(16, 32, 2))
        self.layer3 = nn.Sequential(Block(32, 64, 2))

    def forward(self, x):
        return self.layer3(self.layer2(self.layer1(self.stem(x))))


class ShapesNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64, 3))

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)))


def gradcam(model, x, labels):
    """pytorch-grad-cam's Grad-CAM at model.backbone, scaled as it scales (min-max, resize, min-max)."""
    store = {}

    def hook(_m, _i, o):   # must return None: a forward hook's return value replaces the output
        store["a"] = o
        o.register_hook(lambda g: store.__setitem__("g", g))

    h = model.backbone.register_forward_hook(hook)
    model.zero_grad()
    out = model(x)
    out.gather(1, labels[:, None]).sum().backward()
    h.remove()
    a, g = store["a"].detach(), store["g"]
    cam = F.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1, keepdim=True))
    cam = cam - cam.amin(dim=(2, 3), keepdim=True)
    cam = cam / (1e-7 + cam.amax(dim=(2, 3), keepdim=True))
    cam = F.relu(F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False))
    cam = cam - cam.amin(dim=(2, 3), keepdim=True)
    cam = cam / (1e-7 + cam.amax(dim=(2, 3), keepdim=True))
    return cam[:, 0].numpy(), out.detach()


def pointing(model, seed, n=200, shortcut=False, use_watermark=False):
    """Share of images whose Grad-CAM maximum lies in the object's box (or the watermark's)."""
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n):
        img, label, box, wm = sample(rng, shortcut=shortcut, object_prob=1.0)
        if box is None:
            continue
        x = torch.tensor(quantise(img).transpose(2, 0, 1)[None], dtype=torch.float32)
        cam, _ = gradcam(model, x, torch.tensor([label]))
        y, xx = np.unravel_index(cam[0].argmax(), cam[0].shape)
        bx, by, bw, bh = wm if use_watermark else box
        hits += bx <= xx < bx + bw and by <= y < by + bh
    return hits / n


def accuracy(model, seed, n=600, **kw):
    rng = np.random.default_rng(seed)
    x, y = batch(rng, n, **kw)
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def train(seed, steps, **kw):
    cache = f"/tmp/camassert-shapes-{seed}-{steps}-{sorted(kw.items())}.pt"   # re-runs skip training
    if os.path.exists(cache):
        model = ShapesNet()
        model.load_state_dict(torch.load(cache))
        return model.eval()
    model = _train(seed, steps, **kw)
    torch.save(model.state_dict(), cache)
    return model


def _train(seed, steps, **kw):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = ShapesNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for step in range(steps):
        x, y = batch(rng, 32, **kw)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            print(f"  step {step} loss {loss.item():.3f}", flush=True)
    return model.eval()


def export(model, path):
    torch.onnx.export(model, torch.rand(1, 3, SIZE, SIZE), path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    m = onnx.load(path)
    m.metadata_props.add(key="labels", value=",".join(CLASSES))
    onnx.save(m, path)


def save_png(img, name):
    Image.fromarray((np.round(img * 255)).astype(np.uint8), "RGB").save(os.path.join(OUT, "images", name))


def main():
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    t0 = time.time()
    good = train(1, 1300)
    notes = {"good": {"accuracy": accuracy(good, 101), "pointing_game_200": pointing(good, 202)}}
    print("good", notes["good"], f"{time.time() - t0:.0f}s", flush=True)
    export(good, os.path.join(OUT, "shapes.onnx"))

    shortcut = train(2, 900, shortcut=True)
    notes["shortcut"] = {
        "accuracy_watermarked": accuracy(shortcut, 103, shortcut=True),
        "accuracy_clean": accuracy(shortcut, 104),
        "gradcam_peak_in_watermark_200": pointing(shortcut, 205, shortcut=True, use_watermark=True),
        "good_model_accuracy_watermarked": accuracy(good, 103, shortcut=True),
    }
    print("shortcut", notes["shortcut"], flush=True)
    export(shortcut, os.path.join(OUT, "shapes_shortcut.onnx"))

    # Example images with known boxes, and PyTorch's logits and Grad-CAM for each.
    rng = np.random.default_rng(7)
    images = []
    for label in range(3):
        for k in (1, 2):
            img = background(rng)
            box = draw(img, label, rng)
            name = f"{CLASSES[label]}_{k}.png"
            save_png(np.clip(img, 0, 1), name)
            images.append({"file": name, "label": CLASSES[label], "box": box})
    img = background(rng)
    left = draw(img, 0, rng, box=(4, 22))
    right = draw(img, 1, rng, box=(40, 22))
    save_png(np.clip(img, 0, 1), "two_objects.png")
    images.append({"file": "two_objects.png", "label": "circle", "box": left, "boxes": {"circle": left, "square": right}})
    for label in range(3):
        img = background(rng)
        box = draw(img, label, rng, box=(24, 24))
        wm = watermark(img, label)
        name = f"watermarked_{CLASSES[label]}.png"
        save_png(np.clip(img, 0, 1), name)
        images.append({"file": name, "label": CLASSES[label], "box": box, "watermark": wm})
    for entry in images:
        x = torch.tensor(np.asarray(Image.open(os.path.join(OUT, "images", entry["file"])), dtype=np.float32).transpose(2, 0, 1)[None] / 255)
        for tag, model in (("", good), (".shortcut", shortcut)):
            cam, out = gradcam(model, x, torch.tensor([CLASSES.index(entry["label"])]))
            np.save(os.path.join(OUT, "images", entry["file"] + tag + ".gradcam.npy"), cam[0].astype(np.float32))
            np.save(os.path.join(OUT, "images", entry["file"] + tag + ".logits.npy"), out.numpy().astype(np.float32))
    with open(os.path.join(OUT, "images", "images.json"), "w") as f:
        json.dump(images, f, indent=1)
    with open(os.path.join(OUT, "measurements.json"), "w") as f:
        json.dump(notes, f, indent=1)
    print(json.dumps(notes, indent=1), f"total {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
