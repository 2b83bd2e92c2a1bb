#!/usr/bin/env python3
"""Fixtures of the attention suites (issue 14): labelled shapes sets in the formats teams have,
three seeds of the good shapes model (benign retrains of each other) and the shortcut twin, and
PyTorch's own numbers for every image, object and model pair, the reference the C# tests check.
Development time only (Debian python3-torch; training is cached in /tmp, a few minutes each):

    /usr/bin/python3 tools/make_suite_fixtures.py

Writes tests/fixtures/suites/:
  models/shapes_seed{1,3,4}.onnx, models/shapes_shortcut.onnx  (same net and recipe as
      tools/train_shapes.py; seed 1 is that script's good model, the shortcut its twin)
  val/images/*.png, val/annotations.json     30 clean images (24 single, 6 with two objects),
      COCO with compressed-RLE segmentation
  cued/images/*.png, cued/annotations.json   15 images carrying the class cue (a corner watermark),
      COCO with polygon segmentation
  formats/voc/*.xml, formats/yolo/*.txt + classes.txt, formats/masks/*.png + classes.txt:
      the val set's annotations in Pascal VOC, YOLO and per-image class-mask form
  reference.json: per object and model, energy in box and pointing game of PyTorch's Grad-CAM;
      per image, object and model pair, Pearson, top-20 % IoU, peak shift and energy change;
      per set and pair, the medians and 10th percentiles the drift gate reads.
"""
import json, os
import numpy as np
import torch
import onnx
from onnx import numpy_helper

import train_shapes as ts

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "suites")
SIZE, CLASSES = ts.SIZE, ts.CLASSES
GOOD_SEEDS = (1, 3, 4)


# ------------------------------------------------------------------ COCO RLE (column-major runs, LEB128-like string)
def rle_counts(mask):
    flat = mask.flatten(order="F").astype(np.uint8)
    counts, current, run = [], 0, 0
    for v in flat:
        if v != current:
            counts.append(run)
            run, current = 0, v
        run += 1
    counts.append(run)
    return counts


def rle_string(counts):
    out = []
    for i, c in enumerate(counts):
        x = c - (counts[i - 2] if i > 2 else 0)
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = (x != -1) if (ch & 0x10) else (x != 0)
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


# ------------------------------------------------------------------ shapes with their masks
def draw_with_mask(img, label, rng, box=None):
    before = img.copy()
    b = ts.draw(img, label, rng, box)
    mask = np.any(img != before, axis=2)
    return b, mask


def polygon(label, box):
    x, y, w, h = box
    if label == 1:
        return [x, y, x + w, y, x + w, y + h, x, y + h]
    if label == 2:
        return [x + w / 2, y, x + w, y + h, x, y + h]
    cx, cy, r = x + w / 2, y + h / 2, w / 2
    pts = []
    for k in range(32):
        a = 2 * np.pi * k / 32
        pts += [round(cx + r * np.cos(a), 2), round(cy + r * np.sin(a), 2)]
    return pts


def make_sets():
    rng = np.random.default_rng(1414)
    val, cued = [], []
    for i in range(24):
        label = i % 3
        img = ts.background(rng)
        box, mask = draw_with_mask(img, label, rng)
        val.append((f"{CLASSES[label]}_{i // 3 + 1:02d}.png", np.clip(img, 0, 1), [(label, box, mask)]))
    for i in range(6):
        a, b = i % 3, (i + 1) % 3
        img = ts.background(rng)
        ya, yb = int(rng.integers(2, 40)), int(rng.integers(2, 40))
        ba, ma = draw_with_mask(img, a, rng, box=(2, ya))
        bb, mb = draw_with_mask(img, b, rng, box=(38, yb))
        mb = mb & ~ma
        val.append((f"pair_{CLASSES[a]}_{CLASSES[b]}_{i // 3 + 1}.png", np.clip(img, 0, 1), [(a, ba, ma), (b, bb, mb)]))
    for i in range(15):
        label = i % 3
        img = ts.background(rng)
        box, mask = draw_with_mask(img, label, rng, box=(int(rng.integers(14, 28)), int(rng.integers(14, 28))))
        wm = ts.watermark(img, label)
        mask[wm[1]:wm[1] + 7, wm[0]:wm[0] + 7] = False
        cued.append((f"cued_{CLASSES[label]}_{i // 3 + 1}.png", np.clip(img, 0, 1), [(label, box, mask)]))
    return val, cued


def save_png(img, path):
    from PIL import Image
    Image.fromarray(np.round(img * 255).astype(np.uint8), "RGB").save(path)


def write_coco(entries, folder, segmentation):
    images, annotations = [], []
    for i, (name, _, objects) in enumerate(entries):
        images.append({"id": i + 1, "file_name": name, "width": SIZE, "height": SIZE})
        for label, box, mask in objects:
            a = {"id": len(annotations) + 1, "image_id": i + 1, "category_id": label + 1, "bbox": box,
                 "area": int(mask.sum()), "iscrowd": 0}
            if segmentation == "rle":
                a["segmentation"] = {"size": [SIZE, SIZE], "counts": rle_string(rle_counts(mask))}
            else:
                a["segmentation"] = [polygon(label, box)]
            annotations.append(a)
    coco = {"images": images, "annotations": annotations,
            "categories": [{"id": k + 1, "name": c, "supercategory": "shape"} for k, c in enumerate(CLASSES)]}
    with open(os.path.join(folder, "annotations.json"), "w") as f:
        json.dump(coco, f, indent=0)


def write_formats(entries):
    from PIL import Image
    base = os.path.join(OUT, "formats")
    for d in ("voc", "yolo", "masks"):
        os.makedirs(os.path.join(base, d), exist_ok=True)
    for d in ("yolo", "masks"):
        with open(os.path.join(base, d, "classes.txt"), "w") as f:
            f.write("\n".join(CLASSES) + "\n")
    for name, _, objects in entries:
        stem = name[:-4]
        objs = "".join(
            f"  <object>\n    <name>{CLASSES[l]}</name>\n    <difficult>0</difficult>\n    <bndbox><xmin>{b[0] + 1}</xmin><ymin>{b[1] + 1}</ymin>"
            f"<xmax>{b[0] + b[2]}</xmax><ymax>{b[1] + b[3]}</ymax></bndbox>\n  </object>\n" for l, b, _ in objects)
        with open(os.path.join(base, "voc", stem + ".xml"), "w") as f:
            f.write(f"<annotation>\n  <folder>images</folder>\n  <filename>{name}</filename>\n"
                    f"  <size><width>{SIZE}</width><height>{SIZE}</height><depth>3</depth></size>\n{objs}</annotation>\n")
        with open(os.path.join(base, "yolo", stem + ".txt"), "w") as f:
            for l, b, _ in objects:
                f.write(f"{l} {(b[0] + b[2] / 2) / SIZE:.6f} {(b[1] + b[3] / 2) / SIZE:.6f} {b[2] / SIZE:.6f} {b[3] / SIZE:.6f}\n")
        classmask = np.zeros((SIZE, SIZE), np.uint8)
        for l, _, m in objects:
            classmask[m] = l + 1
        Image.fromarray(classmask, "L").save(os.path.join(base, "masks", stem + ".png"))


# ------------------------------------------------------------------ reference numbers (PyTorch's Grad-CAM)
def cam_of(model, img, label):
    x = torch.tensor(np.round(img * 255).astype(np.float32).transpose(2, 0, 1)[None] / 255)
    cam, _ = ts.gradcam(model, x, torch.tensor([label]))
    return cam[0].astype(np.float64)


def object_metrics(cam, box):
    x, y, w, h = box
    inside = np.zeros_like(cam, bool)
    inside[y:y + h, x:x + w] = True
    energy = float(cam[inside].sum() / cam.sum()) if cam.sum() > 0 else 0.0
    peak_in = bool(np.any(inside[cam == cam.max()]))
    return energy, peak_in


def top_mask(v, percent=20):
    n = max(1, int(round(v.size * percent / 100)))
    order = np.argsort(-v.flatten(), kind="stable")[:n]
    m = np.zeros(v.size, bool)
    m[order] = True
    return m


def drift(a, b, box):
    pearson = float(np.corrcoef(a.flatten(), b.flatten())[0, 1])
    ta, tb = top_mask(a), top_mask(b)
    iou = float((ta & tb).sum() / (ta | tb).sum())
    pa, pb = np.unravel_index(a.argmax(), a.shape), np.unravel_index(b.argmax(), b.shape)
    shift = float(np.hypot(pa[0] - pb[0], pa[1] - pb[1]) / np.hypot(*a.shape))
    ea, _ = object_metrics(a, box)
    eb, _ = object_metrics(b, box)
    return {"pearson": pearson, "top_iou": iou, "peak_shift": shift, "energy_change": eb - ea}


def export_model(model, path):
    ts.export(model, path)


def same_weights(a, b):
    ia = {t.name: numpy_helper.to_array(t) for t in onnx.load(a).graph.initializer}
    ib = {t.name: numpy_helper.to_array(t) for t in onnx.load(b).graph.initializer}
    return ia.keys() == ib.keys() and all(np.array_equal(ia[k], ib[k]) for k in ia)


def main():
    models = {f"shapes_seed{s}": ts.train(s, 1300) for s in GOOD_SEEDS}
    models["shapes_shortcut"] = ts.train(2, 900, shortcut=True)
    os.makedirs(os.path.join(OUT, "models"), exist_ok=True)
    files = {}
    for name, m in models.items():
        path = os.path.join(OUT, "models", name + ".onnx")
        export_model(m, path)
        files[name] = f"suites/models/{name}.onnx"
    # train_shapes.py's models come out bit for bit again: use the committed files instead of copies.
    for name, committed in (("shapes_seed1", "shapes.onnx"), ("shapes_shortcut", "shapes_shortcut.onnx")):
        path = os.path.join(OUT, "models", name + ".onnx")
        if same_weights(os.path.join(ts.OUT, committed), path):
            os.remove(path)
            files[name] = f"shapes/{committed}"
        print(name, "->", files[name])

    val, cued = make_sets()
    ref = {"models": files, "sets": {}}
    for set_name, entries, seg in (("val", val, "rle"), ("cued", cued, "polygon")):
        folder = os.path.join(OUT, set_name)
        os.makedirs(os.path.join(folder, "images"), exist_ok=True)
        for name, img, _ in entries:
            save_png(img, os.path.join(folder, "images", name))
        write_coco(entries, folder, seg)
        objects = []
        for name, img, objs in entries:
            png = np.asarray(__import__("PIL.Image", fromlist=["Image"]).open(os.path.join(folder, "images", name)), np.float32) / 255
            for k, (label, box, _) in enumerate(objs):
                cams = {m: cam_of(model, png, label) for m, model in models.items()}
                o = {"image": name, "object": k, "class": CLASSES[label], "box": box, "per_model": {}, "pairs": {}}
                for m, c in cams.items():
                    e, p = object_metrics(c, box)
                    o["per_model"][m] = {"energy_in_box": e, "peak_in_box": p}
                names = list(models)
                for i in range(len(names)):
                    for j in range(i + 1, len(names)):
                        o["pairs"][f"{names[i]}->{names[j]}"] = drift(cams[names[i]], cams[names[j]], box)
                objects.append(o)
        summary = {}
        for pair in objects[0]["pairs"]:
            base, cand = pair.split("->")
            d = [o["pairs"][pair] for o in objects]
            pg = lambda m: float(np.mean([o["per_model"][m]["peak_in_box"] for o in objects]))
            col = lambda k: np.array([x[k] for x in d])
            summary[pair] = {
                "pearson_median": float(np.median(col("pearson"))), "pearson_p10": float(np.percentile(col("pearson"), 10)),
                "pearson_min": float(col("pearson").min()),
                "top_iou_median": float(np.median(col("top_iou"))), "top_iou_p10": float(np.percentile(col("top_iou"), 10)),
                "peak_shift_median": float(np.median(col("peak_shift"))),
                "energy_loss_median": float(np.median(-col("energy_change"))),
                "pointing_baseline": pg(base), "pointing_candidate": pg(cand),
            }
        ref["sets"][set_name] = {"objects": objects, "summary": summary}
        print(set_name, json.dumps(summary, indent=1))
    write_formats(val)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(ref, f, indent=0)


if __name__ == "__main__":
    main()
