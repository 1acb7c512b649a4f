"""Looking inside a CNN: plots of the learned filters and of the feature maps of an image.

Lecture: §4.1 Basic structure and components

What the kernel set of a convolution layer learned, and the feature maps it makes. Both
return a `matplotlib.figure.Figure` with one small grey-scale image per filter or per channel,
so they work in notebooks and scripts alike (`fig.savefig("maps.png")`). Matplotlib is
imported when a plot is made.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["plot_filters", "plot_feature_maps"]


def _grid(images, titles, columns, title):
    from matplotlib.figure import Figure  # a Figure without pyplot: no global state, no GUI

    count = len(images)
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(1.6 * columns, 1.6 * rows + (0.4 if title else 0.0)))
    for index, (image, label) in enumerate(zip(images, titles)):
        axes = figure.add_subplot(rows, columns, index + 1)
        axes.imshow(image, cmap="gray", interpolation="nearest")
        axes.set_title(label, fontsize=8)
        axes.set_xticks([])
        axes.set_yticks([])
    if title:
        figure.suptitle(title)
    return figure


def plot_filters(kernel, input_channel=0, columns=8, title="filters"):
    """Plot each output channel's kernel of a convolution as a small image.

    Args:
        kernel: a Conv2D kernel of shape (kh, kw, c_in, c_out) (numpy array or tensor), or a
            layer with a `kernel` weight.
        input_channel: which input channel's slice kernel[:, :, input_channel, o] to show.
        columns: images per row.
        title: the figure's title ("" for none).

    Returns:
        A matplotlib Figure with c_out axes; axes o shows kernel[:, :, input_channel, o].

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import plot_filters
    >>> figure = plot_filters(np.zeros((3, 3, 1, 4)))
    >>> len(figure.axes)
    4
    """
    kernel = getattr(kernel, "kernel", kernel)
    kernel = np.asarray(kernel.numpy() if hasattr(kernel, "numpy") else kernel)
    if kernel.ndim != 4:
        raise ValueError(f"kernel must have shape (kh, kw, c_in, c_out), got shape {kernel.shape}.")
    if not 0 <= input_channel < kernel.shape[2]:
        raise ValueError(f"input_channel must be in [0, {kernel.shape[2]}), got {input_channel!r}.")
    images = [kernel[:, :, input_channel, o] for o in range(kernel.shape[3])]
    return _grid(images, [f"filter {o}" for o in range(len(images))], columns, title)


def plot_feature_maps(model_or_layer, image, max_maps=None, columns=8, title="feature maps"):
    """Plot the feature maps (output channels) that a layer or model computes for one image.

    Args:
        model_or_layer: a Keras layer or model whose output has shape (1, h, w, channels) --
            e.g. `keras.Model(model.inputs[0], model.layers[k].output)` for the k-th layer.
        image: one image (height, width, channels) or a batch of one.
        max_maps: show at most this many channels (None: all).
        columns: images per row.
        title: the figure's title ("" for none).

    Returns:
        A matplotlib Figure with one axes per shown channel; axes c shows output[0, :, :, c].

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import plot_feature_maps
    >>> from dlcourse.cnn import Conv2D
    >>> figure = plot_feature_maps(Conv2D(6, 3), np.ones((8, 8, 1), "float32"))
    >>> len(figure.axes)
    6
    """
    import keras

    image = np.asarray(image, dtype="float32")
    batch = image[None] if image.ndim == 3 else image
    if batch.ndim != 4 or batch.shape[0] != 1:
        raise ValueError(f"image must have shape (height, width, channels) or (1, h, w, c), got {image.shape}.")
    maps = keras.ops.convert_to_numpy(model_or_layer(batch))
    if maps.ndim != 4:
        raise ValueError(
            f"the layer or model must output feature maps (1, h, w, channels), got shape {maps.shape}; "
            "cut the model at a convolution or pooling layer."
        )
    count = maps.shape[3] if max_maps is None else min(int(max_maps), maps.shape[3])
    images = [maps[0, :, :, c] for c in range(count)]
    return _grid(images, [f"channel {c}" for c in range(count)], columns, title)
