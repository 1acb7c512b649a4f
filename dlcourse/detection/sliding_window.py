"""Sliding-window detection: classify every window of several sizes, keep the confident ones.

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes: detection as classification, each crop of a sliding
window fed to a classifier; its two problems are that the window size is fixed and only one
object is found at a time. Several window sizes (ours) answer the first; per-class NMS
(beyond the notes) keeps one window per object.

The first detectors turned classification into detection by sliding a window over the image
with a stride, at several window sizes (or, equivalently, over an image pyramid), and
classifying each window as background or one of the object classes. It needs thousands of
classifier calls per image, which is what region proposals (R-CNN) and then shared
convolutional features (Fast/Faster R-CNN) remove.
"""

import numpy as np

from dlcourse.arguments import positive_int
from dlcourse.detection.crops import crop_and_resize
from dlcourse.detection.nms import non_max_suppression_per_class

__all__ = ["sliding_windows", "sliding_window_detection"]


def _window_sizes(window_sizes):
    sizes = []
    for size in window_sizes:
        height, width = (size, size) if np.ndim(size) == 0 else size
        if height < 1 or width < 1:
            raise ValueError(f"window_sizes must hold positive sizes (an integer or a (height, "
                             f"width) pair), got {size!r}.")
        sizes.append((int(height), int(width)))
    return sizes


def sliding_windows(image_height, image_width, window_sizes, stride):
    """All windows of the given sizes that fit in the image, at multiples of `stride`.

    For each window size (h, w) in order, the windows' top-left corners are (y, x) with
    y = 0, stride, 2 stride, ... <= image_height - h and x likewise, rows first:

        (y, x, y + h, x + w)    for y in range(0, H - h + 1, stride) for x in range(0, W - w + 1, stride)

    Args:
        image_height, image_width: the image's size H, W.
        window_sizes: a list of sizes, each an integer (a square) or a (height, width) pair.
        stride: step between windows in pixels, a positive integer.

    Returns:
        float64 array of shape (n, 4): the windows as boxes (y1, x1, y2, x2).

    Example:

    >>> from dlcourse.detection import sliding_windows
    >>> sliding_windows(4, 4, [2, (4, 2)], stride=2).tolist()[:2]
    [[0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 4.0]]
    >>> len(sliding_windows(4, 4, [2, (4, 2)], stride=2))
    6
    """
    stride = positive_int("stride", stride)
    sizes = _window_sizes(window_sizes)
    if not sizes:
        raise ValueError(f"window_sizes must hold at least one size (an integer or a (height, "
                         f"width) pair), got {window_sizes!r}.")
    windows = []
    for height, width in sizes:
        ys = np.arange(0, image_height - height + 1, stride)
        xs = np.arange(0, image_width - width + 1, stride)
        y, x = np.meshgrid(ys, xs, indexing="ij")
        y, x = y.ravel(), x.ravel()
        windows.append(np.stack([y, x, y + height, x + width], axis=1))
    return np.concatenate(windows, axis=0).astype(np.float64).reshape(-1, 4)


def sliding_window_detection(image, classifier, window_sizes, stride, crop_size,
                             score_threshold=0.5, iou_threshold=0.3, max_detections=100):
    """Detect objects by classifying every sliding window, then per-class NMS.

    Every window is resized to crop_size (`crop_and_resize`) and classified; a window's label
    is its most probable object class c (classes 1..K of the classifier, 0 being background) and
    its score p(c | window). Windows scoring > score_threshold go through non-maximum
    suppression per class.

    Args:
        image: array of shape (H, W, C).
        classifier: a callable (e.g. a Keras model) mapping crops (n, crop_h, crop_w, C) to class
            probabilities (n, K + 1), column 0 the background.
        window_sizes, stride: as in `sliding_windows`.
        crop_size: (crop_height, crop_width) the classifier expects, or one integer.
        score_threshold: the least score of a detection (exclusive).
        iou_threshold: NMS threshold.
        max_detections: the most detections kept per class.

    Returns:
        (boxes, labels, scores): boxes float64 (k, 4), labels int64 (k,) object classes 0..K-1
        (the classifier's class minus one), scores float64 (k,), best first within each class.
    """
    image = np.asarray(image, dtype=np.float32)
    windows = sliding_windows(image.shape[0], image.shape[1], window_sizes, stride)
    probabilities = np.asarray(classifier(crop_and_resize(image, windows, crop_size)))
    labels = np.argmax(probabilities[:, 1:], axis=1)
    scores = probabilities[np.arange(len(windows)), labels + 1].astype(np.float64)
    keep = non_max_suppression_per_class(windows, scores, labels, max_detections, iou_threshold,
                                         score_threshold)
    return windows[keep], labels[keep].astype(np.int64), scores[keep]
