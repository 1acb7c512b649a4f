"""draw_detections draws one rectangle and one caption per detection (Agg backend)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from dlcourse.data.shapes import SHAPE_CLASSES, make_shapes  # noqa: E402
from dlcourse.detection import draw_detections  # noqa: E402


def test_rectangles_and_captions():
    images, boxes, labels = make_shapes(1, seed=2)
    scores = np.linspace(0.9, 0.5, len(boxes[0]))
    figure = draw_detections(images[0], boxes[0], labels[0], scores, SHAPE_CLASSES)
    ax = figure.axes[0]
    rectangles = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(rectangles) == len(boxes[0])
    for rectangle, (y1, x1, y2, x2) in zip(rectangles, boxes[0]):
        assert rectangle.get_xy() == pytest.approx((x1 - 0.5, y1 - 0.5))
        assert (rectangle.get_width(), rectangle.get_height()) == pytest.approx((x2 - x1, y2 - y1))
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"{SHAPE_CLASSES[l]} {s:.2f}" for l, s in zip(labels[0], scores)]
    assert len(ax.images) == 1
    figure.canvas.draw()
    plt.close(figure)


def test_boxes_only_into_given_axes():
    figure, axes = plt.subplots(1, 2)
    assert draw_detections(np.zeros((8, 8)), [[1, 1, 4, 4]], ax=axes[1]) is figure
    assert len(axes[1].patches) == 1 and len(axes[1].texts) == 0 and len(axes[0].patches) == 0
    with pytest.raises(ValueError, match="one score per box"):
        draw_detections(np.zeros((8, 8)), [[1, 1, 4, 4]], scores=[0.1, 0.2], ax=axes[0])
    plt.close(figure)
