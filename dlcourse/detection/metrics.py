"""Evaluating detectors: matching detections to ground truth, average precision, mAP.

Lecture: §4.4 Object Detection

Chapter 4 (object detection). Beyond the notes: they stop before evaluation; a detection is
judged by the notes' IoU J(A, B) with a ground-truth box, and the detector by mAP.

The PASCAL VOC protocol (Everingham et al., 2010; the all-point interpolation used since VOC
2010): per class, detections of all images are ranked by score; a detection is a true positive
if the ground-truth box of its class in its image that it overlaps most has IoU >= the
threshold (0.5) and is not matched yet, otherwise a false positive (so duplicates count as
false). Average precision is the area under the interpolated precision-recall curve; mAP is its
mean over classes.
"""

import numpy as np

from dlcourse.detection.boxes import pairwise_iou

__all__ = ["average_precision", "match_detections", "mean_average_precision"]


def average_precision(scores, is_true_positive, n_ground_truth):
    """VOC all-point interpolated average precision of one class's ranked detections.

    Rank detections by decreasing score. After the k-th detection

        precision_k = TP_k / k,        recall_k = TP_k / n_ground_truth,

    the interpolated precision at recall r is the best precision at any recall >= r,
    p_interp(r) = max_{k : recall_k >= r} precision_k, and

        AP = sum_k (recall_k - recall_{k-1}) * p_interp(recall_k),    recall_0 = 0.

    Args:
        scores: array of shape (n,), the detections' confidences.
        is_true_positive: array of shape (n,), 1 for a true positive, 0 for a false positive.
        n_ground_truth: the number of ground-truth objects of the class (>= the true positives).

    Returns:
        AP as a float in [0, 1]; 0 when there is no ground truth.

    Example:

    >>> from dlcourse.detection import average_precision
    >>> average_precision([0.9, 0.8, 0.7], [1, 0, 1], n_ground_truth=2)
    0.8333333333333333
    """
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    hits = np.asarray(is_true_positive, dtype=np.float64).reshape(-1)
    if len(scores) != len(hits):
        raise ValueError(f"is_true_positive must have one entry per score: {len(scores)} scores, "
                         f"{len(hits)} entries.")
    if hits.sum() > n_ground_truth:
        raise ValueError(f"n_ground_truth must be at least the number of true positives "
                         f"({int(hits.sum())}), got {n_ground_truth!r}.")
    if n_ground_truth == 0:
        return 0.0
    hits = hits[np.argsort(-scores, kind="stable")]
    true_positives = np.cumsum(hits)
    recall = np.concatenate([[0.0], true_positives / n_ground_truth])
    precision = true_positives / np.arange(1, len(hits) + 1)
    # The interpolation: the running maximum from the right.
    interpolated = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * interpolated))


def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    """Mark each detection of one image and one class as a true or a false positive.

    The PASCAL VOC rule: detections are visited by decreasing score; each finds the ground-truth
    box it overlaps most. If that IoU is >= iou_threshold and the box is not matched yet, the
    detection is a true positive and matches it; otherwise it is a false positive -- so a second
    detection of an already matched object counts as false.

    Args:
        boxes: array of shape (n, 4), the detections, corner form.
        scores: array of shape (n,).
        gt_boxes: array of shape (m, 4), the ground-truth boxes of that class in that image.
        iou_threshold: the least IoU of a true positive.

    Returns:
        int64 array of shape (n,): 1 for a true positive, 0 otherwise, in the input order.

    Example:

    >>> from dlcourse.detection import match_detections
    >>> match_detections([[0, 0, 10, 10], [0, 0, 10, 9]], [0.6, 0.9], [[0, 0, 10, 10]]).tolist()
    [0, 1]
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    gt_boxes = np.asarray(gt_boxes, dtype=np.float64).reshape(-1, 4)
    hits = np.zeros(len(boxes), dtype=np.int64)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return hits
    iou = pairwise_iou(boxes, gt_boxes)
    matched = np.zeros(len(gt_boxes), dtype=bool)
    for i in np.argsort(-np.asarray(scores, dtype=np.float64).reshape(-1), kind="stable"):
        best = int(np.argmax(iou[i]))
        if iou[i, best] >= iou_threshold and not matched[best]:
            matched[best] = True
            hits[i] = 1
    return hits


def mean_average_precision(detections, ground_truths, num_classes, iou_threshold=0.5):
    """Mean over classes of the VOC average precision at an IoU threshold (mAP@0.5 by default).

    Args:
        detections: one (boxes, labels, scores) tuple per image: boxes (n_i, 4) corner form,
            labels (n_i,) integer classes in [0, num_classes), scores (n_i,).
        ground_truths: one (boxes, labels) tuple per image, same images in the same order.
        num_classes: number of object classes (no background class).
        iou_threshold: the least IoU of a true positive.

    Returns:
        (mAP, per_class_ap): mAP a float, the mean over the classes that have ground truth;
        per_class_ap a float64 array of shape (num_classes,) (NaN for a class without ground
        truth).

    Example:

    >>> from dlcourse.detection import mean_average_precision
    >>> dets = [([[0, 0, 10, 10]], [0], [0.9])]
    >>> gts = [([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1])]
    >>> mean_average_precision(dets, gts, num_classes=2)[0]
    0.5
    """
    if len(detections) != len(ground_truths):
        raise ValueError(f"detections and ground_truths must describe the same images: "
                         f"{len(detections)} and {len(ground_truths)} entries.")
    per_class = np.full(num_classes, np.nan)
    for c in range(num_classes):
        all_scores, all_hits, n_ground_truth = [], [], 0
        for (boxes, labels, scores), (gt_boxes, gt_labels) in zip(detections, ground_truths):
            boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
            labels, scores = np.asarray(labels).reshape(-1), np.asarray(scores).reshape(-1)
            gt_boxes = np.asarray(gt_boxes, dtype=np.float64).reshape(-1, 4)
            gt_labels = np.asarray(gt_labels).reshape(-1)
            mine, gt_mine = labels == c, gt_labels == c
            n_ground_truth += int(gt_mine.sum())
            all_scores.append(scores[mine])
            all_hits.append(match_detections(boxes[mine], scores[mine], gt_boxes[gt_mine],
                                             iou_threshold))
        if n_ground_truth:
            per_class[c] = average_precision(np.concatenate(all_scores), np.concatenate(all_hits),
                                             n_ground_truth)
    has_truth = ~np.isnan(per_class)
    return (float(per_class[has_truth].mean()) if has_truth.any() else 0.0), per_class
