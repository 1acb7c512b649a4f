# %% [markdown]
"""Non-maximum suppression (6 points)

A detector fires on many overlapping boxes around each object. Greedy non-maximum suppression
keeps the best box of each cluster:

    drop every box with score <= score_threshold
    repeat while boxes remain and fewer than max_output_size are kept:
        take the remaining box with the highest score (the lower index among equal scores)
        keep it, and remove it together with every remaining box B with IoU(kept, B) > iou_threshold

Boxes are corners (y1, x1, y2, x2) with y1 <= y2, x1 <= x2, and

    IoU(A, B) = area(A intersect B) / (area(A) + area(B) - area(A intersect B))

(0 when the union is empty). Note the strict inequalities: a box overlapping a kept box by
exactly iou_threshold survives, and a box scoring exactly score_threshold is dropped -- the
semantics of tf.image.non_max_suppression.

Implement `non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
score_threshold=-inf)` with numpy: boxes (n, 4), scores (n,); return the kept indices as an
integer array of shape (k,), k <= max_output_size, in the order they were kept (best first).
With no box left, return an empty integer array of shape (0,).

Every detector of the lecture ends with this step: sliding windows and R-CNN on their scored
windows or proposals (per class), and Faster R-CNN twice -- once to thin out the region
proposal network's ~20000 anchors to ~2000 proposals, once on the final detections.

You may not use dlcourse.detection, TensorFlow (tf.image.non_max_suppression), Keras, torch or
torchvision (torchvision.ops.nms).
"""

# %%
import numpy as np


# %%
def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf")):
    """Indices of the boxes greedy NMS keeps, best score first; int array of shape (k,)."""
    # YOUR CODE HERE
    raise NotImplementedError()
