"""Cutting regions out of images and resizing them to the network's input size (R-CNN's warp).

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes' R-CNN runs a pre-trained network on each RoI; the warp
that makes every region the network's input size is beyond the notes. R-CNN warps every
proposal to a fixed size before its CNN; Fast R-CNN instead pools each region of the shared
feature map to a fixed grid (RoI pooling), and Faster R-CNN's RoIAlign samples that grid
bilinearly -- which is what `tf.image.crop_and_resize` does on whatever tensor it is given.
Keras has no such op, so `crop_and_resize` is written in numpy, sample for sample as
TensorFlow's: it runs (and R-CNN with it) on any Keras backend without loading TensorFlow, and
its tests take `tf.image.crop_and_resize` as the oracle.
"""

import numpy as np

__all__ = ["crop_and_resize"]


def crop_and_resize(images, boxes, crop_size, box_indices=None):
    """Bilinearly resample pixel boxes of images to crop_size, as tf.image.crop_and_resize.

    A pixel box (y1, x1, y2, x2) covers rows y1 .. y2 - 1 and columns x1 .. x2 - 1; the crop
    samples crop_size points evenly from the first to the last of those pixel centres, so a crop
    of the box's own size is an exact copy of its pixels. Samples outside the image are 0.

    Args:
        images: array of shape (batch, H, W, C), or one image of shape (H, W, C).
        boxes: array of shape (n, 4), pixel boxes (y1, x1, y2, x2).
        crop_size: (crop_height, crop_width), or one integer for a square.
        box_indices: int array of shape (n,), the image of each box; None means image 0.

    Returns:
        float32 numpy array of shape (n, crop_height, crop_width, C).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import crop_and_resize
    >>> image = np.arange(16, dtype="float32").reshape(4, 4, 1)
    >>> crop_and_resize(image, [[1, 0, 3, 4]], (2, 4))[0, :, :, 0].tolist()
    [[4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise ValueError(f"images must have shape (batch, H, W, C) or (H, W, C), got shape "
                         f"{images.shape}.")
    if isinstance(crop_size, (int, np.integer)):
        crop_size = (int(crop_size), int(crop_size))
    crop_height, crop_width = (int(n) for n in crop_size)
    if crop_height < 1 or crop_width < 1:
        raise ValueError(f"crop_size must be positive, got {tuple(crop_size)}.")
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    batch, height, width = images.shape[:3]
    if box_indices is None:
        box_indices = np.zeros(len(boxes), dtype=np.int64)
    box_indices = np.asarray(box_indices, dtype=np.int64).reshape(-1)
    if box_indices.shape != (len(boxes),):
        raise ValueError(f"box_indices must hold one image index per box, got {box_indices.shape[0]} "
                         f"for {len(boxes)} boxes.")
    if len(boxes) == 0:
        return np.zeros((0, crop_height, crop_width, images.shape[-1]), dtype=np.float32)
    if box_indices.min() < 0 or box_indices.max() >= batch:
        raise ValueError(f"box_indices must be image indices in [0, {batch}), got "
                         f"{box_indices.min() if box_indices.min() < 0 else box_indices.max()}.")
    # tf's normalized coordinate 0 is the first pixel centre and 1 the last one.
    scale = np.array([height - 1, width - 1, height - 1, width - 1], dtype=np.float64)
    normalized = (boxes - np.array([0.0, 0.0, 1.0, 1.0])) / np.maximum(scale, 1.0)
    rows = _sample_points(normalized[:, 0], normalized[:, 2], crop_height, height)  # (n, crop_height)
    cols = _sample_points(normalized[:, 1], normalized[:, 3], crop_width, width)  # (n, crop_width)
    top, bottom, row_weight = _neighbours(rows, height)
    left, right, col_weight = _neighbours(cols, width)
    b = box_indices[:, None, None]

    def at(r, c):  # (n, crop_height, crop_width, C)
        return images[b, r[:, :, None], c[:, None, :]].astype(np.float64)

    col_weight = col_weight[:, None, :, None]
    top_left, top_right, bottom_left, bottom_right = at(top, left), at(top, right), at(bottom, left), at(bottom, right)
    upper = top_left + (top_right - top_left) * col_weight
    lower = bottom_left + (bottom_right - bottom_left) * col_weight
    crops = upper + (lower - upper) * row_weight[:, :, None, None]
    inside = ((rows >= 0) & (rows <= height - 1))[:, :, None] & ((cols >= 0) & (cols <= width - 1))[:, None, :]
    return np.where(inside[..., None], crops, 0.0).astype(np.float32)  # 0 outside the image


def _sample_points(start, stop, size, extent):
    """tf.image.crop_and_resize's sample positions (in pixels) along one axis, shape (n, size)."""
    if size == 1:  # one sample: the box's centre
        return (0.5 * (start + stop) * (extent - 1))[:, None]
    step = (stop - start) * (extent - 1) / (size - 1)
    return start[:, None] * (extent - 1) + np.arange(size) * step[:, None]


def _neighbours(points, extent):
    """The pixels either side of each sample (clipped into the image) and the sample's weight."""
    low = np.floor(points)
    weight = points - low
    low = np.clip(low, 0, extent - 1).astype(np.int64)
    high = np.clip(np.ceil(points), 0, extent - 1).astype(np.int64)
    return low, high, weight
