#!/usr/bin/python3
"""bench_faces.py — do face detectors trained on real faces find the bench's faces?

Figures, not a pass/fail test (docs/bench-faces.md). For every camera profile it exports frames
of a set of scenarios with `feverbench frames`, converts each 16-bit centikelvin frame to 8 bits
the way thermal datasets are stored (white-hot; a per-frame 1st-99.5th percentile stretch, and
a fixed 20-38 degC window), upscales it by a fixed factor, runs face detectors trained on
visible-light photographs of real faces (OpenCV's cascades, dlib's HOG and, given their model files,
the neural YuNet and res10 SSD trained on WIDER FACE) and matches their boxes to the annotated
screenable faces.
It prints the detection rate per camera x face-width bin and false positives per frame, and
writes OUT/bench-faces.json. With --real DIR it reports the same figures on real thermal
photographs with face boxes, so bench and real can be compared in one command.

Needs python3-opencv, python3-numpy and opencv-data; dlib's HOG detector too when libdlib-dev
and g++ are there (scripts/install-deps.sh bench-faces); YuNet with --yunet PATH and the SSD with
--ssd-model PATH --ssd-config PATH (model files kept outside the repository; docs/bench-faces.md).
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.exit(f"bench_faces: {e}: run scripts/install-deps.sh bench-faces (python3-opencv, "
             "opencv-data) and use /usr/bin/python3")
import neural_faces  # noqa: E402 (needs cv2, imported above with a clear message)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Scenarios: walking 8 m -> 1 m (single-slow, default), a queue with head turns (checkpoint),
# occlusion (crowd), glasses and masks.
SCENARIOS = ["single-slow", "default", "checkpoint", "crowd", "confounder-glasses",
             "confounder-mask"]
DURATION_S = {"single-slow": 16, "default": 40, "checkpoint": 40, "crowd": 30,
              "confounder-glasses": 40, "confounder-mask": 40}
BINS = [(0, 24, "<24"), (24, 40, "24-40"), (40, 64, "40-64"), (64, 100, "64-100"),
        (100, 1e9, ">=100")]
CASCADES = {
    "haar-default": "haarcascades/haarcascade_frontalface_default.xml",
    "haar-alt2": "haarcascades/haarcascade_frontalface_alt2.xml",
    "lbp": "lbpcascades/lbpcascade_frontalface_improved.xml",
}
CASCADE_DIRS = ["/usr/share/opencv4", "/usr/share/opencv", "/usr/local/share/opencv4"]
CK_20C, CK_38C = 29315, 31115


def find_cascade(rel):
    for d in CASCADE_DIRS:
        p = os.path.join(d, rel)
        if os.path.exists(p):
            return p
    sys.exit(f"bench_faces: {rel} not found under {CASCADE_DIRS} (install opencv-data)")


def to8_percentile(img):
    """White-hot, per-frame stretch of the 1st..99.5th percentile to 0..255."""
    a = img.astype(np.float32)
    lo, hi = np.percentile(a, (1.0, 99.5))
    if hi <= lo:
        hi = lo + 1
    return np.clip((a - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)


def to8_fixed(img):
    """White-hot, fixed 20..38 degC window."""
    a = img.astype(np.float32)
    return np.clip((a - CK_20C) * (255.0 / (CK_38C - CK_20C)), 0, 255).astype(np.uint8)


CONVERSIONS = {"p1-99.5": to8_percentile, "fixed-20-38C": to8_fixed}


def auto_scale(width, target_w=768):
    """The fixed upscaling factor for an image `width` pixels wide: to about target_w pixels
    wide, in steps of 0.5, at least 1. Cascades (768): a 160-pixel frame x5, 256 x3, 384 x2,
    640 x1; neural detectors (neural_faces.TARGET_W, 480): 160 x3, 256 x2, 384 and 640 x1."""
    return max(1.0, round(target_w / width * 2) / 2)


def detect(cascade, gray8, scale):  # cascade: any detector (load_detectors)
    """Boxes [x, y, w, h] in the original image's pixels."""
    if scale is None:
        scale = auto_scale(gray8.shape[1], getattr(cascade, "target_w", 768))
    if scale != 1:
        gray8 = cv2.resize(gray8, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    found = cascade(gray8)
    return [[x / scale, y / scale, w / scale, h / scale] for (x, y, w, h) in found]


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def match_score(det, gt):
    """> 0 when det finds gt: IoU >= 0.4, or the detection's centre inside the box with a width
    0.5..2 times the box's (head boxes are taller than the boxes face detectors draw)."""
    v = iou(det, gt)
    if v >= 0.4:
        return 1.0 + v
    cx, cy = det[0] + det[2] / 2, det[1] + det[3] / 2
    if gt[0] <= cx <= gt[0] + gt[2] and gt[1] <= cy <= gt[1] + gt[3] and \
            0.5 <= det[2] / max(gt[2], 1e-9) <= 2.0:
        return 0.5 + v
    return 0.0


def match(dets, gts):
    """Greedy one-to-one matching; returns (set of matched gt indices, unmatched det count)."""
    pairs = sorted(((match_score(d, g), i, j) for i, d in enumerate(dets)
                    for j, g in enumerate(gts)), reverse=True)
    used_d, used_g = set(), set()
    for s, i, j in pairs:
        if s <= 0:
            break
        if i in used_d or j in used_g:
            continue
        used_d.add(i)
        used_g.add(j)
    return used_g, len(dets) - len(used_d)


def bin_of(w):
    for lo, hi, name in BINS:
        if lo <= w < hi:
            return name
    return BINS[-1][2]


class Tally:
    """Per (detector, conversion): per bin found/n, false positives and frames."""

    def __init__(self):
        self.bins = {name: [0, 0] for _, _, name in BINS}
        self.fp = 0
        self.frames = 0

    def add(self, gts_eval, gts_all, dets):
        """gts_eval: boxes that count (with their widths); gts_all: every annotated face (a
        detection on any of them is not a false positive)."""
        matched, _ = match(dets, [g for g, _ in gts_eval])
        for j, (g, w) in enumerate(gts_eval):
            b = self.bins[bin_of(w)]
            b[1] += 1
            b[0] += j in matched
        _, unmatched = match(dets, gts_all)
        self.fp += unmatched
        self.frames += 1
        return matched

    def as_json(self):
        n = sum(b[1] for b in self.bins.values())
        f = sum(b[0] for b in self.bins.values())
        return {"bins": {k: {"found": v[0], "n": v[1],
                             "rate": round(v[0] / v[1], 4) if v[1] else None}
                         for k, v in self.bins.items()},
                "all": {"found": f, "n": n, "rate": round(f / n, 4) if n else None},
                "false_positives": self.fp, "frames": self.frames,
                "fp_per_frame": round(self.fp / self.frames, 4) if self.frames else None}


class DlibHog:
    """dlib's HOG + linear SVM frontal face detector through scripts/dlib_faces.cpp (a second
    detector family, also trained on real visible-light faces)."""

    def __init__(self, exe):
        self.p = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def __call__(self, gray8):
        g = np.ascontiguousarray(gray8)
        self.p.stdin.write(f"{g.shape[1]} {g.shape[0]}\n".encode() + g.tobytes())
        self.p.stdin.flush()
        n = int(self.p.stdout.readline())
        return [[float(v) for v in self.p.stdout.readline().split()] for _ in range(n)]


def build_dlib(out):
    """Compiles scripts/dlib_faces.cpp into out/; returns its path, or None (with the reason on
    stderr) when libdlib-dev or g++ is missing."""
    src = os.path.join(ROOT, "scripts", "dlib_faces.cpp")
    exe = os.path.join(out, "dlib_faces")
    if os.path.exists(exe) and os.path.getmtime(exe) >= os.path.getmtime(src):
        return exe
    os.makedirs(out, exist_ok=True)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "dlib-1"], capture_output=True,
                           text=True)
    if flags.returncode != 0:
        print("bench_faces: dlib skipped (no libdlib-dev: pkg-config dlib-1 failed)",
              file=sys.stderr)
        return None
    r = subprocess.run(["g++", "-O2", src, "-o", exe] + flags.stdout.split(),
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"bench_faces: dlib skipped (build failed):\n{r.stderr[-2000:]}", file=sys.stderr)
        return None
    return exe


def parse_scores(text, opt):
    """'0.3,0.5' -> [0.3, 0.5]; each in (0, 1], else exit 2 naming the option."""
    try:
        v = [float(x) for x in text.split(",")]
    except ValueError:
        v = []
    if not v or not all(0 < x <= 1 for x in v):
        print(f"bench_faces: {opt} {text}: expected scores in (0, 1], comma-separated",
              file=sys.stderr)
        sys.exit(2)
    return v


def load_model(what, opt, make):
    """Loads a model file with make(), exiting 2 with `opt` and OpenCV's reason if it fails."""
    try:
        return make()
    except (cv2.error, ValueError) as e:
        print(f"bench_faces: {opt}: cannot load {what}: {str(e).strip().splitlines()[-1]}",
              file=sys.stderr)
        sys.exit(2)


def load_neural(a):
    """YuNet and the res10 SSD from the model files named on the command line, one detector per
    score threshold; without the files, a message on stderr and no detector."""
    out_d = {}
    for opt, path in (("--yunet", a.yunet), ("--ssd-model", a.ssd_model),
                      ("--ssd-config", a.ssd_config)):
        if path and not os.path.isfile(path):
            print(f"bench_faces: {opt} {path}: no such file", file=sys.stderr)
            sys.exit(2)
    if bool(a.ssd_model) != bool(a.ssd_config):
        print("bench_faces: --ssd-model and --ssd-config go together", file=sys.stderr)
        sys.exit(2)
    if a.yunet:
        scores = parse_scores(a.yunet_score, "--yunet-score")
        m = load_model(a.yunet, "--yunet", lambda: neural_faces.YuNet(a.yunet, min(scores)))
        for s in scores:
            out_d[f"yunet-{s:g}"] = neural_faces.at_score(m, s)
    else:
        print("bench_faces: YuNet skipped (no --yunet PATH; docs/bench-faces.md says where to "
              "get face_detection_yunet_*.onnx)", file=sys.stderr)
    if a.ssd_model:
        scores = parse_scores(a.ssd_score, "--ssd-score")
        m = load_model(a.ssd_model, "--ssd-model/--ssd-config",
                       lambda: neural_faces.SsdRes10(a.ssd_model, a.ssd_config, min(scores)))
        for s in scores:
            out_d[f"ssd-{s:g}"] = neural_faces.at_score(m, s)
    else:
        print("bench_faces: res10 SSD skipped (no --ssd-model PATH --ssd-config PATH; "
              "docs/bench-faces.md says where to get them)", file=sys.stderr)
    return out_d


def load_detectors(out, use_dlib, use_cascades=True):
    out_d = {}
    if not use_cascades:
        return out_d
    for name, rel in CASCADES.items():
        c = cv2.CascadeClassifier(find_cascade(rel))
        if c.empty():
            sys.exit(f"bench_faces: cannot load {rel}")
        out_d[name] = (lambda c: lambda g: c.detectMultiScale(g, scaleFactor=1.1,
                                                             minNeighbors=3))(c)
    if use_dlib:
        exe = build_dlib(out)
        if exe:
            out_d["dlib-hog"] = DlibHog(exe)
    return out_d


def export(fb, scenario, camera, out, sample_s, people):
    """feverbench frames for one scenario on one camera with people drawn as `people`
    (template or 3d), every ~sample_s seconds."""
    fps = json.load(open(os.path.join(ROOT, "scenarios", "cameras", camera + ".json")))["fps"]
    every = max(1, round(fps * sample_s))
    cmd = [fb, "frames", scenario, "--camera", camera, "--out", out, "--every", str(every),
           "--duration", str(DURATION_S.get(scenario, 30)), "--people", people]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench_faces: {' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
    return json.load(open(os.path.join(out, "annotations.json")))


class Sheets:
    """Contact sheets of found vs missed faces for one detector and conversion: per set and
    face-width bin, up to `per_row * rows` crops of each, found above and missed below."""
    TILE = 96

    def __init__(self, out, detector, conversion, per_row=8, rows=3):
        self.out, self.detector, self.conversion = out, detector, conversion
        self.per_row, self.cap = per_row, per_row * rows
        self.crops = {}

    def add(self, key, g8, box, width, found):
        x, y, w, h = box
        m = 0.25 * max(w, h)  # some context around the head box
        x0, y0 = int(max(0, x - m)), int(max(0, y - m))
        x1, y1 = int(min(g8.shape[1], x + w + m)), int(min(g8.shape[0], y + h + m))
        if x1 <= x0 or y1 <= y0:
            return
        lst = self.crops.setdefault((key, bin_of(width)), ([], []))[0 if found else 1]
        if len(lst) < self.cap:
            lst.append(g8[y0:y1, x0:x1].copy())

    def _grid(self, crops):
        t = self.TILE
        rows = max(1, (len(crops) + self.per_row - 1) // self.per_row)
        grid = np.full((rows * t, self.per_row * t), 32, np.uint8)
        for i, c in enumerate(crops):
            f = t / max(c.shape)
            c = cv2.resize(c, (max(1, int(c.shape[1] * f)), max(1, int(c.shape[0] * f))),
                           interpolation=cv2.INTER_NEAREST)
            r, k = divmod(i, self.per_row)
            grid[r * t:r * t + c.shape[0], k * t:k * t + c.shape[1]] = c
        return grid

    def write(self):
        os.makedirs(self.out, exist_ok=True)
        for (key, b), (found, missed) in sorted(self.crops.items()):
            parts = []
            for label, crops in ((f"found {len(found)}", found), (f"missed {len(missed)}",
                                                                   missed)):
                bar = np.zeros((18, self.per_row * self.TILE), np.uint8)
                cv2.putText(bar, f"{key} {b} px {self.detector} {self.conversion}: {label}",
                            (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 255, 1)
                parts += [bar, self._grid(crops)]
            name = f"{key}_{b}".replace(":", "_").replace("/", "_").replace(">=", "ge") \
                .replace("<", "lt")
            cv2.imwrite(os.path.join(self.out, name + ".png"), np.vstack(parts))


def bench_dataset(images, cascades, scale, tallies, key, sheets=None):
    """images: list of (path, eval boxes [(box, width)], all boxes, is16). Adds to
    tallies[(key, detector, conversion)], and crops to `sheets` (a Sheets) when given."""
    for path, gts_eval, gts_all, is16 in images:
        img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        if img is None:
            print(f"bench_faces: cannot read {path}", file=sys.stderr)
            continue
        if is16:
            convs = {c: f(img) for c, f in CONVERSIONS.items()}
        else:  # real 8-bit pictures: as they are stored (palettes to gray)
            g = img if img.ndim == 2 else cv2.cvtColor(img[:, :, :3], cv2.COLOR_BGR2GRAY)
            convs = {"as-stored": g}
        for cname, g8 in convs.items():
            for dname, casc in cascades.items():
                t = tallies.setdefault((key, dname, cname), Tally())
                matched = t.add(gts_eval, gts_all, detect(casc, g8, scale))
                if sheets and dname == sheets.detector and cname == sheets.conversion:
                    for j, (g, w) in enumerate(gts_eval):
                        sheets.add(key, g8, g, w, j in matched)


def bench_images_from_coco(out, coco, screenable_only=True):
    faces = {}
    for a in coco["annotations"]:
        if a["category_id"] == 2:
            faces.setdefault(a["image_id"], []).append(a)
    images = []
    for im in coco["images"]:
        fs = faces.get(im["id"], [])
        ev = [(a["bbox"], a.get("face_w_px", a["bbox"][2])) for a in fs
              if a.get("screenable", True) or not screenable_only]
        images.append((os.path.join(out, im["file_name"]), ev, [a["bbox"] for a in fs], True))
    return images


def is_gray(path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None or img.ndim == 2:
        return True
    c = img[:, :, :3].astype(np.int16)
    return int(np.abs(c[:, :, 0] - c[:, :, 1]).max()) <= 8 and \
        int(np.abs(c[:, :, 1] - c[:, :, 2]).max()) <= 8


def load_real(d):
    """Real photographs with face boxes, in one of three layouts (docs/bench-faces.md):
    DIR/boxes.csv (file,x,y,w,h; pixels; a row with empty x for an image without faces),
    DIR/annotations.json (COCO; category "face"), or YOLO (DIR/images/*, DIR/labels/*.txt or
    DIR/annotations*/*.txt: class cx cy w h, normalised)."""
    rows = {}
    if os.path.exists(os.path.join(d, "boxes.csv")):
        with open(os.path.join(d, "boxes.csv")) as f:
            for r in csv.DictReader(f):
                boxes = rows.setdefault(os.path.join(d, r["file"]), [])
                if r.get("x", "").strip():
                    boxes.append([float(r[k]) for k in ("x", "y", "w", "h")])
    elif os.path.exists(os.path.join(d, "annotations.json")):
        coco = json.load(open(os.path.join(d, "annotations.json")))
        face_ids = {c["id"] for c in coco["categories"] if c["name"] == "face"} or \
            {c["id"] for c in coco["categories"]}
        by_id = {im["id"]: os.path.join(d, im["file_name"]) for im in coco["images"]}
        for p in by_id.values():
            rows[p] = []
        for a in coco["annotations"]:
            if a["category_id"] in face_ids:
                rows[by_id[a["image_id"]]].append(a["bbox"])
    else:
        label_dirs = [p for p in glob.glob(os.path.join(d, "*")) if os.path.isdir(p) and
                      (os.path.basename(p) == "labels" or
                       os.path.basename(p).startswith("annotations"))]
        imgs = sorted(glob.glob(os.path.join(d, "images", "*")))
        if not imgs or not label_dirs:
            sys.exit(f"bench_faces: --real {d}: expected boxes.csv, annotations.json or "
                     "images/ + labels/ (YOLO)")
        for p in imgs:
            stem = os.path.splitext(os.path.basename(p))[0]
            lab = os.path.join(label_dirs[0], stem + ".txt")
            im = cv2.imread(p, cv2.IMREAD_UNCHANGED)
            if im is None:
                continue
            h, w = im.shape[:2]
            boxes = []
            if os.path.exists(lab):
                for line in open(lab):
                    v = line.split()
                    if len(v) >= 5:
                        cx, cy, bw, bh = (float(x) for x in v[1:5])
                        boxes.append([(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h])
            rows[p] = boxes
    images = []
    for p, boxes in sorted(rows.items()):
        im = cv2.imread(p, cv2.IMREAD_UNCHANGED)
        if im is None:
            continue
        images.append((p, [(b, b[2]) for b in boxes], boxes, im.dtype == np.uint16))
    return images


def print_table(title, res, keys):
    print(f"\n{title}")
    head = f"  {'set':<24} {'detector':<13} {'conversion':<13}" + \
        "".join(f"{name:>13}" for _, _, name in BINS) + f"{'all':>13}{'FP/frame':>10}"
    print(head)
    for k in keys:
        r = res[k]
        cells = []
        for _, _, name in BINS:
            b = r["bins"][name]
            cells.append(f"{'-':>13}" if not b["n"] else
                         f"{100 * b['rate']:>6.1f}% {'(' + str(b['n']) + ')':>6}")
        a = r["all"]
        cells.append(f"{'-':>13}" if not a["n"] else
                     f"{100 * a['rate']:>6.1f}% {'(' + str(a['n']) + ')':>6}")
        print(f"  {k[0]:<24} {k[1]:<13} {k[2]:<13}" + "".join(cells) +
              f"{r['fp_per_frame']:>10.3f}")


def write_json(a, tallies, cascades, complete):
    """OUT/bench-faces.json with every figure so far; written after each camera too
    ("complete": false), so an interrupted run keeps what it measured."""
    res = {f"{k[0]}|{k[1]}|{k[2]}": v.as_json() for k, v in tallies.items()}
    doc = {"what": "face detection rate of detectors trained on real visible-light faces, per "
                   "face-width bin (pixels of the original image); bench: screenable faces only",
           "scale": a.scale if a.scale else "auto: about 768 px wide in steps of 0.5, at least 1",
           "scale_by_width": {w: auto_scale(w) for w in (160, 256, 384, 640)},
           "scale_by_width_neural": {w: auto_scale(w, neural_faces.TARGET_W)
                                     for w in (160, 256, 384, 640)},
           "sample_s": a.sample_s, "scenarios": a.scenarios.split(","), "people": a.people.split(","),
           "match_rule": "greedy one-to-one; IoU >= 0.4, or detection centre inside the box "
                         "with width 0.5..2x the box's",
           "detector_params": {"scaleFactor": 1.1, "minNeighbors": 3,
                               "cascades": CASCADES, "opencv": cv2.__version__,
                               "dlib-hog": "get_frontal_face_detector(), no upsampling, "
                                           "threshold 0 (scripts/dlib_faces.cpp)",
                               "yunet": {"model": a.yunet, "scores": a.yunet_score,
                                         "nms_iou": neural_faces.YuNet.nms_iou},
                               "ssd": {"model": a.ssd_model, "config": a.ssd_config,
                                       "scores": a.ssd_score,
                                       "mean_bgr": [104, 177, 123]},
                               "neural_target_w": neural_faces.TARGET_W},
           "detectors": sorted(cascades),
           "conversions": {"p1-99.5": "white-hot, per-frame 1st-99.5th percentile stretch",
                           "fixed-20-38C": "white-hot, 20..38 degC",
                           "as-stored": "real 8-bit pictures as stored, converted to gray"},
           "bins": [b[2] for b in BINS], "results": res, "complete": complete}
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, "bench-faces.json.tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(a.out, "bench-faces.json"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feverbench", default=os.path.join(ROOT, "build", "release", "feverbench"))
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "bench-faces"))
    ap.add_argument("--cameras", help="comma-separated profiles (default: every one in "
                    "scenarios/cameras/)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--people", default="3d,template",
                    help="how people are drawn, comma-separated: 3d, template (default both)")
    ap.add_argument("--sample-s", type=float, default=1.0,
                    help="seconds between exported frames (default 1)")
    ap.add_argument("--scale", default="auto",
                    help="upscaling before detection: a factor, or auto (default): about 768 "
                    "pixels wide, in steps of 0.5 (x5 for 160 px, x3 for 256, x2 for 384, x1 "
                    "for 640)")
    ap.add_argument("--real", action="append", default=[],
                    help="a folder of real thermal photographs with face boxes (repeatable)")
    ap.add_argument("--real-only", action="store_true", help="skip the bench's frames")
    ap.add_argument("--no-dlib", action="store_true", help="no dlib HOG detector")
    ap.add_argument("--no-cascades", action="store_true",
                    help="no Haar/LBP cascades (with --no-dlib: only the neural detectors)")
    ap.add_argument("--yunet", metavar="PATH",
                    help="YuNet ONNX model (face_detection_yunet_2022mar.onnx or the 2023mar "
                    "layout); skipped without it")
    ap.add_argument("--yunet-score", default="0.3,0.5", metavar="S[,S]",
                    help="YuNet score thresholds, one detector each (default 0.3,0.5)")
    ap.add_argument("--ssd-model", metavar="PATH",
                    help="res10 SSD weights: res10_300x300_ssd_iter_140000*.caffemodel or "
                    "opencv_face_detector_uint8.pb; skipped without it")
    ap.add_argument("--ssd-config", metavar="PATH",
                    help="its network: deploy.prototxt or opencv_face_detector.pbtxt")
    ap.add_argument("--ssd-score", default="0.3,0.5", metavar="S[,S]",
                    help="SSD confidence thresholds, one detector each (default 0.3,0.5)")
    ap.add_argument("--sheets", metavar="DIR",
                    help="write contact sheets of found vs missed faces per set and size bin "
                    "into DIR (one detector and conversion: --sheet-detector)")
    ap.add_argument("--sheet-detector", default="yunet-0.5,p1-99.5", metavar="DET,CONV",
                    help="detector and conversion of the sheets (default yunet-0.5,p1-99.5; "
                    "real 8-bit pictures use as-stored)")
    a = ap.parse_args()
    if a.scale != "auto":
        try:
            a.scale = float(a.scale)
        except ValueError:
            a.scale = 0
        if a.scale <= 0:
            ap.error("--scale: expected auto or a factor > 0")
    else:
        a.scale = None

    cascades = load_detectors(a.out, not a.no_dlib, not a.no_cascades)
    cascades.update(load_neural(a))
    if not cascades:
        ap.error("no detector left to run")
    sheets = None
    if a.sheets:
        det, _, conv = a.sheet_detector.partition(",")
        if det not in cascades or conv not in list(CONVERSIONS) + ["as-stored"]:
            ap.error(f"--sheet-detector {a.sheet_detector}: expected DETECTOR,CONVERSION with a "
                     f"detector in {sorted(cascades)} and a conversion in "
                     f"{list(CONVERSIONS) + ['as-stored']}")
        sheets = Sheets(a.sheets, det, conv)
    tallies = {}
    t0 = time.time()
    cameras = a.cameras.split(",") if a.cameras else sorted(
        os.path.splitext(os.path.basename(p))[0]
        for p in glob.glob(os.path.join(ROOT, "scenarios", "cameras", "*.json")))
    bench_keys = []
    if not a.real_only:
        if not os.access(a.feverbench, os.X_OK):
            sys.exit(f"bench_faces: {a.feverbench}: not built (make build)")
        for people in a.people.split(","):
            for cam in cameras:
                for sc in a.scenarios.split(","):
                    out = os.path.join(a.out, "frames", people, cam, sc)
                    coco = export(a.feverbench, sc, cam, out, a.sample_s, people)
                    bench_dataset(bench_images_from_coco(out, coco), cascades, a.scale, tallies,
                                  f"bench:{people}:{cam}", sheets)
                write_json(a, tallies, cascades, False)
                if sheets:
                    sheets.write()
                print(f"bench_faces: {people} people, {cam} done ({time.time() - t0:.0f} s)",
                      file=sys.stderr)
        bench_keys = sorted(k for k in tallies if k[0].startswith("bench:"))
    real_keys = []
    for d in a.real:
        imgs = load_real(d)
        name = "real:" + os.path.basename(os.path.normpath(d))
        bench_dataset(imgs, cascades, a.scale, tallies, name, sheets)
        gray = [im for im in imgs if is_gray(im[0])]
        if gray and len(gray) < len(imgs):
            bench_dataset(gray, cascades, a.scale, tallies, name + "/gray")
        real_keys += sorted(k for k in tallies if k[0].startswith(name))
        print(f"bench_faces: {d}: {len(imgs)} images ({len(gray)} grayscale) "
              f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if sheets:
        sheets.write()
        print(f"bench_faces: contact sheets in {a.sheets}", file=sys.stderr)
    write_json(a, tallies, cascades, True)
    resk = {k: tallies[k].as_json() for k in tallies}
    print("face detection rate by face width in pixels of the original image (n = faces), "
          "upscaled " + (f"x{a.scale:g}" if a.scale else "to ~768 px wide for cascades and dlib "
                         "(x5 for 160 px, x3 for 256, x2 for 384, x1 for 640), ~480 for yunet "
                         "and ssd (x3, x2, x1, x1)") + "; bench: screenable faces only")
    if bench_keys:
        print_table("bench (feverbench frames)", resk, bench_keys)
    if real_keys:
        print_table("real thermal photographs", resk, real_keys)
    print(f"\nfigures in {os.path.join(a.out, 'bench-faces.json')} "
          f"({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
