#!/usr/bin/env python3
"""Reference deletion and insertion curves from RISE's own evaluation code, on the committed CAM fixture models.

Development time only. Writes tests/fixtures/cams/causal.json; CausalCurveReferenceTests compares every
score of every curve and its AUC (<= 1e-4 abs).

    git clone <bare dir from `fetch github:eclique/RISE`> /tmp/rise          # @ d91ea00
    /usr/bin/python3 tools/make_causal_references.py /tmp/pgc /tmp/rise

RISE (Petsiuk, Das and Saenko 2018) ships the deletion/insertion metric as evaluation.py's CausalMetric; its
Evaluation notebook sets it up as used here: the model followed by a softmax, step 224 (one image row) for
224x224 images, deletion's substrate torch.zeros_like, insertion's a blur by gkern(11, 5) with conv2d(padding=5),
the curve's score the probability of the image's top class, and auc() for the area. Run unchanged except:
  - evaluation.HW, hard-coded to 224*224, is set to the fixture's H*W; the step is the image's width;
  - Tensor.cuda is a no-op (CPU only);
  - np.argsort in evaluation.py is called with kind='stable': RISE's default quicksort leaves the order of equal
    map values unspecified (Grad-CAM maps are 0 on whole regions); CamAssert takes ties the later pixel first,
    which is what np.flip of a stable argsort gives.
The maps are pytorch-grad-cam's Grad-CAM maps of class 0 from tests/fixtures/cams/pgc.json (the map the ROAD
references use). The NHWC model is fed NCHW (RISE reshapes the image as 3 x H*W).

The random-weight CAM fixtures barely change their top probability (RISE's score) as pixels go, so the trained
shapes classifier is used too: tests/fixtures/shapes/shapes.onnx run in torch by tools/onnx_shapes.py (checked
against the committed logits of each image),
on circle_1.png and triangle_1.png (RGB / 255) with their committed Grad-CAM maps (images/*.gradcam.npy).
"""
import base64, functools, json, os, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_pgc_references as mpr                 # noqa: E402  (pytorch-grad-cam's stubs: matplotlib, tqdm)
import make_cam_references as mcr                 # noqa: E402
from onnx_shapes import OnnxShapes                # noqa: E402
sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 else "/tmp/rise")
import evaluation                                 # noqa: E402  (RISE's evaluation.py)

torch.set_num_threads(1)
torch.Tensor.cuda = lambda self, *args, **kwargs: self
evaluation.np = type(sys)("numpy_stable_argsort")
evaluation.np.__dict__.update(np.__dict__)
evaluation.np.argsort = functools.partial(np.argsort, kind="stable")
OUT = os.path.join(mcr.OUT, "causal.json")

def shapes(image):
    """The shapes classifier on tests/fixtures/shapes/images/<image> and its committed Grad-CAM map."""
    from PIL import Image
    d = os.path.join(mcr.OUT, "..", "shapes")
    model = OnnxShapes(os.path.join(d, "shapes.onnx")).eval()
    x = torch.from_numpy(np.asarray(Image.open(os.path.join(d, "images", image)).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)[None].contiguous()
    with torch.no_grad():
        logits = model(x).numpy()
    expected = np.load(os.path.join(d, "images", image + ".logits.npy"))
    assert np.abs(logits - expected).max() < 1e-4, (image, logits, expected)
    return model, x, np.load(os.path.join(d, "images", image + ".gradcam.npy")).astype(np.float32)


CASES = {
    "resnetish": [dict(game="deletion"), dict(game="insertion"), dict(game="deletion", step=100), dict(game="insertion", step=100)],
    "shapes/circle_1.png": [dict(game="deletion"), dict(game="insertion"), dict(game="deletion", step=100)],
    "shapes/triangle_1.png": [dict(game="deletion"), dict(game="insertion", step=200)],
    "nhwcish": [dict(game="deletion"), dict(game="insertion")],
    "vitish": [dict(game="deletion"), dict(game="insertion", step=48)],
}


def main():
    pgc = json.load(open(os.path.join(mcr.OUT, "pgc.json")))["models"]
    kern = evaluation.gkern(11, 5)
    blur = lambda x: torch.nn.functional.conv2d(x, kern, padding=11 // 2)
    result = {"source": "RISE (eclique/RISE @ d91ea00) evaluation.py CausalMetric on torch " + torch.__version__ + ", run by tools/make_causal_references.py",
              "models": {}}
    for name, cases in CASES.items():
        if name.startswith("shapes/"):
            net, inp, explanation = shapes(name.split("/")[1])
        else:
            model, x = mpr.rebuild(name)
            layout = mcr.MODELS[name][3]
            net, inp = (mpr.NchwFront(model), x.permute(0, 3, 1, 2).contiguous()) if layout == "nhwc" else (model, x)
            entry = pgc[name]["cases"][pgc[name]["metrics"]["map_case"]]
            explanation = np.frombuffer(base64.b64decode(entry["map"]), dtype="<f4").reshape(entry["shape"])
        scored = torch.nn.Sequential(net, torch.nn.Softmax(dim=1)).eval()
        h, w = explanation.shape
        evaluation.HW = h * w
        with torch.no_grad():
            top = int(scored(inp).argmax(1)[0])
            rows = []
            for case in cases:
                step = case.get("step", w)
                metric = evaluation.CausalMetric(scored, "del" if case["game"] == "deletion" else "ins", step,
                                                 torch.zeros_like if case["game"] == "deletion" else blur)
                scores = metric.single_run(inp.clone(), explanation.copy())
                rows.append(dict(case, step=step, scores=[float(s) for s in scores], auc=float(evaluation.auc(scores))))
        result["models"][name] = {"class": top, "cases": rows}
        print(name, top, [round(r["auc"], 4) for r in rows])
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
    print("->", OUT)


if __name__ == "__main__":
    main()
