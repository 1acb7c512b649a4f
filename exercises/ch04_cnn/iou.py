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
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def pairwise_iou(boxes_a, boxes_b):
    """IoU of every box of boxes_a (n, 4) with every box of boxes_b (m, 4); shape (n, m)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def corners_to_centers(boxes):
    """(y1, x1, y2, x2) -> (x, y, w, h); shape (n, 4)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def centers_to_corners(boxes):
    """(x, y, w, h) -> (y1, x1, y2, x2); shape (n, 4)."""
    # YOUR CODE HERE
    raise NotImplementedError()
