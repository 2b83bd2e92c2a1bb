#!/usr/bin/env python3
"""A large labelled set for measuring `camassert eval` speed and memory (BENCHMARKS.md): the val
set's 30 images and annotations repeated to N image entries (COCO allows entries to share a file).

    /usr/bin/python3 tools/make_scale_set.py 10000 /tmp/scale10000.json
"""
import json, os, sys

n, out = int(sys.argv[1]), sys.argv[2]
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "suites", "val", "annotations.json")
coco = json.load(open(src))
by_image = {}
for a in coco["annotations"]:
    by_image.setdefault(a["image_id"], []).append(a)
images, annotations = [], []
for k in range(n):
    im = coco["images"][k % len(coco["images"])]
    images.append(dict(im, id=k + 1))
    for a in by_image.get(im["id"], []):
        annotations.append(dict(a, id=len(annotations) + 1, image_id=k + 1))
json.dump({"images": images, "annotations": annotations, "categories": coco["categories"]}, open(out, "w"))
print(f"{n} images, {len(annotations)} annotations -> {out}")
