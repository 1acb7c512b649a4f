"""Grader for ch04_cnn/mean_average_precision."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "sklearn.metrics", "torchmetrics", "pycocotools",
             "tensorflow", "keras", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "match_detections": {"boxes": "(n, 4)", "scores": "(n,)", "gt_boxes": "(m, 4)"},
    "average_precision": {"scores": "(n,)", "is_true_positive": "(n,)"},
    "mean_average_precision": {},
}


@check(points=1, visible=True, rtol=1e-9, atol=1e-9)
def ap_of_a_short_ranking(sub):
    """Detections TP, FP, TP (by score) for 2 objects: AP = 1/2 * 1 + 1/2 * 2/3 = 5/6."""
    return {"ap": float(sub.average_precision([0.9, 0.8, 0.7], [1, 0, 1], 2))}


def _same_ap(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing from your results.")
        if got.shape != ():
            raise AssertionError(f"average_precision returned shape {got.shape} for `{key}`, expected a float.")
        if not np.isclose(float(got), float(expected), rtol=1e-9, atol=1e-9):
            hint = (" Rank with a stable sort: among equal scores the detection given first comes first "
                    "(np.argsort(-scores, kind='stable'); reversing an ascending sort reverses the ties)."
                    if key.startswith("tied") else "")
            raise AssertionError(f"`{key}` is {float(got):.6g}, expected {float(expected):.6g}.{hint}")


@check(points=1, compare=_same_ap)
def ap_of_random_rankings(sub):
    """Random rankings, some with missed objects (n_ground_truth > true positives), unsorted
    scores, a class without ground truth (AP 0), and rankings with tied scores (stable order)."""
    rng = np.random.default_rng(31)
    out = {}
    for k in range(4):
        n = int(rng.integers(5, 30))
        hits = (rng.uniform(size=n) < 0.5).astype(int)
        missed = int(rng.integers(0, 4))
        out[f"ap{k}"] = float(sub.average_precision(rng.uniform(size=n), hits, hits.sum() + missed))
    out["no_ground_truth"] = float(sub.average_precision([0.3, 0.2], [0, 0], 0))
    # Stable order: AP = 1/3 * 1/2 + 1/3 * 2/5 = 0.3; with the three 0.6s reversed it is 4/15.
    out["tied_short"] = float(sub.average_precision([0.9, 0.6, 0.6, 0.6, 0.3], [0, 1, 0, 0, 1], 3))
    # 40 detections on 5 score levels: long enough for an unstable sort to reorder the ties.
    rng = np.random.default_rng(31)
    scores = np.round(rng.uniform(size=40) * 4) / 4
    hits = (rng.uniform(size=40) < 0.5).astype(int)
    out["tied_long"] = float(sub.average_precision(scores, hits, hits.sum() + 2))
    return out


_MATCH_HINTS = {
    "iou_exactly_0.5": "an IoU equal to the threshold counts: the test is IoU >= iou_threshold",
    "tied_scores": "among equal scores the detection given first is visited first: sort stably",
}


def _same_matches(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing from your results.")
        if got.shape != expected.shape:
            raise AssertionError(f"match_detections returned shape {got.shape} for `{key}`, "
                                 f"expected {expected.shape} (one entry per detection).")
        wrong = np.flatnonzero(got != expected)
        if len(wrong):
            k = int(wrong[0])
            hint = _MATCH_HINTS.get(key, "visit detections by decreasing score; each may only take the "
                                         "ground-truth box it overlaps most, and only if that box is still "
                                         "unmatched and IoU >= the threshold")
            raise AssertionError(f"{key}: detection {k} is marked {int(got[k])}, expected {int(expected[k])} "
                                 f"({hint}).")


@check(points=1, compare=_same_matches)
def matching_with_duplicates(sub):
    """Two detections of one object (the higher score wins), a detection whose best box is
    already taken (false, even though another box overlaps it by more than 0.5), a detection far
    from any object, an image without ground truth, an IoU of exactly 0.5 (a match at 0.5), and
    three detections of one object with equal scores (the first one given wins)."""
    gt = [[0, 0, 10, 10], [0, 3, 10, 13]]
    boxes = [[0, 0, 10, 9], [0, 0, 10, 10], [0, 1, 10, 11], [20, 20, 30, 30], [0, 3, 10, 12]]
    scores = [0.7, 0.9, 0.8, 0.95, 0.6]
    hits = np.asarray(sub.match_detections(boxes, scores, gt, 0.5)).astype(np.int64)
    strict = np.asarray(sub.match_detections(boxes, scores, gt, 0.75)).astype(np.int64)
    empty = np.asarray(sub.match_detections(boxes[:2], scores[:2], np.zeros((0, 4)))).astype(np.int64)
    # IoU 50 / 100 = 0.5 and 40 / 100 = 0.4, both exact in floating point.
    at_threshold = sub.match_detections([[0, 0, 10, 5], [20, 20, 30, 24]], [0.5, 0.6],
                                        [[0, 0, 10, 10], [20, 20, 30, 30]], 0.5)
    tied = sub.match_detections([[0, 0, 10, 9], [0, 0, 10, 10], [0, 1, 10, 10]], [0.8, 0.8, 0.8],
                                [[0, 0, 10, 10]], 0.5)
    return {"is_true_positive": hits, "at_iou_0.75": strict, "no_ground_truth": empty.reshape(-1),
            "iou_exactly_0.5": np.asarray(at_threshold).astype(np.int64),
            "tied_scores": np.asarray(tied).astype(np.int64)}


def _scene(rng, n_images=6, num_classes=3):
    """Ground truth on a few images and noisy detections: shifted copies, duplicates, misses."""
    detections, ground_truths = [], []
    for _ in range(n_images):
        m = int(rng.integers(1, 5))
        top_left = rng.uniform(0, 40, size=(m, 2))
        gt_boxes = np.concatenate([top_left, top_left + rng.uniform(5, 15, size=(m, 2))], axis=1)
        gt_labels = rng.integers(0, num_classes - 1, size=m)  # the last class never occurs
        copies = rng.integers(0, 3, size=m)
        boxes = np.repeat(gt_boxes, copies, axis=0) + rng.normal(0, 1.5, size=(copies.sum(), 4))
        labels = np.repeat(gt_labels, copies)
        false = int(rng.integers(0, 3))
        corner = rng.uniform(0, 40, size=(false, 2))
        boxes = np.concatenate([boxes, np.concatenate([corner, corner + 8], axis=1)])
        labels = np.concatenate([labels, rng.integers(0, num_classes, size=false)])
        scores = rng.uniform(size=len(boxes))
        detections.append((boxes, labels, scores))
        ground_truths.append((gt_boxes, gt_labels))
    return detections, ground_truths


@check(points=1)
def map_over_images(sub):
    """mAP@0.5 and per-class AP over 6 images (a class without ground truth is NaN), and mAP@0.75."""
    detections, ground_truths = _scene(np.random.default_rng(33))
    value, per_class = sub.mean_average_precision(detections, ground_truths, 3, 0.5)
    strict, _ = sub.mean_average_precision(detections, ground_truths, 3, 0.75)
    return {"map": float(value), "per_class_ap": np.asarray(per_class, dtype=float),
            "map_at_0.75": float(strict)}


@check(points=1)
def class_with_one_object(sub):
    """Two images; class 0 has a single ground-truth box in all of them (found after a false
    positive: AP 1/2), class 1 two boxes (AP 1), class 2 none (NaN): mAP = 3/4."""
    ground_truths = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]], dtype=float), np.array([0, 1])),
                     (np.array([[5, 5, 15, 15]], dtype=float), np.array([1]))]
    detections = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 50, 50]], dtype=float),
                   np.array([0, 1, 0]), np.array([0.6, 0.8, 0.9])),
                  (np.array([[5, 5, 15, 15]], dtype=float), np.array([1]), np.array([0.7]))]
    value, per_class = sub.mean_average_precision(detections, ground_truths, 3, 0.5)
    return {"map": float(value), "per_class_ap": np.asarray(per_class, dtype=float)}
