"""Grader for ch04_cnn/iou."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "tensorflow", "keras", "torch", "torchvision")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "box_area": {"boxes": "(n, 4)"},
    "pairwise_iou": {"boxes_a": "(n, 4)", "boxes_b": "(m, 4)"},
    "corners_to_centers": {"boxes": "(n, 4)"},
    "centers_to_corners": {"boxes": "(n, 4)"},
}


def _random_boxes(rng, n, size=20.0):
    """n corner boxes with positive sides inside a size x size image."""
    corners = rng.uniform(0, size, size=(n, 2, 2))
    low, high = corners.min(axis=1), corners.max(axis=1)
    return np.concatenate([low, high], axis=1)


@check(points=1, visible=True)
def iou_of_a_few_boxes(sub):
    """[0, 0, 2, 2] against a shifted box (IoU 1/7), itself (1) and a far box (0)."""
    return {"iou": sub.pairwise_iou([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2], [5, 5, 6, 6]])}


@check(points=1)
def random_pairwise_iou(sub):
    """A (7, 5) IoU matrix of random boxes, and a (1, 9) one."""
    rng = np.random.default_rng(11)
    a, b = _random_boxes(rng, 7), _random_boxes(rng, 5)
    return {"iou_7x5": sub.pairwise_iou(a, b),
            "iou_1x9": sub.pairwise_iou(a[:1], _random_boxes(rng, 9, size=5.0))}


@check(points=1)
def edge_cases(sub):
    """Containment, touching edges, disjoint boxes and zero-area boxes (IoU 0 for an empty union)."""
    a = np.array([[0, 0, 10, 10], [0, 0, 4, 4], [2, 2, 2, 2], [3, 3, 3, 8]], dtype=float)
    b = np.array([[2, 2, 6, 6], [4, 0, 8, 4], [20, 20, 30, 30], [2, 2, 2, 2]], dtype=float)
    return {"iou": sub.pairwise_iou(a, b), "area": sub.box_area(np.concatenate([a, b]))}


@check(points=1, hint="Boxes may be in normalised [0, 1] coordinates, where every area and union is "
                      "below 1: IoU is 0 only where the union is exactly 0.")
def normalised_coordinates(sub):
    """Random boxes in normalised [0, 1] coordinates (every union below 1): a (6, 4) IoU matrix,
    and a box against itself and its left half (IoU 1 and 0.5)."""
    rng = np.random.default_rng(12)
    a, b = _random_boxes(rng, 6, size=1.0), _random_boxes(rng, 4, size=1.0)
    box = np.array([[0.25, 0.5, 0.75, 0.75]])
    return {"iou_normalised": sub.pairwise_iou(a, b),
            "iou_self_and_half": sub.pairwise_iou(box, [[0.25, 0.5, 0.75, 0.75], [0.25, 0.5, 0.75, 0.625]]),
            "area_normalised": sub.box_area(a)}


@check(points=1)
def centre_form(sub):
    """corners_to_centers and centers_to_corners on random boxes, and box_area."""
    rng = np.random.default_rng(5)
    corners = _random_boxes(rng, 6)
    centres = np.column_stack([rng.uniform(0, 20, (4, 2)), rng.uniform(0.5, 6, (4, 2))])
    return {"centres": sub.corners_to_centers(corners),
            "corners": sub.centers_to_corners(centres),
            "area": sub.box_area(corners)}
