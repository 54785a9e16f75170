"""test_neural_faces.py — bench_faces.py's neural detectors: YuNet decoding, thresholds, options.

Hand-worked values, no model files (those stay outside the repository). Exits 77 (skipped) when
Debian's python3-opencv is not installed (scripts/install-deps.sh bench-faces).
"""
import math
import os
import subprocess
import sys
import unittest

try:
    import cv2  # noqa: F401
    import numpy as np
except ImportError as e:
    print(f"skipped: {e} (scripts/install-deps.sh bench-faces)")
    sys.exit(77)

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)
import bench_faces  # noqa: E402
import neural_faces  # noqa: E402


def yunet_outputs(pad_w, pad_h):
    """Zero YuNet 2023mar-layout outputs for a pad_w x pad_h input."""
    outs = {"_w": pad_w}
    for s in neural_faces.YUNET_STRIDES:
        n = (pad_w // s) * (pad_h // s)
        outs[f"cls_{s}"] = np.zeros((1, n, 1), np.float32)
        outs[f"obj_{s}"] = np.zeros((1, n, 1), np.float32)
        outs[f"bbox_{s}"] = np.zeros((1, n, 4), np.float32)
    return outs


class YunetDecode(unittest.TestCase):
    def setUp(self):
        # 64 x 32 input: stride 8 has 8 anchors a row, stride 16 has 4.
        self.o = yunet_outputs(64, 32)
        # stride 8, row 2, col 3 (index 2 * 8 + 3 = 19): score sqrt(0.81 * 1) = 0.9,
        # centre ((3 + 0.5) * 8, (2 + 0.25) * 8) = (28, 18), size (e^ln2 * 8, e^0 * 8) = (16, 8)
        # -> box [20, 14, 16, 8].
        self.o["cls_8"][0, 19, 0], self.o["obj_8"][0, 19, 0] = 0.81, 1.0
        self.o["bbox_8"][0, 19] = (0.5, 0.25, math.log(2), 0.0)
        # stride 16, row 1, col 2 (index 1 * 4 + 2 = 6): score sqrt(0.25 * 0.64) = 0.4,
        # centre (32, 16), size 16 x 16 -> box [24, 8, 16, 16].
        self.o["cls_16"][0, 6, 0], self.o["obj_16"][0, 6, 0] = 0.25, 0.64
        # stride 32, index 0: cls above 1 and obj below 0 clip to a score of 0.
        self.o["cls_32"][0, 0, 0], self.o["obj_32"][0, 0, 0] = 1.2, -0.1

    def test_boxes_and_scores(self):
        boxes, scores = neural_faces.yunet_decode(self.o, 0.3)
        self.assertEqual(len(boxes), 2)
        np.testing.assert_allclose(boxes[0], [20, 14, 16, 8], atol=1e-4)
        np.testing.assert_allclose(boxes[1], [24, 8, 16, 16], atol=1e-4)
        np.testing.assert_allclose(scores, [0.9, 0.4], atol=1e-6)

    def test_threshold(self):
        boxes, _ = neural_faces.yunet_decode(self.o, 0.5)
        self.assertEqual(len(boxes), 1)
        self.assertEqual(neural_faces.yunet_decode(self.o, 0.95), ([], []))


class FakeModel:
    """Three candidates: two overlapping (IoU 90 / 110 = 0.82), one apart."""
    nms_iou = 0.3

    def __init__(self):
        self.calls = 0

    def raw(self, gray8):
        self.calls += 1
        return [[0, 0, 10, 10], [1, 0, 10, 10], [50, 50, 10, 10]], [0.9, 0.8, 0.4]


class AtScore(unittest.TestCase):
    def test_thresholds_share_one_pass(self):
        m = FakeModel()
        lo, hi = neural_faces.at_score(m, 0.3), neural_faces.at_score(m, 0.5)
        img = np.zeros((20, 30), np.uint8)
        self.assertEqual(sorted(lo(img)), [[0, 0, 10, 10], [50, 50, 10, 10]])
        self.assertEqual(hi(img), [[0, 0, 10, 10]])
        self.assertEqual(m.calls, 1)
        img2 = img.copy()
        img2[0, 0] = 1
        lo(img2)
        self.assertEqual(m.calls, 2)

    def test_no_suppression(self):
        m = FakeModel()
        m.nms_iou = None
        self.assertEqual(len(neural_faces.at_score(m, 0.5)(np.zeros((4, 4), np.uint8))), 2)


class Scaling(unittest.TestCase):
    def test_auto_scale(self):
        self.assertEqual([bench_faces.auto_scale(w) for w in (160, 256, 384, 640)],
                         [5.0, 3.0, 2.0, 1.0])
        t = neural_faces.TARGET_W
        self.assertEqual([bench_faces.auto_scale(w, t) for w in (160, 256, 384, 640)],
                         [3.0, 2.0, 1.0, 1.0])

    def test_detect_scales_back(self):
        def det(g):  # one box in the upscaled image's pixels
            return [[30, 60, 15, 30]]
        det.target_w = neural_faces.TARGET_W
        # 160 wide: x3 for a neural detector
        self.assertEqual(bench_faces.detect(det, np.zeros((120, 160), np.uint8), None),
                         [[10, 20, 5, 10]])


class Options(unittest.TestCase):
    def run_script(self, *args):
        return subprocess.run([sys.executable, os.path.join(SCRIPTS, "bench_faces.py"),
                               "--real-only", "--no-dlib"] + list(args),
                              capture_output=True, text=True)

    def test_missing_model_is_an_error(self):
        r = self.run_script("--yunet", "/nonexistent/yunet.onnx")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--yunet /nonexistent/yunet.onnx: no such file", r.stderr)

    def test_bad_model_is_an_error(self):
        r = self.run_script("--yunet", os.path.abspath(__file__))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--yunet: cannot load", r.stderr)

    def test_ssd_needs_both_files(self):
        r = self.run_script("--ssd-model", os.path.abspath(__file__))
        self.assertEqual(r.returncode, 2)
        self.assertIn("--ssd-model and --ssd-config go together", r.stderr)

    def test_bad_scores(self):
        for bad in ("0", "x", "0.3,1.5", ""):
            with self.assertRaises(SystemExit) as cm:
                bench_faces.parse_scores(bad, "--yunet-score")
            self.assertEqual(cm.exception.code, 2)
        self.assertEqual(bench_faces.parse_scores("0.3,0.5", "--yunet-score"), [0.3, 0.5])

    def test_absent_models_are_skipped_with_a_message(self):
        r = self.run_script("--no-cascades")
        self.assertEqual(r.returncode, 2)  # nothing left to run
        self.assertIn("YuNet skipped (no --yunet PATH", r.stderr)
        self.assertIn("res10 SSD skipped", r.stderr)
        self.assertIn("no detector left to run", r.stderr)


if __name__ == "__main__":
    unittest.main()
