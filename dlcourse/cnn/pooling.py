"""Pooling: max pooling and global average pooling, by hand in numpy and as Keras layers.

Lecture: §4.2.2 Pooling

The notes' max pooling keeps the largest activation of every pooling window -- here a
pool_size window moved by `strides`, channel by channel (the window geometry is ours):

    y[n, i, j, c] = max_{u < ph, v < pw} x[n, i*sh + u, j*sw + v, c]

Its gradient flows only to the input that was the maximum of its window (beyond the notes).
Global average pooling averages each feature map over the whole image; the notes' formula for
a map z of size H x W is y_k = 1/(H W) sum_{i=1..H} sum_{j=1..W} z_{i,j,k}, which turns a
batch of feature maps (batch, h, w, c) into vectors (batch, c):

    y[n, c] = 1 / (h w) * sum_{i, j} x[n, i, j, c]
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.cnn.convolution import _geometry, _output_shape_2d, _pair_of_ints, pad_images

__all__ = [
    "max_pool2d",
    "max_pool2d_backward",
    "global_average_pool2d",
    "MaxPooling2D",
    "GlobalAveragePooling2D",
]


def _pooling_geometry(x, pool_size, strides, padding):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (batch, height, width, channels), got shape {x.shape}.")
    if padding not in ("valid", "same"):
        raise ValueError(f'padding must be "valid" or "same", got {padding!r}.')
    strides = pool_size if strides is None else strides
    (ph, pw), (sh, sw), _, pads, (oh, ow) = _geometry(x.shape, pool_size, strides, padding, 1)
    # -inf padding: a padded pixel never wins a window, as in Keras
    return x, pad_images(x, pads, value=-np.inf), (ph, pw), (sh, sw), pads, (oh, ow)


def max_pool2d(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling of an NHWC batch, y[n, i, j, c] = max of its window.

    Args:
        x: shape (batch, height, width, channels).
        pool_size: window (ph, pw) or an int. Defaults to 2.
        strides: an int or a pair; None means pool_size (non-overlapping windows).
        padding: "valid" or "same" (Keras' rule; padded pixels never win).

    Returns:
        y of shape (batch, out_height, out_width, channels).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import max_pool2d
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> max_pool2d(x)[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    _, x_pad, (ph, pw), (sh, sw), _, (oh, ow) = _pooling_geometry(x, pool_size, strides, padding)
    y = np.full((x_pad.shape[0], oh, ow, x_pad.shape[3]), -np.inf)
    for u in range(ph):
        for v in range(pw):
            y = np.maximum(y, x_pad[:, u : u + (oh - 1) * sh + 1 : sh, v : v + (ow - 1) * sw + 1 : sw, :])
    return y


def max_pool2d_backward(grad_output, x, pool_size=2, strides=None, padding="valid"):
    """Gradient of max pooling with respect to its input.

    Each window passes its upstream gradient dL/dy[n, i, j, c] to the input pixel that was its
    maximum (the first one, in row-major order, on ties); overlapping windows add up.

    Args:
        grad_output: dL/dy, shape (batch, out_height, out_width, channels).
        x: the forward pass's input, shape (batch, height, width, channels).
        pool_size, strides, padding: as in `max_pool2d`.

    Returns:
        dL/dx, shape of x.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import max_pool2d_backward
    >>> x = np.array([[1.0, 3.0], [2.0, 0.0]]).reshape(1, 2, 2, 1)
    >>> max_pool2d_backward(np.ones((1, 1, 1, 1)), x)[0, :, :, 0]
    array([[0., 1.],
           [0., 0.]])
    """
    x, x_pad, (ph, pw), (sh, sw), pads, (oh, ow) = _pooling_geometry(x, pool_size, strides, padding)
    grad_output = np.asarray(grad_output, dtype=np.float64)
    grad_pad = np.zeros_like(x_pad)
    n, c = x.shape[0], x.shape[3]
    batch, channel = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    for i in range(oh):
        for j in range(ow):
            window = x_pad[:, i * sh : i * sh + ph, j * sw : j * sw + pw, :].reshape(n, ph * pw, c)
            winner = np.argmax(window, axis=1)  # (batch, channels)
            rows, cols = i * sh + winner // pw, j * sw + winner % pw
            np.add.at(grad_pad, (batch, rows, cols, channel), grad_output[:, i, j, :])
    (top, _), (left, _) = pads
    return grad_pad[:, top : top + x.shape[1], left : left + x.shape[2], :]


def global_average_pool2d(x):
    """Global average pooling, y[n, c] = mean over (i, j) of x[n, i, j, c].

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import global_average_pool2d
    >>> global_average_pool2d(np.arange(8.0).reshape(1, 2, 2, 2))
    array([[3., 4.]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (batch, height, width, channels), got shape {x.shape}.")
    return x.mean(axis=(1, 2))


@keras.saving.register_keras_serializable(package="dlcourse")
class MaxPooling2D(keras.layers.Layer):
    """Max pooling over channels-last images.

        y[n, i, j, c] = max_{u < ph, v < pw} x[n, i*sh + u, j*sw + v, c]

    Computes what `keras.layers.MaxPooling2D` computes; it has no weights.

    Args:
        pool_size: window (ph, pw) or an int. Defaults to 2.
        strides: an int or a pair; None means pool_size.
        padding: "valid" or "same".
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, channels).

    Returns:
        A tensor of shape (batch, out_height, out_width, channels).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import MaxPooling2D
    >>> tuple(MaxPooling2D(2)(np.zeros((1, 5, 5, 3), "float32")).shape)
    (1, 2, 2, 3)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.pool_size = _pair_of_ints(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else _pair_of_ints(strides, "strides")
        if padding not in ("valid", "same"):
            raise ValueError(f'padding must be "valid" or "same", got {padding!r}.')
        self.padding = padding
        self.built = True

    def call(self, inputs):
        return ops.max_pool(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        return _output_shape_2d(input_shape, self.pool_size, self.strides, self.padding, (1, 1), input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides, "padding": self.padding}


@keras.saving.register_keras_serializable(package="dlcourse")
class GlobalAveragePooling2D(keras.layers.Layer):
    """Global average pooling: one number per channel, the channel's mean over the image.

        y[n, c] = 1 / (h w) * sum_{i, j} x[n, i, j, c]

    It replaces flatten-and-dense at the end of modern CNNs: the classifier then works for any
    image size. Computes what `keras.layers.GlobalAveragePooling2D` computes.

    Args:
        keepdims: keep the spatial axes (as size 1). Defaults to False.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, channels).

    Returns:
        A tensor of shape (batch, channels), or (batch, 1, 1, channels) with keepdims.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import GlobalAveragePooling2D
    >>> tuple(GlobalAveragePooling2D()(np.ones((2, 4, 4, 3), "float32")).shape)
    (2, 3)
    """

    def __init__(self, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.keepdims = bool(keepdims)
        self.built = True

    def call(self, inputs):
        return ops.mean(inputs, axis=(1, 2), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0], 1, 1, input_shape[-1])
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "keepdims": self.keepdims}
