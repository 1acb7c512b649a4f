"""Depthwise-separable convolution: a depthwise convolution, then a pointwise (1x1) one.

Lecture: §4.2.5 Advanced Techniques; §4.2.3 Convolution

A standard convolution mixes space and channels at once. The notes' depthwise separable
convolution (MobileNet) factors it in a depthwise (per-channel) and a pointwise (1x1) step,
the pointwise one being the notes' 1x1 convolution at every pixel (formulas ours):

    depthwise:  z[n, i, j, c*m + q] = sum_{u, v} x_pad[n, i*s + u*d, j*s + v*d, c] dk[u, v, c, q]
    pointwise:  y[n, i, j, o]       = b[o] + sum_{r} z[n, i, j, r] pk[0, 0, r, o]

with depth multiplier m (q < m). Parameters, for a kh x kw kernel, c_in inputs, c_out outputs:

    standard:   kh kw c_in c_out + c_out
    separable:  kh kw c_in m + c_in m c_out + c_out

so a 3x3 separable convolution from 64 to 128 channels needs 8,896 weights instead of 73,856.
"""

from __future__ import annotations

import keras
import numpy as np

from dlcourse.arguments import positive_int
from dlcourse.cnn.convolution import (
    _check_images_and_kernel,
    _convolve,
    _keras_padding,
    _output_shape_2d,
    _pair_of_ints,
    _serializable_padding,
    conv2d_im2col,
)

__all__ = [
    "conv2d_param_count",
    "separable_conv2d_param_count",
    "depthwise_conv2d",
    "separable_conv2d",
    "DepthwiseConv2D",
    "SeparableConv2D",
]


def conv2d_param_count(kernel_size, in_channels, out_channels, use_bias=True):
    """Parameters of a standard convolution, kh kw c_in c_out (+ c_out biases).

    Example:

    >>> from dlcourse.cnn import conv2d_param_count
    >>> conv2d_param_count(3, 64, 128)
    73856
    """
    kh, kw = _pair_of_ints(kernel_size, "kernel_size")
    c_in, c_out = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    return kh * kw * c_in * c_out + (c_out if use_bias else 0)


def separable_conv2d_param_count(kernel_size, in_channels, out_channels, depth_multiplier=1, use_bias=True):
    """Parameters of a depthwise-separable convolution, kh kw c_in m + c_in m c_out (+ c_out).

    The ratio to a standard convolution (without biases) is 1 / c_out + 1 / (kh kw) for m = 1.

    Example:

    >>> from dlcourse.cnn import separable_conv2d_param_count
    >>> separable_conv2d_param_count(3, 64, 128)
    8896
    """
    kh, kw = _pair_of_ints(kernel_size, "kernel_size")
    c_in, c_out = positive_int("in_channels", in_channels), positive_int("out_channels", out_channels)
    m = positive_int("depth_multiplier", depth_multiplier)
    return kh * kw * c_in * m + c_in * m * c_out + (c_out if use_bias else 0)


def depthwise_conv2d(x, depthwise_kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise convolution in numpy: every input channel convolved with its own m kernels.

    Output channel c*m + q is input channel c convolved with depthwise_kernel[:, :, c, q] --
    the channel order of `keras.layers.DepthwiseConv2D`.

    Args:
        x: shape (batch, height, width, c_in).
        depthwise_kernel: shape (kh, kw, c_in, m).
        bias: shape (c_in * m,), or None.
        strides, padding, dilation_rate: as in `conv2d_naive`.

    Returns:
        z of shape (batch, out_height, out_width, c_in * m).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import depthwise_conv2d
    >>> x = np.ones((1, 3, 3, 2))
    >>> depthwise_conv2d(x, np.ones((3, 3, 2, 1)))[0, 0, 0]
    array([9., 9.])
    """
    x, depthwise_kernel = _check_images_and_kernel(x, depthwise_kernel)
    channels = [
        conv2d_im2col(x[..., c : c + 1], depthwise_kernel[:, :, c : c + 1, :], None, strides, padding, dilation_rate)
        for c in range(x.shape[3])
    ]
    z = np.concatenate(channels, axis=3)  # channel c's m outputs are adjacent: index c*m + q
    if bias is not None:
        z = z + np.asarray(bias, dtype=np.float64)
    return z


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise-separable convolution in numpy: depthwise, then a 1x1 convolution.

    Args:
        x: shape (batch, height, width, c_in).
        depthwise_kernel: shape (kh, kw, c_in, m).
        pointwise_kernel: shape (1, 1, c_in * m, c_out).
        bias: shape (c_out,), or None.
        strides, padding, dilation_rate: of the depthwise step.

    Returns:
        y of shape (batch, out_height, out_width, c_out).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import separable_conv2d
    >>> y = separable_conv2d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), np.ones((1, 1, 2, 5)))
    >>> y.shape, float(y[0, 0, 0, 0])
    ((1, 2, 2, 5), 18.0)
    """
    z = depthwise_conv2d(x, depthwise_kernel, None, strides, padding, dilation_rate)
    pointwise_kernel = np.asarray(pointwise_kernel, dtype=np.float64)
    if pointwise_kernel.shape[:3] != (1, 1, z.shape[3]):
        raise ValueError(
            f"pointwise_kernel must have shape (1, 1, c_in * m={z.shape[3]}, c_out), got {pointwise_kernel.shape}."
        )
    # a 1x1 convolution is a dense layer applied to every pixel
    y = z @ pointwise_kernel[0, 0]
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y


class _SpatialConvolution(keras.layers.Layer):
    """Arguments shared by the depthwise and separable layers."""

    def __init__(self, kernel_size, strides, padding, depth_multiplier, dilation_rate, activation, use_bias,
                 bias_initializer, **kwargs):
        super().__init__(**kwargs)
        self.kernel_size = _pair_of_ints(kernel_size, "kernel_size")
        self.strides = _pair_of_ints(strides, "strides")
        self.dilation_rate = _pair_of_ints(dilation_rate, "dilation_rate")
        self.padding = _keras_padding(padding)
        self.depth_multiplier = positive_int("depth_multiplier", depth_multiplier)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def _input_channels(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} needs inputs of shape (batch, height, width, channels) with "
                f"known channels, got {tuple(input_shape)}."
            )
        return input_shape[-1]

    def _depthwise(self, inputs):
        return _convolve(
            inputs, self.depthwise_kernel, self.strides, self.padding, self.dilation_rate,
            operation=keras.ops.depthwise_conv,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": _serializable_padding(self.padding),
            "depth_multiplier": self.depth_multiplier,
            "dilation_rate": self.dilation_rate,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package="dlcourse")
class DepthwiseConv2D(_SpatialConvolution):
    """Depthwise convolution: each input channel convolved with its own `depth_multiplier` kernels.

        z[n, i, j, c*m + q] = b[c*m + q] + sum_{u, v} x_pad[n, i*s + u*d, j*s + v*d, c] dk[u, v, c, q]

    No channel mixing happens. Weights: depthwise_kernel (kh, kw, c_in, m), bias (c_in * m,) --
    the layout of `keras.layers.DepthwiseConv2D`, which computes the same outputs.

    Args:
        kernel_size: (kh, kw) or an int.
        strides, padding, dilation_rate: as in `dlcourse.cnn.Conv2D`.
        depth_multiplier: m, kernels per input channel. Defaults to 1.
        activation: optional activation. use_bias: whether to add b (default True).
        depthwise_initializer, bias_initializer: initializers.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, c_in).

    Returns:
        A tensor of shape (batch, out_height, out_width, c_in * m).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import DepthwiseConv2D
    >>> layer = DepthwiseConv2D(3, depth_multiplier=2)
    >>> tuple(layer(np.zeros((1, 5, 5, 4), "float32")).shape), layer.count_params()
    ((1, 3, 3, 8), 80)
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, dilation_rate=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, dilation_rate, activation, use_bias,
                         bias_initializer, **kwargs)
        self.depthwise_initializer = keras.initializers.get(depthwise_initializer)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier), name="depthwise_kernel",
            initializer=self.depthwise_initializer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(channels * self.depth_multiplier,), name="bias", initializer=self.bias_initializer
            )

    def call(self, inputs):
        outputs = self._depthwise(inputs)
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] * self.depth_multiplier
        return _output_shape_2d(input_shape, self.kernel_size, self.strides, self.padding, self.dilation_rate, channels)

    def get_config(self):
        return {
            **super().get_config(),
            "depthwise_initializer": keras.initializers.serialize(self.depthwise_initializer),
        }


@keras.saving.register_keras_serializable(package="dlcourse")
class SeparableConv2D(_SpatialConvolution):
    """Depthwise-separable convolution: a depthwise convolution, then a 1x1 (pointwise) one.

        z = depthwise(x)                                      shape (batch, oh, ow, c_in * m)
        y[n, i, j, o] = g( b[o] + sum_r z[n, i, j, r] pk[0, 0, r, o] )

    It approximates a standard convolution with kh kw c_in m + c_in m c_out + c_out parameters
    instead of kh kw c_in c_out + c_out (see `separable_conv2d_param_count`). Weights:
    depthwise_kernel (kh, kw, c_in, m), pointwise_kernel (1, 1, c_in * m, filters), bias
    (filters,) -- the layout of `keras.layers.SeparableConv2D`, which computes the same outputs.

    Args:
        filters: c_out, a positive integer.
        kernel_size: (kh, kw) or an int.
        strides, padding, dilation_rate: of the depthwise step, as in `dlcourse.cnn.Conv2D`.
        depth_multiplier: m. Defaults to 1.
        activation: g, optional. use_bias: whether to add b (default True).
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, c_in).

    Returns:
        A tensor of shape (batch, out_height, out_width, filters).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import SeparableConv2D
    >>> layer = SeparableConv2D(128, 3, padding="same")
    >>> tuple(layer(np.zeros((1, 8, 8, 64), "float32")).shape), layer.count_params()
    ((1, 8, 8, 128), 8896)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", depth_multiplier=1, dilation_rate=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, dilation_rate, activation, use_bias,
                         bias_initializer, **kwargs)
        self.filters = positive_int("filters", filters)
        self.depthwise_initializer = keras.initializers.get(depthwise_initializer)
        self.pointwise_initializer = keras.initializers.get(pointwise_initializer)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier), name="depthwise_kernel",
            initializer=self.depthwise_initializer,
        )
        self.pointwise_kernel = self.add_weight(
            shape=(1, 1, channels * self.depth_multiplier, self.filters), name="pointwise_kernel",
            initializer=self.pointwise_initializer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), name="bias", initializer=self.bias_initializer)

    def call(self, inputs):
        depthwise = self._depthwise(inputs)
        # pointwise step: a dense layer over the channels of every pixel
        outputs = keras.ops.matmul(depthwise, self.pointwise_kernel[0, 0])
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return _output_shape_2d(input_shape, self.kernel_size, self.strides, self.padding, self.dilation_rate,
                                self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "depthwise_initializer": keras.initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": keras.initializers.serialize(self.pointwise_initializer),
        }
