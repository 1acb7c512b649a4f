# %% [markdown]
"""Non-maximum suppression (6 points)
Lecture: §4.4 Object Detection

A detector fires on many overlapping boxes around each object. Greedy non-maximum suppression
keeps the best box of each cluster:

    drop every box with score <= score_threshold
    repeat while boxes remain and fewer than max_output_size are kept:
        take the remaining box with the highest score (the lower index among equal scores)
        keep it, and remove it together with every remaining box B with IoU(kept, B) > iou_threshold

Boxes are corners (y1, x1, y2, x2) with y1 <= y2, x1 <= x2 (a box may have zero area), in pixels
or normalised to [0, 1] (divided by the image's height and width, as most detectors store
them), and IoU is the notes' J(A, B) = (A intersect B) / (A union B) for boxes:

    IoU(A, B) = area(A intersect B) / (area(A) + area(B) - area(A intersect B))

(0 when the union is empty). Note the strict inequalities: a box overlapping a kept box by
exactly iou_threshold survives (so iou_threshold = 1 suppresses nothing), and a box scoring
exactly score_threshold is dropped -- the semantics of tf.image.non_max_suppression.

Implement `non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
score_threshold=-inf)` with numpy: boxes (n, 4), scores (n,); return the kept indices as an
integer array of shape (k,), k <= max_output_size, in the order they were kept (best first).
With no box left, return an empty integer array of shape (0,).

Beyond the notes: they never mention NMS, but both detectors they describe need it -- the
sliding window and R-CNN score many overlapping windows or proposals around each object, and
NMS (per class) keeps one of them. Faster R-CNN (also beyond the notes) uses it twice: once to
thin out its region proposal network's ~20000 anchors to ~2000 proposals, once on the final
detections.

You may not use dlcourse.detection, tensorflow (tf.image.non_max_suppression), keras, torch or
torchvision (torchvision.ops.nms).
"""

# %%
import numpy as np


# %%
def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf")):
    """Indices of the boxes greedy NMS keeps, best score first; int array of shape (k,)."""
    ### BEGIN SOLUTION
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float).reshape(-1)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    remaining = [i for i in np.argsort(-scores, kind="stable") if scores[i] > score_threshold]
    keep = []
    while remaining and len(keep) < max_output_size:
        best, rest = remaining[0], np.array(remaining[1:], dtype=int)
        keep.append(best)
        height = np.minimum(boxes[best, 2], boxes[rest, 2]) - np.maximum(boxes[best, 0], boxes[rest, 0])
        width = np.minimum(boxes[best, 3], boxes[rest, 3]) - np.maximum(boxes[best, 1], boxes[rest, 1])
        intersection = np.maximum(height, 0) * np.maximum(width, 0)
        union = areas[best] + areas[rest] - intersection
        iou = np.divide(intersection, union, out=np.zeros(len(rest)), where=union > 0)
        remaining = [int(i) for i in rest[iou <= iou_threshold]]
    return np.array(keep, dtype=np.int64)
    ### END SOLUTION
