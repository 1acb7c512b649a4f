"""Bounding boxes: corner and centre forms, area, intersection over union, R-CNN box regression.

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes' IoU is J(A, B) = (A intersect B) / (A union B), the
area the two boxes share over the area they cover together; `pairwise_iou` computes it for
corner boxes. The notes name bbox regression only as a heading; `encode_boxes` and
`decode_boxes` are R-CNN's own parameterisation (beyond the notes).

Boxes are (y1, x1, y2, x2) corner boxes, the order of `tf.image`'s box ops, in pixel units: the
box covers y1 <= y < y2, x1 <= x < x2. The centre form is (x, y, w, h) with x = (x1 + x2) / 2,
y = (y1 + y2) / 2, w = x2 - x1, h = y2 - y1; `normalized_centers` divides it by the image's
width and height (the notes' single-object box, every number in [0, 1]).

These run in numpy: they work on proposals, targets and detections before and after the
network (as `tf.image.non_max_suppression` and the R-CNN papers' tooling do), not inside it.
"""

import numpy as np

__all__ = [
    "box_area",
    "corners_to_centers",
    "centers_to_corners",
    "pairwise_iou",
    "encode_boxes",
    "decode_boxes",
    "normalized_centers",
    "normalized_centers_to_corners",
]


def _as_boxes(boxes, name="boxes"):
    boxes = np.asarray(boxes, dtype=np.float64)
    if boxes.ndim == 0 or boxes.shape[-1] != 4:
        raise ValueError(f"{name} must have a last axis of size 4 (y1, x1, y2, x2), got shape "
                         f"{boxes.shape}.")
    return boxes


def box_area(boxes):
    """Area (y2 - y1)(x2 - x1) of each box, 0 for boxes with y2 <= y1 or x2 <= x1.

    Args:
        boxes: array of shape (..., 4), corner form (y1, x1, y2, x2).

    Returns:
        float64 array of shape (...,).

    Example:

    >>> from dlcourse.detection import box_area
    >>> box_area([[0, 0, 2, 3], [5, 5, 4, 9]]).tolist()
    [6.0, 0.0]
    """
    boxes = _as_boxes(boxes)
    height = np.maximum(boxes[..., 2] - boxes[..., 0], 0.0)
    width = np.maximum(boxes[..., 3] - boxes[..., 1], 0.0)
    return height * width


def corners_to_centers(boxes):
    """(y1, x1, y2, x2) -> (x, y, w, h): centre, width and height.

    Args:
        boxes: array of shape (..., 4) in corner form.

    Returns:
        float64 array of shape (..., 4) in centre form.

    Example:

    >>> from dlcourse.detection import corners_to_centers
    >>> corners_to_centers([[0, 2, 4, 8]]).tolist()
    [[5.0, 2.0, 6.0, 4.0]]
    """
    boxes = _as_boxes(boxes)
    y1, x1, y2, x2 = np.moveaxis(boxes, -1, 0)
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)


def centers_to_corners(boxes):
    """(x, y, w, h) -> (y1, x1, y2, x2), the inverse of `corners_to_centers`.

    Args:
        boxes: array of shape (..., 4) in centre form.

    Returns:
        float64 array of shape (..., 4) in corner form.

    Example:

    >>> from dlcourse.detection import centers_to_corners
    >>> centers_to_corners([[5, 2, 6, 4]]).tolist()
    [[0.0, 2.0, 4.0, 8.0]]
    """
    boxes = _as_boxes(boxes)
    x, y, w, h = np.moveaxis(boxes, -1, 0)
    return np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], axis=-1)


def pairwise_iou(boxes_a, boxes_b):
    """Intersection over union of every box in `boxes_a` with every box in `boxes_b`.

        IoU(A, B) = area(A intersect B) / (area(A) + area(B) - area(A intersect B))

    The intersection of two corner boxes is the box (max y1, max x1, min y2, min x2), empty when
    it has no positive height or width. IoU is 0 where the union is empty (two zero-area boxes).

    Args:
        boxes_a: array of shape (n, 4), corner form.
        boxes_b: array of shape (m, 4), corner form.

    Returns:
        float64 array of shape (n, m) with values in [0, 1].

    Example:

    >>> from dlcourse.detection import pairwise_iou
    >>> pairwise_iou([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]]).round(4).tolist()
    [[0.1429, 1.0]]
    """
    a = _as_boxes(boxes_a, "boxes_a").reshape(-1, 4)
    b = _as_boxes(boxes_b, "boxes_b").reshape(-1, 4)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    intersection = np.prod(np.clip(bottom_right - top_left, 0.0, None), axis=-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - intersection
    safe_union = np.where(union > 0, union, 1.0)
    return np.where(union > 0, intersection / safe_union, 0.0)


def encode_boxes(ground_truth, proposals):
    """R-CNN box-regression targets of ground-truth boxes relative to proposals.

    With a proposal P and its ground truth G in centre form (x, y, w, h) (Girshick et al., 2014,
    appendix C):

        tx = (Gx - Px) / Pw,   ty = (Gy - Py) / Ph,   tw = log(Gw / Pw),   th = log(Gh / Ph)

    The targets are invariant to shifting and scaling the pair of boxes, so one regressor serves
    proposals of every size and position.

    Args:
        ground_truth: array of shape (n, 4), corner form, positive width and height.
        proposals: array of shape (n, 4), corner form, positive width and height.

    Returns:
        float64 array of shape (n, 4): (tx, ty, tw, th) per row.

    Example:

    >>> from dlcourse.detection import encode_boxes
    >>> encode_boxes([[0, 0, 4, 4]], [[0, 0, 2, 4]]).round(4).tolist()
    [[0.0, 0.5, 0.0, 0.6931]]
    """
    g = corners_to_centers(ground_truth)
    p = corners_to_centers(proposals)
    if np.any(p[..., 2:] <= 0) or np.any(g[..., 2:] <= 0):
        raise ValueError("ground_truth and proposals must have positive width and height "
                         "(y2 > y1, x2 > x1); drop empty boxes before encoding.")
    return np.concatenate([(g[..., :2] - p[..., :2]) / p[..., 2:], np.log(g[..., 2:] / p[..., 2:])],
                          axis=-1)


def decode_boxes(deltas, proposals):
    """Apply regression deltas (tx, ty, tw, th) to proposals: the inverse of `encode_boxes`.

        Gx = Px + Pw tx,   Gy = Py + Ph ty,   Gw = Pw exp(tw),   Gh = Ph exp(th)

    Args:
        deltas: array of shape (n, 4), (tx, ty, tw, th) per row.
        proposals: array of shape (n, 4), corner form.

    Returns:
        float64 array of shape (n, 4): the predicted boxes, corner form.

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import decode_boxes
    >>> decode_boxes([[0.0, 0.5, 0.0, np.log(2)]], [[0, 0, 2, 4]]).round(4).tolist()
    [[0.0, 0.0, 4.0, 4.0]]
    """
    deltas = _as_boxes(deltas, "deltas")
    p = corners_to_centers(proposals)
    centre = p[..., :2] + p[..., 2:] * deltas[..., :2]
    # exp of a large predicted delta would overflow; no real box is e^10 times its proposal.
    size = p[..., 2:] * np.exp(np.minimum(deltas[..., 2:], 10.0))
    return centers_to_corners(np.concatenate([centre, size], axis=-1))


def _image_scale(image_height, image_width):
    height, width = float(image_height), float(image_width)
    if not (height > 0 and width > 0):
        raise ValueError(f"image_height and image_width must be positive, got {image_height!r} and "
                         f"{image_width!r}.")
    return np.array([width, height, width, height])


def normalized_centers(boxes, image_height, image_width):
    """Pixel corner boxes (y1, x1, y2, x2) -> image-normalised centre boxes (x, y, w, h).

        x = (x1 + x2) / (2 W),   y = (y1 + y2) / (2 H),   w = (x2 - x1) / W,   h = (y2 - y1) / H

    Args:
        boxes: array of shape (..., 4), corner form in pixels.
        image_height, image_width: the image's size H, W in pixels.

    Returns:
        float64 array of shape (..., 4), each number in [0, 1] for a box inside the image.

    Example:

    >>> from dlcourse.detection import normalized_centers
    >>> normalized_centers([[0, 8, 16, 24]], 32, 32).tolist()
    [[0.5, 0.25, 0.5, 0.5]]
    """
    return corners_to_centers(boxes) / _image_scale(image_height, image_width)


def normalized_centers_to_corners(boxes, image_height, image_width):
    """The inverse of `normalized_centers`: (x, y, w, h) in [0, 1] -> pixel (y1, x1, y2, x2).

    Args:
        boxes: array of shape (..., 4), image-normalised centre form.
        image_height, image_width: the image's size H, W in pixels.

    Returns:
        float64 array of shape (..., 4), corner form in pixels.

    Example:

    >>> from dlcourse.detection import normalized_centers_to_corners
    >>> normalized_centers_to_corners([[0.5, 0.25, 0.5, 0.5]], 32, 32).tolist()
    [[0.0, 8.0, 16.0, 24.0]]
    """
    scale = _image_scale(image_height, image_width)
    return centers_to_corners(np.asarray(boxes, dtype=np.float64) * scale)
