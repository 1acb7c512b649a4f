"""1x1 convolutions and GoogLeNet's Inception module: reducing channels before the costly kernels.

Lecture: §4.2.3 Convolution

The notes' 1x1 convolution is a fully connected layer applied at every pixel on its own,

    y_{i,j,k} = sum_c x_{i,j,c} w_{c,k} + b_k

and GoogLeNet's Inception modules use it to cut the channels before their 3x3 and 5x5
convolutions. What that saves is counted here (the counts are ours; the notes state the idea).
A k_h x k_w convolution from c_in to c_out channels with an out_h x out_w output has

    parameters:     k_h k_w c_in c_out + c_out            (`conv2d_param_count`)
    multiply-adds:  out_h out_w k_h k_w c_in c_out        (`conv2d_multiply_adds`)

and with a 1x1 reduction to c_r channels first, c_in c_r + c_r + k_h k_w c_r c_out + c_out
parameters and out_h out_w (c_in c_r + k_h k_w c_r c_out) multiply-adds (`conv2d_cost`). On
GoogLeNet's 28 x 28 x 192 input a 5x5 convolution to 32 channels costs 120.4 million
multiply-adds, and 12.4 million after a reduction to 16 channels.
"""

from __future__ import annotations

import keras
import numpy as np

from dlcourse.arguments import positive_int
from dlcourse.cnn.convolution import Conv2D, _pair_of_ints
from dlcourse.cnn.pooling import MaxPooling2D
from dlcourse.cnn.separable import conv2d_param_count

__all__ = ["pointwise_conv2d", "conv2d_multiply_adds", "conv2d_cost", "InceptionModule"]


def pointwise_conv2d(x, kernel, bias=None):
    """The notes' 1x1 convolution, y[n, i, j, k] = sum_c x[n, i, j, c] w[c, k] + b[k], in numpy.

    One matrix product of all pixels at once: a dense layer applied to every pixel.

    Args:
        x: feature maps, shape (batch, height, width, c_in).
        kernel: w, shape (c_in, c_out), or Keras' (1, 1, c_in, c_out).
        bias: b, shape (c_out,), or None.

    Returns:
        y, float64 of shape (batch, height, width, c_out).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import pointwise_conv2d
    >>> x = np.arange(6.0).reshape(1, 1, 3, 2)  # three pixels with two channels
    >>> pointwise_conv2d(x, np.array([[1.0], [10.0]]), np.array([0.5]))[0, 0, :, 0]
    array([10.5, 32.5, 54.5])
    """
    x, kernel = np.asarray(x, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    if kernel.ndim == 4 and kernel.shape[:2] == (1, 1):
        kernel = kernel[0, 0]
    if x.ndim != 4 or kernel.ndim != 2 or kernel.shape[0] != x.shape[3]:
        raise ValueError(
            f"x must have shape (batch, height, width, c_in) and kernel (c_in, c_out) or (1, 1, c_in, c_out), "
            f"got {x.shape} and {np.shape(kernel)}."
        )
    y = x.reshape(-1, x.shape[3]) @ kernel
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y.reshape(*x.shape[:3], kernel.shape[1])


def conv2d_multiply_adds(output_size, kernel_size, in_channels, out_channels):
    """Multiply-adds of a convolution, out_h out_w k_h k_w c_in c_out (bias additions not counted).

    Each of the out_h out_w c_out outputs sums k_h k_w c_in products. (Profilers that count
    FLOPs, such as TensorFlow's, count each multiply-add as two operations.)

    Args:
        output_size: (out_h, out_w) or an int: the size of the output feature map.
        kernel_size: (k_h, k_w) or an int.
        in_channels, out_channels: c_in and c_out, positive integers.

    Returns:
        An int.

    Example:

    >>> from dlcourse.cnn import conv2d_multiply_adds
    >>> conv2d_multiply_adds(28, 5, 192, 32)
    120422400
    """
    out_h, out_w = _pair_of_ints(output_size, "output_size")
    kh, kw = _pair_of_ints(kernel_size, "kernel_size")
    c_in, c_out = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    return out_h * out_w * kh * kw * c_in * c_out


def conv2d_cost(input_size, kernel_size, in_channels, out_channels, reduce_channels=None, use_bias=True):
    """(parameters, multiply-adds) of a stride-1 "same" convolution, optionally after a 1x1 reduction.

    Args:
        input_size: (height, width) or an int; the output has the same size.
        kernel_size: (k_h, k_w) or an int.
        in_channels, out_channels: c_in and c_out, positive integers.
        reduce_channels: c_r, the channels of a 1x1 convolution applied first; None for none.
        use_bias: whether every convolution has biases.

    Returns:
        The tuple (parameters, multiply_adds) of ints.

    Example:

    >>> from dlcourse.cnn import conv2d_cost
    >>> conv2d_cost(28, 5, 192, 32), conv2d_cost(28, 5, 192, 32, reduce_channels=16)
    ((153632, 120422400), (15920, 12443648))
    """
    if reduce_channels is None:
        return (conv2d_param_count(kernel_size, in_channels, out_channels, use_bias),
                conv2d_multiply_adds(input_size, kernel_size, in_channels, out_channels))
    reduce = conv2d_cost(input_size, 1, in_channels, reduce_channels, None, use_bias)
    main = conv2d_cost(input_size, kernel_size, reduce_channels, out_channels, None, use_bias)
    return reduce[0] + main[0], reduce[1] + main[1]


_BRANCHES = ("filters_1x1", "reduce_3x3", "filters_3x3", "reduce_5x5", "filters_5x5", "pool_projection")


@keras.saving.register_keras_serializable(package="dlcourse")
class InceptionModule(keras.layers.Layer):
    """GoogLeNet's Inception module: four parallel branches, concatenated along the channels.

        branch 1:  1x1 conv (filters_1x1)
        branch 2:  1x1 conv (reduce_3x3)  -> 3x3 conv (filters_3x3)
        branch 3:  1x1 conv (reduce_5x5)  -> 5x5 conv (filters_5x5)
        branch 4:  3x3 max pooling, stride 1 -> 1x1 conv (pool_projection)
        y = concat(branch 1, ..., branch 4),  filters_1x1 + filters_3x3 + filters_5x5 + pool_projection channels

    Every convolution has stride 1, "same" padding, a bias and the activation (ReLU in
    GoogLeNet), so the module keeps the height and width. The 1x1 "reduce" convolutions are
    the notes' channel reduction: they make the 3x3 and 5x5 convolutions cheap
    (`multiply_adds` counts the module's cost). The sublayers are `conv_1x1`, `reduce_3x3`,
    `conv_3x3`, `reduce_5x5`, `conv_5x5`, `pool` and `pool_projection`.

    Args:
        filters_1x1, reduce_3x3, filters_3x3, reduce_5x5, filters_5x5, pool_projection: channels
            of the six convolutions, positive integers (the columns of GoogLeNet's table).
        activation: applied after every convolution. Defaults to "relu".
        kernel_initializer: of the convolutions. Defaults to "glorot_uniform".
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, c_in).

    Returns:
        A tensor of shape (batch, height, width, filters_1x1 + filters_3x3 + filters_5x5 +
        pool_projection).

    Example:

    >>> import keras
    >>> from dlcourse.cnn import InceptionModule
    >>> module = InceptionModule(64, 96, 128, 16, 32, 32)  # GoogLeNet's inception (3a)
    >>> tuple(module(keras.ops.zeros((1, 28, 28, 192))).shape)
    (1, 28, 28, 256)
    >>> module.count_params(), module.multiply_adds((28, 28, 192))
    (163696, 128049152)
    """

    def __init__(self, filters_1x1, reduce_3x3, filters_3x3, reduce_5x5, filters_5x5, pool_projection,
                 activation="relu", kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        values = (filters_1x1, reduce_3x3, filters_3x3, reduce_5x5, filters_5x5, pool_projection)
        for name, value in zip(_BRANCHES, values):
            setattr(self, name + "_filters", positive_int(name, value))
        self.activation = keras.activations.get(activation)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

        def conv(filters, size, name):
            return Conv2D(filters, size, padding="same", activation=activation,
                          kernel_initializer=kernel_initializer, name=name)

        self.conv_1x1 = conv(self.filters_1x1_filters, 1, "conv_1x1")
        self.reduce_3x3 = conv(self.reduce_3x3_filters, 1, "reduce_3x3")
        self.conv_3x3 = conv(self.filters_3x3_filters, 3, "conv_3x3")
        self.reduce_5x5 = conv(self.reduce_5x5_filters, 1, "reduce_5x5")
        self.conv_5x5 = conv(self.filters_5x5_filters, 5, "conv_5x5")
        self.pool = MaxPooling2D(3, strides=1, padding="same", name="pool")
        self.pool_projection = conv(self.pool_projection_filters, 1, "pool_projection")

    def _convolutions(self):
        """(layer, its input channels) of the six convolutions; None where that is the module's input."""
        return (
            (self.conv_1x1, None),
            (self.reduce_3x3, None),
            (self.conv_3x3, self.reduce_3x3_filters),
            (self.reduce_5x5, None),
            (self.conv_5x5, self.reduce_5x5_filters),
            (self.pool_projection, None),
        )

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                f"InceptionModule needs inputs of shape (batch, height, width, channels), got {tuple(input_shape)}."
            )
        for layer, channels in self._convolutions():
            layer.build(tuple(input_shape) if channels is None else (*input_shape[:3], channels))

    def call(self, inputs):
        branches = [
            self.conv_1x1(inputs),
            self.conv_3x3(self.reduce_3x3(inputs)),
            self.conv_5x5(self.reduce_5x5(inputs)),
            self.pool_projection(self.pool(inputs)),
        ]
        return keras.ops.concatenate(branches, axis=-1)

    def compute_output_shape(self, input_shape):
        channels = self.filters_1x1_filters + self.filters_3x3_filters + self.filters_5x5_filters
        return (*input_shape[:3], channels + self.pool_projection_filters)

    def multiply_adds(self, input_shape):
        """Multiply-adds of the module's convolutions on one image of shape (height, width, c_in)."""
        height, width, c_in = input_shape
        return sum(  # "same" padding and stride 1: every output is height x width
            conv2d_multiply_adds((height, width), layer.kernel_size, c_in if channels is None else channels, layer.filters)
            for layer, channels in self._convolutions()
        )

    def get_config(self):
        return {
            **super().get_config(),
            **{name: getattr(self, name + "_filters") for name in _BRANCHES},
            "activation": keras.activations.serialize(self.activation),
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        }
