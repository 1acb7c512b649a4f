"""Chapter 4, object detection: boxes, IoU, NMS, sliding windows, region proposals, R-CNN, mAP.

Lecture: §4.4 Object Detection

The notes' own pieces are single-object detection (classification + localisation, with the L2
loss of the box (x, y, w, h)), the sliding window, region proposals with R-CNN, and IoU
J(A, B) = (A intersect B) / (A union B); they leave the rest of the section unfinished. Beyond
the notes: R-CNN's box-regression deltas and smooth-L1 loss, non-maximum suppression and mean
average precision, filled in as the detectors the notes describe need them.

Boxes are (y1, x1, y2, x2) in pixels, the order of `tf.image`'s box ops; the centre form is
(x, y, w, h). Box, NMS, proposal and metric code is numpy (it runs around the network, on
proposals and detections); the single-object detector, the R-CNN network and their losses are
Keras 3.

- single-object detection (classification + localisation): `SingleObjectDetector` (class and
  box heads), `BoxL2Loss` (the L2 box loss)
- boxes (`dlcourse.detection.boxes`): `box_area`, `corners_to_centers`, `centers_to_corners`,
  `normalized_centers`, `normalized_centers_to_corners` (the centre form in image-normalised
  units), `pairwise_iou`, `encode_boxes`, `decode_boxes` (R-CNN box regression)
- non-maximum suppression: `non_max_suppression`, `non_max_suppression_per_class`
- sliding windows: `sliding_windows`, `sliding_window_detection`
- region proposals (selective search, simplified): `over_segment`, `region_similarity`,
  `greedy_grouping`, `selective_search`
- R-CNN: `crop_and_resize` (the warp), `RCNN` (class + box heads), `RCNNBoxLoss`,
  `assign_regions`, `rcnn_training_regions`, `rcnn_detect`
- evaluation: `average_precision`, `match_detections`, `mean_average_precision` (PASCAL VOC)
- plots: `draw_detections`

Keras (and its backend) loads only when the single-object detector or the R-CNN pieces are used
(or when Keras is loaded already: then those modules are imported at once, so that
`keras.models.load_model` finds a saved `RCNN` or `SingleObjectDetector`). Nothing here calls
TensorFlow itself: `crop_and_resize` is numpy, so on JAX the whole subpackage runs without it.
"""

import importlib
import sys

from dlcourse.detection.boxes import (
    box_area,
    centers_to_corners,
    corners_to_centers,
    decode_boxes,
    encode_boxes,
    normalized_centers,
    normalized_centers_to_corners,
    pairwise_iou,
)
from dlcourse.detection.metrics import average_precision, match_detections, mean_average_precision
from dlcourse.detection.nms import non_max_suppression, non_max_suppression_per_class
from dlcourse.detection.plots import draw_detections
from dlcourse.detection.proposals import (
    greedy_grouping,
    over_segment,
    region_similarity,
    selective_search,
)
from dlcourse.detection.sliding_window import sliding_window_detection, sliding_windows

# Names whose modules import Keras or TensorFlow: loaded on first use.
_LAZY = {
    "crop_and_resize": "crops",
    "RCNN": "rcnn",
    "RCNNBoxLoss": "rcnn",
    "assign_regions": "rcnn",
    "rcnn_training_regions": "rcnn",
    "rcnn_detect": "rcnn",
    "SingleObjectDetector": "single_object",
    "BoxL2Loss": "single_object",
}

__all__ = [
    "SingleObjectDetector",
    "BoxL2Loss",
    "normalized_centers",
    "normalized_centers_to_corners",
    "box_area",
    "corners_to_centers",
    "centers_to_corners",
    "pairwise_iou",
    "encode_boxes",
    "decode_boxes",
    "non_max_suppression",
    "non_max_suppression_per_class",
    "sliding_windows",
    "sliding_window_detection",
    "over_segment",
    "region_similarity",
    "greedy_grouping",
    "selective_search",
    "crop_and_resize",
    "RCNN",
    "RCNNBoxLoss",
    "assign_regions",
    "rcnn_training_regions",
    "rcnn_detect",
    "average_precision",
    "match_detections",
    "mean_average_precision",
    "draw_detections",
]


def _import_keras_modules():
    """Import the modules that use Keras, registering their classes (RCNN, RCNNBoxLoss,
    SingleObjectDetector, BoxL2Loss) for load_model."""
    for module in sorted(set(_LAZY.values())):
        importlib.import_module(f"{__name__}.{module}")


# A saved R-CNN names its class, which Keras finds only once dlcourse.detection.rcnn is imported
# (likewise a SingleObjectDetector and dlcourse.detection.single_object).
# When Keras is already loaded that import is cheap, so do it now: `import keras` then
# `import dlcourse.detection` lets keras.models.load_model read an RCNN. Otherwise the numpy
# parts stay free of TensorFlow, and dlcourse.load_model registers everything.
if "keras" in sys.modules:
    _import_keras_modules()


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
