"""Grader for ch04_cnn/nms."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "tensorflow", "keras", "torch", "torchvision")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "non_max_suppression": {"boxes": "(n, 4)", "scores": "(n,)"},
}


def _random_boxes(rng, n, size=40.0, low=4.0, high=14.0):
    top_left = rng.uniform(0, size, size=(n, 2))
    return np.concatenate([top_left, top_left + rng.uniform(low, high, size=(n, 2))], axis=1)


def _kept(sub, *args, **kwargs):
    return np.asarray(sub.non_max_suppression(*args, **kwargs)).astype(np.int64).reshape(-1)


def _same_indices(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing from your results.")
        if got.shape != expected.shape or not np.array_equal(got, expected):
            raise AssertionError(f"{key}: kept indices {got.tolist()[:12]}, expected "
                                 f"{expected.tolist()[:12]} (best score first).")


@check(points=1, visible=True, compare=_same_indices)
def three_boxes(sub):
    """Two overlapping boxes and a separate one: the weaker overlapping box is suppressed."""
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    return {"kept": _kept(sub, boxes, [0.8, 0.9, 0.7], 10, iou_threshold=0.5)}


@check(points=1, compare=_same_indices)
def random_boxes(sub):
    """60 random boxes at IoU thresholds 0.5 and 0.2."""
    rng = np.random.default_rng(21)
    boxes, scores = _random_boxes(rng, 60), rng.uniform(size=60)
    return {"kept_at_0.5": _kept(sub, boxes, scores, 100, iou_threshold=0.5),
            "kept_at_0.2": _kept(sub, boxes, scores, 100, iou_threshold=0.2)}


@check(points=1, compare=_same_indices)
def score_threshold_and_max_output(sub):
    """score_threshold=0.4 drops weak boxes; max_output_size=5 stops early."""
    rng = np.random.default_rng(22)
    boxes, scores = _random_boxes(rng, 40), rng.uniform(size=40)
    return {"kept_above_0.4": _kept(sub, boxes, scores, 100, 0.5, 0.4),
            "first_5": _kept(sub, boxes, scores, 5, 0.5)}


@check(points=1, compare=_same_indices)
def strict_thresholds_and_ties(sub):
    """IoU exactly at the threshold survives, a score exactly at score_threshold is dropped, and
    equal scores go in index order."""
    boxes = [[0, 0, 10, 10], [0, 0, 10, 5], [30, 30, 40, 40], [50, 50, 60, 60]]
    return {"iou_at_threshold": _kept(sub, boxes, [0.9, 0.8, 0.7, 0.6], 10, iou_threshold=0.5),
            "score_at_threshold": _kept(sub, boxes, [0.9, 0.8, 0.7, 0.6], 10, 0.5, 0.7),
            "equal_scores": _kept(sub, boxes, [0.5, 0.5, 0.5, 0.5], 10, iou_threshold=0.4)}


@check(points=1, compare=_same_indices)
def normalised_and_empty_boxes(sub):
    """40 random boxes in normalised [0, 1] coordinates (every area and union below 1) at IoU
    thresholds 0.5 and 0.3; zero-area boxes (IoU 0, so never suppressed); iou_threshold = 1
    (nothing suppressed, not even a copy of a kept box)."""
    rng = np.random.default_rng(23)
    boxes, scores = _random_boxes(rng, 40, size=0.8, low=0.05, high=0.3), rng.uniform(size=40)
    points = [[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5], [0.2, 0.1, 0.2, 0.6], [0.1, 0.1, 0.3, 0.3]]
    copies = [[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 9], [30, 30, 40, 40]]
    return {"normalised_at_0.5": _kept(sub, boxes, scores, 100, iou_threshold=0.5),
            "normalised_at_0.3": _kept(sub, boxes, scores, 100, iou_threshold=0.3),
            "zero_area": _kept(sub, points, [0.9, 0.8, 0.7, 0.6], 10, iou_threshold=0.5),
            "iou_threshold_1": _kept(sub, copies, [0.9, 0.8, 0.7, 0.6], 10, iou_threshold=1.0)}


@check(points=1, compare=_same_indices, requires=("three_boxes", "random_boxes"))
def nothing_to_keep(sub):
    """No boxes, all boxes below score_threshold, and max_output_size=0 give empty results."""
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11]]
    return {"no_boxes": _kept(sub, np.zeros((0, 4)), np.zeros(0), 10),
            "all_below": _kept(sub, boxes, [0.1, 0.2], 10, 0.5, 0.5),
            "max_zero": _kept(sub, boxes, [0.1, 0.2], 0)}
