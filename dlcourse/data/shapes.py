"""Seeded "shapes with boxes" images for object detection (chapter 4), generated with numpy.

Each image shows up to `max_objects` solid circles, squares and triangles on a plain
background with a little pixel noise. Every object comes with its class and its tight bounding
box, so the set trains and evaluates detectors (IoU, NMS, R-CNN, mean average precision) with
nothing to download.

Box format: (y1, x1, y2, x2) in pixel units, the order of `tf.image`'s boxes, with (y1, x1) the
top-left corner and (y2, x2) one past the bottom-right pixel: the box covers the pixels
y1 <= row < y2, x1 <= column < x2, and its area (y2 - y1)(x2 - x1) is its pixel count.
"""

import numpy as np

from dlcourse.arguments import int_at_least

__all__ = ["SHAPE_CLASSES", "make_shapes"]

# Class index -> name; detectors use 0 for background and shift these by one.
SHAPE_CLASSES = ("circle", "square", "triangle")


def _mask(kind, size):
    """Boolean (size, size) mask of one shape filling its square box."""
    centres = np.arange(size) + 0.5
    rows, cols = np.meshgrid(centres, centres, indexing="ij")
    if kind == 0:  # circle
        radius = size / 2.0
        return (rows - radius) ** 2 + (cols - radius) ** 2 <= radius**2
    if kind == 1:  # square
        return np.ones((size, size), dtype=bool)
    # triangle, apex up: the half-width grows linearly from the top row to the base
    half_width = rows / size * (size / 2.0)
    return np.abs(cols - size / 2.0) <= half_width + 0.5


def make_shapes(n_images=100, image_size=32, max_objects=3, min_size=8, max_size=14, noise=0.02,
                seed=0):
    """Images of circles, squares and triangles with their bounding boxes and classes.

    Each image gets a random background colour and between 1 and `max_objects` shapes (as many
    as fit without touching each other), each of a random class, size in [min_size, max_size]
    and colour at least 0.5 away (Euclidean, in RGB) from the background. Gaussian pixel noise of
    standard deviation `noise` is added and the result clipped to [0, 1]. A shape's box is the
    tight box of its pixels, in the module's (y1, x1, y2, x2) pixel format.

    Args:
        n_images: number of images.
        image_size: height and width H = W of the images (e.g. 32 or 48).
        max_objects: the most shapes per image, >= 1.
        min_size, max_size: side of a shape's square box in pixels, 3 <= min_size <= max_size
            <= image_size.
        noise: standard deviation of the pixel noise, >= 0.
        seed: seed of the numpy generator.

    Returns:
        (images, boxes, labels): images float32 of shape (n_images, H, W, 3) in [0, 1]; boxes a
        list of n_images float32 arrays of shape (k_i, 4); labels a list of n_images int64
        arrays of shape (k_i,) with values 0 (circle), 1 (square), 2 (triangle), the indices of
        `SHAPE_CLASSES`.

    Example:

    >>> from dlcourse.data import make_shapes, SHAPE_CLASSES
    >>> images, boxes, labels = make_shapes(4, image_size=32, seed=1)
    >>> images.shape, boxes[0].shape, [SHAPE_CLASSES[c] for c in labels[0]]
    ((4, 32, 32, 3), (3, 4), ['triangle', 'square', 'triangle'])
    >>> boxes[0][0].tolist()  # (y1, x1, y2, x2) of the first triangle
    [4.0, 5.0, 18.0, 19.0]
    """
    for name, value, low in (("n_images", n_images, 1), ("image_size", image_size, 8),
                             ("max_objects", max_objects, 1), ("min_size", min_size, 3)):
        int_at_least(name, value, low)
    if not min_size <= max_size <= image_size:
        raise ValueError(f"max_size must be between min_size={min_size} and "
                         f"image_size={image_size}, got {max_size!r}.")
    if not isinstance(noise, (int, float)) or not noise >= 0:
        raise ValueError(f"noise must be a number >= 0 (the pixel noise's standard deviation), "
                         f"got {noise!r}.")
    rng = np.random.default_rng(seed)
    images = np.empty((n_images, image_size, image_size, 3), dtype=np.float64)
    all_boxes, all_labels = [], []
    for i in range(n_images):
        background = rng.uniform(0.0, 1.0, size=3)
        image = np.broadcast_to(background, (image_size, image_size, 3)).copy()
        # Cells already used, grown by one pixel so that shapes never touch.
        taken = np.zeros((image_size, image_size), dtype=bool)
        boxes, labels = [], []
        n_objects = rng.integers(1, max_objects + 1)
        for _ in range(50 * n_objects):
            if len(boxes) == n_objects:
                break
            size = int(rng.integers(min_size, max_size + 1))
            top, left = rng.integers(0, image_size - size + 1, size=2)
            if taken[max(top - 1, 0):top + size + 1, max(left - 1, 0):left + size + 1].any():
                continue
            kind = int(rng.integers(0, len(SHAPE_CLASSES)))
            colour = rng.uniform(0.0, 1.0, size=3)
            while np.linalg.norm(colour - background) < 0.5:
                colour = rng.uniform(0.0, 1.0, size=3)
            mask = _mask(kind, size)
            image[top:top + size, left:left + size][mask] = colour
            taken[top:top + size, left:left + size] = True
            rows, cols = np.nonzero(mask)
            boxes.append([top + rows.min(), left + cols.min(), top + rows.max() + 1,
                          left + cols.max() + 1])
            labels.append(kind)
        images[i] = image
        all_boxes.append(np.asarray(boxes, dtype=np.float32).reshape(-1, 4))
        all_labels.append(np.asarray(labels, dtype=np.int64))
    images += noise * rng.normal(size=images.shape)
    return np.clip(images, 0.0, 1.0).astype(np.float32), all_boxes, all_labels
