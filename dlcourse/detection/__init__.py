"""Chapter 4, object detection: boxes, IoU, NMS, sliding windows, region proposals, R-CNN, mAP.

Boxes are (y1, x1, y2, x2) in pixels, the order of `tf.image`'s box ops; the centre form is
(x, y, w, h). Box, NMS, proposal and metric code is numpy (it runs around the network, on
proposals and detections); the R-CNN network and its loss are Keras 3.

- boxes (`dlcourse.detection.boxes`): `box_area`, `corners_to_centers`, `centers_to_corners`,
  `pairwise_iou`, `encode_boxes`, `decode_boxes` (R-CNN box regression)
- non-maximum suppression: `non_max_suppression`, `non_max_suppression_per_class`
- sliding windows: `sliding_windows`, `sliding_window_detection`
- region proposals (selective search, simplified): `over_segment`, `region_similarity`,
  `greedy_grouping`, `selective_search`
- R-CNN: `crop_and_resize` (the warp), `RCNN` (class + box heads), `RCNNBoxLoss`,
  `assign_regions`, `rcnn_training_regions`, `rcnn_detect`
- evaluation: `average_precision`, `match_detections`, `mean_average_precision` (PASCAL VOC)
- plots: `draw_detections`

Keras and TensorFlow load only when the R-CNN pieces or `crop_and_resize` are used (or when
Keras is loaded already: then the R-CNN module is imported at once, so that
`keras.models.load_model` finds a saved `RCNN`).
"""

import importlib
import sys

from dlcourse.detection.boxes import (
    box_area,
    centers_to_corners,
    corners_to_centers,
    decode_boxes,
    encode_boxes,
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
}

__all__ = [
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
    """Import the modules that use Keras, registering RCNN and RCNNBoxLoss for load_model."""
    for module in sorted(set(_LAZY.values())):
        importlib.import_module(f"{__name__}.{module}")


# A saved R-CNN names its class, which Keras finds only once dlcourse.detection.rcnn is imported.
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
