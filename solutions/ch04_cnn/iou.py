# %% [markdown]
"""Intersection over union (5 points)
Lecture: §4.4 Object Detection

A detector's box is judged by how much it overlaps the object's true box. The notes measure the
similarity of two boxes A and B by their IoU (the Jaccard index)

    J(A, B) = (A intersect B) / (A union B)

the area the boxes share over the area they cover together. Boxes are given by their corners
(y1, x1, y2, x2), the order of tf.image's boxes: the box covers y1 <= y < y2 and x1 <= x < x2.
Coordinates may be pixels or normalised to [0, 1] (divided by the image's height and width, as
most detectors store boxes): IoU is the same either way, so nothing may assume a box is at least
one unit wide. A box's area is

    area = max(y2 - y1, 0) * max(x2 - x1, 0)

(0 for an empty box, y2 <= y1 or x2 <= x1). The intersection of two boxes A and B is the box
(max(A.y1, B.y1), max(A.x1, B.x1), min(A.y2, B.y2), min(A.x2, B.x2)) -- empty when the boxes do
not overlap -- and the area of the union is area(A) + area(B) - area(A intersect B), so

    IoU(A, B) = area(A intersect B) / (area(A) + area(B) - area(A intersect B)),

defined as 0 when the union has zero area. The centre form of a box is (x, y, w, h):

    x = (x1 + x2) / 2,   y = (y1 + y2) / 2,   w = x2 - x1,   h = y2 - y1.

Implement with numpy, without Python loops over boxes in `pairwise_iou` (use broadcasting):
- `box_area(boxes)`: boxes (n, 4) -> areas (n,).
- `pairwise_iou(boxes_a, boxes_b)`: boxes_a (n, 4) and boxes_b (m, 4) -> IoU matrix (n, m),
  entry [i, j] the IoU of boxes_a[i] and boxes_b[j].
- `corners_to_centers(boxes)`: (n, 4) corner boxes -> (n, 4) centre boxes (x, y, w, h).
- `centers_to_corners(boxes)`: the inverse, (n, 4) centre boxes -> (n, 4) corner boxes.

You may not use dlcourse.detection, tensorflow, keras, torch or torchvision.
"""

# %%
import numpy as np


# %%
def box_area(boxes):
    """Area of each (y1, x1, y2, x2) box, 0 for empty boxes; shape (n,)."""
    ### BEGIN SOLUTION
    boxes = np.asarray(boxes, dtype=float)
    return np.maximum(boxes[:, 2] - boxes[:, 0], 0) * np.maximum(boxes[:, 3] - boxes[:, 1], 0)
    ### END SOLUTION


# %%
def pairwise_iou(boxes_a, boxes_b):
    """IoU of every box of boxes_a (n, 4) with every box of boxes_b (m, 4); shape (n, m)."""
    ### BEGIN SOLUTION
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)
    height = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    width = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    intersection = np.maximum(height, 0) * np.maximum(width, 0)
    union = box_area(a)[:, None] + box_area(b)[None, :] - intersection
    return np.divide(intersection, union, out=np.zeros_like(intersection), where=union > 0)
    ### END SOLUTION


# %%
def corners_to_centers(boxes):
    """(y1, x1, y2, x2) -> (x, y, w, h); shape (n, 4)."""
    ### BEGIN SOLUTION
    y1, x1, y2, x2 = np.asarray(boxes, dtype=float).T
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=1)
    ### END SOLUTION


# %%
def centers_to_corners(boxes):
    """(x, y, w, h) -> (y1, x1, y2, x2); shape (n, 4)."""
    ### BEGIN SOLUTION
    x, y, w, h = np.asarray(boxes, dtype=float).T
    return np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], axis=1)
    ### END SOLUTION
