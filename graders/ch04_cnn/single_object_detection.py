"""Grader for ch04_cnn/single_object_detection."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "keras", "tensorflow", "torch", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "normalized_centers": {"boxes": "(N, 4)"},
    "classification_loss": {"scores": "(N, C)", "y": "(N, C)"},
    "localization_loss": {"box_pred": "(N, 4)", "box_true": "(N, 4)"},
    "detection_loss": {"scores": "(N, C)", "box_pred": "(N, 4)", "y": "(N, C)", "box_true": "(N, 4)"},
}


def _one_hot(labels, num_classes):
    return np.eye(num_classes)[np.asarray(labels)]


def _problem(seed, n, num_classes, score_scale=2.0):
    """Scores, predicted boxes, one-hot labels and true boxes of n images; boxes in [0, 1]."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, score_scale, size=(n, num_classes))
    y = _one_hot(rng.integers(0, num_classes, size=n), num_classes)
    box_true = np.column_stack([rng.uniform(0.2, 0.8, (n, 2)), rng.uniform(0.1, 0.6, (n, 2))])
    box_pred = np.clip(box_true + rng.normal(0, 0.1, size=(n, 4)), 0, 1)
    return scores, box_pred, y, box_true


def _total(prefix, result):
    loss, grad = result
    return {f"{prefix}loss": float(loss), f"{prefix}grad": np.asarray(grad, dtype=float)}


@check(points=1, visible=True)
def two_images_by_hand(sub):
    """Boxes of a 32 x 48 image (H = 32 rows, W = 48 columns) in normalised centre form, and
    the class loss, box loss and total (lambda = 1) of 2 images with 3 classes."""
    boxes = np.array([[0, 0, 32, 48], [8, 12, 24, 36]], dtype=float)
    scores = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 1.0]])
    y = _one_hot([0, 2], 3)
    box_true = np.array([[0.5, 0.5, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]])
    box_pred = np.array([[0.4, 0.5, 0.9, 1.0], [0.5, 0.75, 0.5, 0.25]])
    return {"centres": sub.normalized_centers(boxes, 32, 48),
            "l_cls": float(sub.classification_loss(scores, y)),
            "l_box": float(sub.localization_loss(box_pred, box_true)),
            **_total("", sub.detection_loss(scores, box_pred, y, box_true, 1.0))}


@check(points=1, hint="L_cls = -1/N sum_i sum_j y_ij log p_ij, with log p_ij = (s_ij - m_i) - "
                      "log sum_k exp(s_ik - m_i) and m_i the largest score of row i.")
def cross_entropy(sub):
    """L_cls of 20 images with 5 classes, of 1 image, and of scores of size 1000 (stable)."""
    scores, _, y, _ = _problem(1, 20, 5)
    one_scores, _, one_y, _ = _problem(2, 1, 4)
    large = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -1000.0], [-1000.0, 0.0, 1000.0]])
    return {"l_cls": float(sub.classification_loss(scores, y)),
            "l_cls_one_image": float(sub.classification_loss(one_scores, one_y)),
            "l_cls_large_scores": float(sub.classification_loss(large, _one_hot([1, 2, 0], 3)))}


@check(points=1, hint="L_box = 1/N sum_i sum_k (b_ik - b^_ik)^2: summed over x, y, w, h, averaged "
                      "over the N images; L = L_cls + lambda * L_box.")
def box_loss_and_total(sub):
    """L_box of 16 images and of 1 image, and the total L for lambda = 0.5, 5 and 0."""
    scores, box_pred, y, box_true = _problem(3, 16, 4)
    _, one_pred, _, one_true = _problem(4, 1, 4)
    return {"l_box": float(sub.localization_loss(box_pred, box_true)),
            "l_box_one_image": float(sub.localization_loss(one_pred, one_true)),
            "loss_lambda_0.5": float(sub.detection_loss(scores, box_pred, y, box_true, 0.5)[0]),
            "loss_lambda_5": float(sub.detection_loss(scores, box_pred, y, box_true, 5.0)[0]),
            "loss_lambda_0": float(sub.detection_loss(scores, box_pred, y, box_true, 0.0)[0])}


@check(points=1, hint="dL/db^ = 2 lambda (b^ - b) / N, an array of box_pred's shape (N, 4).")
def box_gradient(sub):
    """dL/dbox_pred for 9 images with lambda = 2.5, for 1 image, and for lambda = 0 (zero)."""
    scores, box_pred, y, box_true = _problem(5, 9, 3)
    one = _problem(6, 1, 3)
    return {**_total("", sub.detection_loss(scores, box_pred, y, box_true, 2.5)),
            **_total("one_image_", sub.detection_loss(*one, 1.0)),
            **_total("lambda_0_", sub.detection_loss(scores, box_pred, y, box_true, 0.0))}


@check(points=1, hint="x and w are divided by the width W (columns), y and h by the height H (rows); "
                      "boxes are (y1, x1, y2, x2).")
def normalised_boxes(sub):
    """Random pixel boxes of a 24 x 40 image and of a 50 x 30 one, the whole image, a box in
    a corner, and one box alone."""
    rng = np.random.default_rng(7)
    out = {}
    for name, (height, width) in {"24x40": (24, 40), "50x30": (50, 30)}.items():
        corners = np.sort(rng.uniform(0, 1, size=(6, 2, 2)), axis=1) * [height, width]
        boxes = np.concatenate([corners[:, 0], corners[:, 1]], axis=1)
        boxes = np.concatenate([boxes, [[0, 0, height, width], [0, width - 5, 3, width]]])
        out[name] = sub.normalized_centers(boxes, height, width)
    out["one_box"] = sub.normalized_centers(np.array([[2.0, 3.0, 10.0, 7.0]]), 12, 16)
    return out
