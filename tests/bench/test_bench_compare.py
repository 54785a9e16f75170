"""test_bench_compare.py — scripts/bench_compare.py reads fb_bench's output and compares runs.

The sample is one real fb_bench run (tests/bench/fb_bench_sample.txt, this project's 2-core
machine); the expected figures are read off it by eye. The table's ratio is hand-worked.
"""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)
import bench_compare  # noqa: E402


class Parse(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(HERE, "fb_bench_sample.txt"), encoding="utf-8") as f:
            self.p = bench_compare.parse(f.read())

    def test_every_section(self):
        self.assertEqual(sorted(self.p), sorted([
            "default 256x192 template", "default 256x192 3d", "crowd 256x192 template",
            "crowd 256x192 3d", "crowd 640x512 template", "crowd 640x512 3d"]))

    def test_crowd_3d(self):
        c = self.p["crowd 256x192 3d"]
        self.assertEqual(c["rtf"], 19.5)
        self.assertEqual(c["render_us"], 1812.2)
        self.assertEqual(c["four_ns_px"], 3.26)
        self.assertEqual((c["lod_pose_us"], c["vertices_us"], c["triangles_us"]),
                         (183.3, 235.7, 1115.3))
        self.assertEqual(c["speedup_2"], 1.44)  # from the "more cores" section at the end

    def test_template_has_no_people_lines(self):
        t = self.p["crowd 256x192 template"]
        self.assertEqual(t, {"rtf": 132.8, "render_us": 142.8, "four_ns_px": 2.11})

    def test_640_threads(self):
        self.assertEqual(self.p["crowd 640x512 3d"]["speedup_2"], 1.42)
        self.assertEqual(self.p["default 256x192 3d"]["speedup_2"], 1.19)


class Table(unittest.TestCase):
    def test_ratio_of_medians_and_best(self):
        base = [{"s 1x1 3d": {"rtf": v, "render_us": u}} for v, u in ((10, 100), (12, 90), (11, 95))]
        this = [{"s 1x1 3d": {"rtf": v, "render_us": u}} for v, u in ((20, 50), (22, 40), (24, 45))]
        t = bench_compare.table(base, this, "base", "this").splitlines()
        rtf = next(l for l in t if "whole loop" in l).split()
        # best (most) and median: base 12, 11; this 24, 22; 22 / 11 = 2.000
        self.assertEqual(rtf[-5:], ["12.00", "11.00", "24.00", "22.00", "2.000"])
        render = next(l for l in t if l.strip().startswith("render")).split()
        # best (least) and median: base 90, 95; this 40, 45; 45 / 95 = 0.474
        self.assertEqual(render[-5:], ["90.00", "95.00", "40.00", "45.00", "0.474"])
        self.assertFalse(any("speed-up" in l for l in t))  # figures no run has are left out

    def test_parse_option_prints_json(self):
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "bench_compare.py"), "--parse",
                            os.path.join(HERE, "fb_bench_sample.txt")], capture_output=True,
                           text=True, check=True)
        self.assertIn('"rtf": 201.4', r.stdout)

    def test_bad_rounds(self):
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, "bench_compare.py"),
                            "--rounds", "0"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--rounds must be at least 1", r.stderr)


if __name__ == "__main__":
    unittest.main()
