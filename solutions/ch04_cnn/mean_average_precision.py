# %% [markdown]
"""Mean average precision (5 points)
Lecture: §4.4 Object Detection

Detectors are compared by mean average precision (mAP) at IoU 0.5, the PASCAL VOC measure.
Beyond the notes: they stop before evaluating detectors; a detection is judged by the notes'
IoU with a true box, J(A, B) = (A intersect B) / (A union B). Boxes are corners (y1, x1, y2, x2);
IoU(A, B) = area(A intersect B) / area(A union B).

1. Matching (one image, one class). Visit the detections by decreasing score (the lower index
   first among equal scores). Each finds the ground-truth box it overlaps most (the first such
   box among equal IoUs). If that IoU >= iou_threshold and that box is not matched yet, the
   detection is a true positive (1) and the box becomes matched; otherwise it is a false
   positive (0) -- a second detection of the same object counts as false.

2. Average precision (one class, over all images). Rank all detections by decreasing score
   (stable: ties keep their given order). After the k-th detection

       precision_k = TP_k / k,        recall_k = TP_k / n_ground_truth

   with TP_k the true positives among the first k. Interpolate: p_interp(k) = max over j >= k
   of precision_j. Then (all-point interpolation, VOC 2010 onwards)

       AP = sum_k (recall_k - recall_{k-1}) * p_interp(k),     recall_0 = 0.

   AP is 0 when n_ground_truth is 0.

3. mAP = the mean of AP over the classes that have at least one ground-truth box (a class with
   a single ground-truth box in all the images counts).

Implement with numpy (the helper `_iou(boxes, gt_boxes)` below is given: the (n, m) IoU matrix):
- `match_detections(boxes, scores, gt_boxes, iou_threshold=0.5)`: boxes (n, 4), scores (n,),
  gt_boxes (m, 4) -> int array (n,) of 1 (true positive) / 0, in the input order.
- `average_precision(scores, is_true_positive, n_ground_truth)`: scores (n,) and
  is_true_positive (n,) of 1 / 0 (as match_detections gives them), the detections of one
  class over all images -> a float.
- `mean_average_precision(detections, ground_truths, num_classes, iou_threshold=0.5)`:
  detections a list with one (boxes (n_i, 4), labels (n_i,), scores (n_i,)) tuple per image,
  ground_truths a list with one (boxes (m_i, 4), labels (m_i,)) tuple per image, labels in
  0 .. num_classes - 1. Return (mAP, per_class_ap): per_class_ap a float array of shape
  (num_classes,) with NaN for a class without ground truth.

You may not use dlcourse.detection, sklearn.metrics, torchmetrics, pycocotools, tensorflow,
keras or torch.
"""

# %%
import numpy as np


# %%
def _area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _iou(boxes, gt_boxes):
    """IoU matrix (n, m) of corner boxes (n, 4) against (m, 4)."""
    top_left = np.maximum(boxes[:, None, :2], gt_boxes[None, :, :2])
    bottom_right = np.minimum(boxes[:, None, 2:], gt_boxes[None, :, 2:])
    intersection = np.prod(np.maximum(bottom_right - top_left, 0), axis=-1)
    union = _area(boxes)[:, None] + _area(gt_boxes)[None, :] - intersection
    return np.divide(intersection, union, out=np.zeros_like(intersection), where=union > 0)


# %%
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    """1 for each true positive, 0 for each false positive; int array of shape (n,)."""
    ### BEGIN SOLUTION
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    gt_boxes = np.asarray(gt_boxes, dtype=float).reshape(-1, 4)
    hits = np.zeros(len(boxes), dtype=int)
    if len(gt_boxes) == 0:
        return hits
    iou = _iou(boxes, gt_boxes)
    matched = np.zeros(len(gt_boxes), dtype=bool)
    for i in np.argsort(-np.asarray(scores, dtype=float), kind="stable"):
        j = np.argmax(iou[i])
        if iou[i, j] >= iou_threshold and not matched[j]:
            matched[j] = True
            hits[i] = 1
    return hits
    ### END SOLUTION


# %%
def average_precision(scores, is_true_positive, n_ground_truth):
    """VOC all-point interpolated AP of one class's detections; a float."""
    ### BEGIN SOLUTION
    if n_ground_truth == 0:
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    hits = np.asarray(is_true_positive, dtype=float)[order]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / n_ground_truth
    ap, previous_recall = 0.0, 0.0
    for k in range(len(hits)):
        ap += (recall[k] - previous_recall) * precision[k:].max()
        previous_recall = recall[k]
    return float(ap)
    ### END SOLUTION


# %%
def mean_average_precision(detections, ground_truths, num_classes, iou_threshold=0.5):
    """Return (mAP, per-class AP of shape (num_classes,), NaN where a class has no ground truth)."""
    ### BEGIN SOLUTION
    per_class = np.full(num_classes, np.nan)
    for c in range(num_classes):
        scores, hits, n_ground_truth = [], [], 0
        for (boxes, labels, det_scores), (gt_boxes, gt_labels) in zip(detections, ground_truths):
            boxes, labels = np.asarray(boxes, dtype=float).reshape(-1, 4), np.asarray(labels)
            det_scores = np.asarray(det_scores, dtype=float)
            gt_boxes, gt_labels = np.asarray(gt_boxes, dtype=float).reshape(-1, 4), np.asarray(gt_labels)
            n_ground_truth += int(np.sum(gt_labels == c))
            scores.extend(det_scores[labels == c])
            hits.extend(match_detections(boxes[labels == c], det_scores[labels == c],
                                         gt_boxes[gt_labels == c], iou_threshold))
        if n_ground_truth > 0:
            per_class[c] = average_precision(scores, hits, n_ground_truth)
    valid = ~np.isnan(per_class)
    return (float(per_class[valid].mean()) if valid.any() else 0.0), per_class
    ### END SOLUTION
