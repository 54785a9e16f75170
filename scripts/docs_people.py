#!/usr/bin/python3
"""docs_people.py — docs/img/people-distances.png: the same person at several distances and head
turns, side by side, on three camera profiles (`make docs-people`).

Runs `feverbench frames docs/people-distances.json --camera C` for each camera, picks the frames
nearest to a few run times, crops a square around the face (2.2 face heights), scales it to a
tile with nearest-neighbour (so the camera's pixels show), white-hot 20..38 degC, and labels each
tile with distance, head yaw and face width in pixels. Needs python3-opencv (scripts/install-deps.sh
bench-faces).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import cv2
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.exit(f"docs_people: {e}: run scripts/install-deps.sh bench-faces and use /usr/bin/python3")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "docs", "people-distances.json")
CAMERAS = ["lepton-160", "turret-256", "core-640"]
# Run times (s): walking in at 6, 5, 4 m facing the camera, the head turn (peak 60 deg at 3 m),
# then 2 and 1.5 m facing the camera again (docs/people-distances.json).
TIMES_S = [1.0, 3.0, 5.0, 6.0, 6.4, 7.0, 9.0, 10.0]
TILE, LABEL_H, ROW_LABEL_W = 150, 48, 110
CK_20C, CK_38C = 29315, 31115


def export(fb, camera, out, people):
    cmd = [fb, "frames", SCENARIO, "--camera", camera, "--out", out, "--people", people]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"docs_people: {' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
    return json.load(open(os.path.join(out, "annotations.json")))


def tile(out, coco, t_s):
    im = min(coco["images"], key=lambda i: abs(i["t_s"] - t_s))
    face = next(a for a in coco["annotations"]
                if a["image_id"] == im["id"] and a["category_id"] == 2)
    ck = cv2.imread(os.path.join(out, im["file_name"]), cv2.IMREAD_UNCHANGED)
    g = np.clip((ck.astype(np.float32) - CK_20C) * (255.0 / (CK_38C - CK_20C)), 0, 255)
    g = g.astype(np.uint8)
    x, y, w, h = face["bbox"]
    side = max(8, int(round(2.2 * max(h, w))))
    cx, cy = x + w / 2, y + h / 2 + 0.25 * h  # a little below the face: shoulders too
    x0, y0 = int(round(cx - side / 2)), int(round(cy - side / 2))
    pad = np.zeros((side, side), np.uint8)
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(g.shape[1], x0 + side), min(g.shape[0], y0 + side)
    if sx1 > sx0 and sy1 > sy0:
        pad[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = g[sy0:sy1, sx0:sx1]
    t = cv2.resize(pad, (TILE, TILE), interpolation=cv2.INTER_NEAREST)
    t = cv2.cvtColor(t, cv2.COLOR_GRAY2BGR)
    lab = np.full((LABEL_H, TILE, 3), 255, np.uint8)
    cv2.putText(lab, f"{face['distance_m']:.1f} m  yaw {face['yaw_deg']:.0f} deg", (4, 14),
                cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(lab, f"face {face['face_w_px']:.0f} px", (4, 29), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                (0, 0, 0), 1, cv2.LINE_AA)
    if face["screenable"]:
        cv2.putText(lab, "screenable", (4, 44), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 110, 0), 1,
                    cv2.LINE_AA)
    return np.vstack([t, lab])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feverbench", default=os.path.join(ROOT, "build", "release", "feverbench"))
    ap.add_argument("--people", default="3d", choices=["3d", "template"],
                    help="how people are drawn (default 3d)")
    ap.add_argument("--out", help="the picture (default docs/img/people-distances.png for 3d, "
                    "people-distances-template.png for the template)")
    a = ap.parse_args()
    if not a.out:
        a.out = os.path.join(ROOT, "docs", "img", "people-distances.png" if a.people == "3d"
                             else "people-distances-template.png")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for cam in CAMERAS:
            out = os.path.join(tmp, cam)
            coco = export(a.feverbench, cam, out, a.people)
            cells = [tile(out, coco, t) for t in TIMES_S]
            gap = np.full((TILE + LABEL_H, 4, 3), 255, np.uint8)
            row = [cells[0]]
            for c in cells[1:]:
                row += [gap, c]
            row = np.hstack(row)
            info = coco["info"]
            lab = np.full((TILE + LABEL_H, ROW_LABEL_W, 3), 255, np.uint8)
            cv2.putText(lab, cam, (4, TILE // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                        cv2.LINE_AA)
            cv2.putText(lab, f"{info['width']}x{info['height']}", (4, TILE // 2 + 18),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
            rows.append(np.hstack([lab, row]))
            rows.append(np.full((6, rows[-1].shape[1], 3), 255, np.uint8))
    title = np.full((26, rows[0].shape[1], 3), 255, np.uint8)
    cv2.putText(title, f"feverbench frames docs/people-distances.json --people {a.people}: white-hot 20-38 C, "
                "crops of 2.2 face heights, camera pixels shown as they are",
                (4, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
    img = np.vstack([title] + rows[:-1])
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    if not cv2.imwrite(a.out, img):
        sys.exit(f"docs_people: cannot write {a.out}")
    print(f"docs_people: wrote {a.out} ({img.shape[1]}x{img.shape[0]})")


if __name__ == "__main__":
    main()
