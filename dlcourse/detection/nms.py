"""Greedy non-maximum suppression (chapter 4, object detection).

Lecture: §4.4 Object Detection

Beyond the notes: they never mention NMS, but the sliding-window and R-CNN detectors they
describe both need it, to turn many overlapping scored boxes into one detection per object.

A detector fires on many overlapping windows or proposals around each object; NMS keeps the
best-scoring box of each cluster. Same selection as `tf.image.non_max_suppression`, which is the
production op (this is the readable numpy loop, and the tests check that both agree).
"""

import numpy as np

from dlcourse.arguments import int_at_least
from dlcourse.detection.boxes import pairwise_iou

__all__ = ["non_max_suppression", "non_max_suppression_per_class"]


def non_max_suppression(boxes, scores, max_output_size=100, iou_threshold=0.5,
                        score_threshold=float("-inf")):
    """Indices of the boxes that greedy non-maximum suppression keeps, best score first.

    Drop boxes with score <= score_threshold. Then repeat: take the highest-scoring remaining
    box (the lower index among equal scores), keep it, and remove every remaining box whose
    IoU with it is > iou_threshold; stop when no box is left or `max_output_size` are kept.

    Args:
        boxes: array of shape (n, 4), corner form (y1, x1, y2, x2).
        scores: array of shape (n,).
        max_output_size: the most boxes to keep, an integer >= 0.
        iou_threshold: boxes overlapping a kept box by more than this are suppressed, in [0, 1].
        score_threshold: boxes scoring this or less are never kept.

    Returns:
        int64 array of shape (k,), k <= max_output_size: indices into `boxes`, in the order
        they were kept (decreasing score).

    Example:

    >>> from dlcourse.detection import non_max_suppression
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> non_max_suppression(boxes, [0.9, 0.8, 0.7]).tolist()
    [0, 2]
    """
    int_at_least("max_output_size", max_output_size, 0)
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must be in [0, 1], got {iou_threshold!r}.")
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(scores) != len(boxes):
        raise ValueError(f"scores must hold one score per box: {len(boxes)} boxes, "
                         f"{len(scores)} scores.")
    # A stable sort keeps the lower index first among equal scores, as TensorFlow does.
    order = np.argsort(-scores, kind="stable")
    order = order[scores[order] > score_threshold]
    iou = pairwise_iou(boxes[order], boxes[order])
    suppressed = np.zeros(len(order), dtype=bool)
    keep = []
    for i in range(len(order)):
        if len(keep) == max_output_size:
            break
        if suppressed[i]:
            continue
        keep.append(order[i])
        suppressed |= iou[i] > iou_threshold
    return np.asarray(keep, dtype=np.int64)


def non_max_suppression_per_class(boxes, scores, labels, max_output_size=100, iou_threshold=0.5,
                                  score_threshold=float("-inf")):
    """Greedy NMS run separately for each class: boxes of different classes never suppress.

    Args:
        boxes: array of shape (n, 4), corner form.
        scores: array of shape (n,).
        labels: int array of shape (n,), the class of each box.
        max_output_size: the most boxes kept per class.
        iou_threshold, score_threshold: as in `non_max_suppression`.

    Returns:
        int64 array of shape (k,): kept indices, class by class in increasing label order, best
        score first within a class.

    Example:

    >>> from dlcourse.detection import non_max_suppression_per_class
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]]
    >>> non_max_suppression_per_class(boxes, [0.9, 0.8, 0.7], [0, 0, 1]).tolist()
    [0, 2]
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    labels = np.asarray(labels).reshape(-1)
    if len(scores) != len(boxes):
        raise ValueError(f"scores must hold one score per box: {len(boxes)} boxes, "
                         f"{len(scores)} scores.")
    if len(labels) != len(boxes):
        raise ValueError(f"labels must hold one class label per box: {len(boxes)} boxes, "
                         f"{len(labels)} labels.")
    keep = [np.zeros(0, dtype=np.int64)]
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        kept = non_max_suppression(boxes[members], scores[members], max_output_size,
                                   iou_threshold, score_threshold)
        keep.append(members[kept])
    return np.concatenate(keep)
