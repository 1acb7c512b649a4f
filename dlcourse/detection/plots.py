"""Drawing detections: boxes and "label score" captions over an image (chapter 4).

Lecture: §4.4 Object Detection
"""

import numpy as np

__all__ = ["draw_detections"]


def draw_detections(image, boxes, labels=None, scores=None, class_names=None, ax=None,
                    color="yellow"):
    """Show an image with one rectangle and caption per detection; return the Figure.

    Args:
        image: array of shape (H, W, 3) or (H, W), values in [0, 1].
        boxes: array of shape (k, 4), corner form (y1, x1, y2, x2) in pixels.
        labels: None or int array of shape (k,), the class of each box.
        scores: None or array of shape (k,), the confidence of each box.
        class_names: None or a sequence mapping a label to its name (e.g. `SHAPE_CLASSES`).
        ax: a matplotlib Axes to draw into; None makes a new figure.
        color: the rectangles' and captions' colour.

    Returns:
        The matplotlib Figure (rectangles as `matplotlib.patches.Rectangle` patches of the axes,
        captions as its texts, "<name> <score>" e.g. "circle 0.93").

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import draw_detections
    >>> import matplotlib; matplotlib.use("Agg")
    >>> figure = draw_detections(np.zeros((8, 8, 3)), [[1, 2, 5, 6]], [0], [0.9], ["circle"])
    >>> [t.get_text() for t in figure.axes[0].texts]
    ['circle 0.90']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if labels is not None and len(labels) != len(boxes):
        raise ValueError(f"labels must hold one label per box: {len(boxes)} boxes, "
                         f"{len(labels)} labels.")
    if scores is not None and len(scores) != len(boxes):
        raise ValueError(f"scores must hold one score per box: {len(boxes)} boxes, "
                         f"{len(scores)} scores.")
    if ax is None:
        figure, ax = plt.subplots(figsize=(4, 4))
    else:
        figure = ax.figure
    image = np.asarray(image)
    ax.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0.0, vmax=1.0)
    for k, (y1, x1, y2, x2) in enumerate(boxes):
        # imshow puts pixel centres on integers, so pixel edges sit at -0.5.
        ax.add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False,
                               edgecolor=color, linewidth=1.5))
        parts = []
        if labels is not None:
            label = int(labels[k])
            parts.append(class_names[label] if class_names is not None else str(label))
        if scores is not None:
            parts.append(f"{float(scores[k]):.2f}")
        if parts:
            ax.text(x1 - 0.5, y1 - 0.5, " ".join(parts), color="black", fontsize=7,
                    verticalalignment="bottom",
                    bbox={"facecolor": color, "alpha": 0.8, "pad": 1, "linewidth": 0})
    ax.set_axis_off()
    return figure
