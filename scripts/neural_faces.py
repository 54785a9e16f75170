"""neural_faces.py — neural face detectors trained on WIDER FACE, run through OpenCV 4.6's cv2.dnn.

Used by bench_faces.py (docs/bench-faces.md). The model files are not in this repository: the
caller passes their paths. Each model's raw(gray8) returns every candidate box [x, y, w, h] (in
that image's pixels) with its score; at_score() makes the detector bench_faces.py calls for one
score threshold, several thresholds sharing one forward pass per image.
"""
import math

import cv2
import numpy as np

YUNET_STRIDES = (8, 16, 32)
# Images are upscaled to about this width before the neural detectors (x3 for 160-pixel frames,
# x2 for 256, x1 from 384 up): on the Chips thermal faces YuNet found more at x2-x3 than at x5.
TARGET_W = 480


def _nms(boxes, scores, score_min, nms_iou):
    """Non-maximum suppression through OpenCV; boxes [x, y, w, h]; returns the kept boxes."""
    if not boxes:
        return []
    keep = cv2.dnn.NMSBoxes(boxes, scores, score_min, nms_iou)
    return [boxes[int(i)] for i in np.array(keep).reshape(-1)]


def yunet_decode(outs, score_min):
    """Decodes the raw outputs of a YuNet with one head per stride (the 2023mar layout: for
    stride s, cls_s and obj_s are (1, rows*cols, 1), bbox_s is (1, rows*cols, 4)) for an input
    padded to a multiple of 32. Anchor (row, col) of stride s predicts the box centre
    ((col + dx) * s, (row + dy) * s) and size (exp(dw) * s, exp(dh) * s); its score is
    sqrt(cls * obj), both clipped to 0..1 (as OpenCV 4.8's FaceDetectorYN does). `outs` maps
    output names to arrays, and "_w" to the padded input width (anchors per row = _w / s).
    Returns (boxes, scores) of the anchors scoring at least score_min, before suppression."""
    boxes, scores = [], []
    pad_w = outs["_w"]
    for s in YUNET_STRIDES:
        cls = np.clip(outs[f"cls_{s}"].reshape(-1), 0, 1)
        obj = np.clip(outs[f"obj_{s}"].reshape(-1), 0, 1)
        bbox = outs[f"bbox_{s}"].reshape(-1, 4)
        score = np.sqrt(cls * obj)
        cols = pad_w // s
        for i in np.nonzero(score >= score_min)[0]:
            r, c = divmod(int(i), cols)
            dx, dy, dw, dh = (float(v) for v in bbox[i])
            w, h = math.exp(dw) * s, math.exp(dh) * s
            cx, cy = (c + dx) * s, (r + dy) * s
            boxes.append([cx - w / 2, cy - h / 2, w, h])
            scores.append(float(score[i]))
    return boxes, scores


class YuNet:
    """YuNet (Wu et al. 2023, trained on WIDER FACE; opencv_zoo, MIT licence). The 2022mar model
    runs through cv2.FaceDetectorYN; the 2023mar layout (cls/obj/bbox per stride), which
    OpenCV 4.6's FaceDetectorYN cannot read, through cv2.dnn and yunet_decode()."""

    nms_iou = 0.3  # FaceDetectorYN's default, as in opencv_zoo's demo

    def __init__(self, path, score_min):
        self.score_min = score_min
        net = cv2.dnn.readNetFromONNX(path)
        names = set(net.getUnconnectedOutLayersNames())
        self.fdyn = None
        if {"loc", "conf", "iou"} <= names:
            self.fdyn = cv2.FaceDetectorYN.create(path, "", (320, 320), score_min, 0.3, 5000)
        elif all(f"{k}_{s}" in names for k in ("cls", "obj", "bbox") for s in YUNET_STRIDES):
            self.net = net
            self.names = sorted(names)
        else:
            raise ValueError(f"{path}: not a YuNet model (outputs {sorted(names)})")

    def raw(self, gray8):
        """(boxes, scores) scoring at least score_min; the 2022mar path is already suppressed."""
        bgr = cv2.cvtColor(gray8, cv2.COLOR_GRAY2BGR)
        h, w = gray8.shape[:2]
        if self.fdyn is not None:
            self.fdyn.setInputSize((w, h))
            _, faces = self.fdyn.detect(bgr)
            faces = [] if faces is None else faces
            return [[float(v) for v in f[:4]] for f in faces], [float(f[-1]) for f in faces]
        pad_w, pad_h = (w + 31) // 32 * 32, (h + 31) // 32 * 32
        padded = cv2.copyMakeBorder(bgr, 0, pad_h - h, 0, pad_w - w, cv2.BORDER_CONSTANT, 0)
        self.net.setInput(cv2.dnn.blobFromImage(padded))
        outs = dict(zip(self.names, self.net.forward(self.names)))
        outs["_w"] = pad_w
        return yunet_decode(outs, self.score_min)


class SsdRes10:
    """OpenCV's res10 SSD face detector (ResNet-10 backbone, 300x300 training input; OpenCV's
    samples/dnn/face_detector): the Caffe model (res10_300x300_ssd_iter_140000*.caffemodel +
    deploy.prototxt) or its 8-bit TensorFlow conversion (opencv_face_detector_uint8.pb +
    opencv_face_detector.pbtxt); cv2.dnn.readNet tells them apart by extension. Run at the
    (upscaled) image's own size, mean (104, 177, 123) as in OpenCV's sample."""

    def __init__(self, model, config, score_min):
        self.net = cv2.dnn.readNet(model, config)
        self.score_min = score_min

    nms_iou = None  # the network's DetectionOutput layer suppresses already

    def raw(self, gray8):
        h, w = gray8.shape[:2]
        bgr = cv2.cvtColor(gray8, cv2.COLOR_GRAY2BGR)
        self.net.setInput(cv2.dnn.blobFromImage(bgr, 1.0, (w, h), (104.0, 177.0, 123.0)))
        det = self.net.forward().reshape(-1, 7)
        boxes, scores = [], []
        for _, _, conf, x0, y0, x1, y1 in det:
            if conf >= self.score_min:
                boxes.append([float(x0 * w), float(y0 * h), float((x1 - x0) * w),
                              float((y1 - y0) * h)])
                scores.append(float(conf))
        return boxes, scores


def at_score(model, score_min):
    """A detector (gray8 -> boxes) keeping `model`'s candidates scoring at least score_min
    (suppressed at model.nms_iou when it is not None). Detectors made from one model share its
    last forward pass: the same image asked again at another threshold is not run twice."""

    def detector(gray8):
        key = (gray8.shape, hash(gray8.tobytes()))
        if getattr(model, "_last_key", None) != key:
            model._last = model.raw(gray8)
            model._last_key = key
        boxes, scores = model._last
        kept = [(b, s) for b, s in zip(boxes, scores) if s >= score_min]
        if model.nms_iou is None:
            return [b for b, _ in kept]
        return _nms([b for b, _ in kept], [s for _, s in kept], score_min, model.nms_iou)

    detector.target_w = TARGET_W
    return detector
