"""dlcourse: the Keras 3 library, exercises and graders of "Advanced Deep Learning Architecture".

Subpackages follow the lecture, one per topic, and are imported on first use so that
`import dlcourse` (and the grading tools) stay light -- TensorFlow loads only when a layer does:

- `dlcourse.perceptron` -- chapter 1, from the perceptron to a neural network
- `dlcourse.training`   -- chapter 2, training a neural network
- `dlcourse.sequence`   -- chapter 3, deep sequence modeling (RNN, LSTM, attention)
- `dlcourse.cnn`        -- chapter 4, convolutional neural networks and image classification
- `dlcourse.detection`  -- chapter 4, object detection (IoU, boxes, NMS, R-CNN)
- `dlcourse.gnn`        -- chapter 7, graph neural networks (with TF-GNN interop)
- `dlcourse.grading`    -- release, sandboxed grading, reports, the nbgrader bridge
- `dlcourse.data`       -- small embedded datasets and the real loaders
"""

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = (
    "perceptron", "training", "sequence", "cnn", "detection", "gnn", "grading", "data",
)


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBPACKAGES))
