"""Cutting regions out of images and resizing them to the network's input size (R-CNN's warp).

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes' R-CNN runs a pre-trained network on each RoI; the warp
that makes every region the network's input size is beyond the notes. R-CNN warps every
proposal to a fixed size before its CNN; Fast R-CNN instead pools each region of the shared
feature map to a fixed grid (RoI pooling), and Faster R-CNN's RoIAlign samples that grid
bilinearly -- which is what `tf.image.crop_and_resize` does on whatever tensor it is given.
Keras has no such op, so this is the one place in dlcourse.detection that calls TensorFlow.
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
    import tensorflow as tf

    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4:
        raise ValueError(f"images must have shape (batch, H, W, C) or (H, W, C), got shape "
                         f"{images.shape}.")
    if isinstance(crop_size, (int, np.integer)):
        crop_size = (int(crop_size), int(crop_size))
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    height, width = images.shape[1:3]
    if box_indices is None:
        box_indices = np.zeros(len(boxes), dtype=np.int32)
    if len(boxes) == 0:
        return np.zeros((0, *crop_size, images.shape[-1]), dtype=np.float32)
    # tf's normalized coordinate 0 is the first pixel centre and 1 the last one.
    scale = np.array([height - 1, width - 1, height - 1, width - 1], dtype=np.float64)
    normalized = (boxes - np.array([0.0, 0.0, 1.0, 1.0])) / np.maximum(scale, 1.0)
    crops = tf.image.crop_and_resize(images, normalized.astype(np.float32),
                                     np.asarray(box_indices, dtype=np.int32), crop_size)
    return crops.numpy()
