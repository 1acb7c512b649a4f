"""2-D convolution: by hand in numpy (naive loops and im2col) and as a Keras layer.

Lecture: §4.1 Basic structure and components; §4.2.3 Convolution; §4.2.5 Advanced Techniques

The notes describe convolution as sliding a kernel over patches of the image (§4.1), with the
1x1 convolution y_{i,j,k} = sum_c x_{i,j,c} w_{c,k} + b_k as its smallest case (§4.2.3) and
dilated convolutions among the advanced techniques (§4.2.5); the general formula below is
ours, the one every deep-learning library uses. Images are channels-last (NHWC): a batch x of
shape (batch, height, width, c_in), a kernel of shape (kh, kw, c_in, c_out) -- Keras' layout.
Like every deep-learning library, "convolution" here is cross-correlation (the kernel is not
flipped):

    y[n, i, j, o] = b[o] + sum_{u, v, c} x_pad[n, i*s + u*d, j*s + v*d, c] * k[u, v, c, o]

with stride s, dilation d and the zero-padded input x_pad. A kernel of size k dilated by d
covers an effective window of k_eff = (k - 1) d + 1 pixels, and the output size is

    out = floor((in + pad_before + pad_after - k_eff) / s) + 1.

Padding is "valid" (none), "same" (Keras/TensorFlow rule: out = ceil(in / s); the total
padding max((out - 1) s + k_eff - in, 0) is split with the extra pixel after), or explicit
zero padding: an int p (p on every side), a pair (ph, pw), or ((top, bottom), (left, right)).

im2col turns the convolution into one matrix multiply: every receptive field becomes a row of
length kh*kw*c_in (ordered like `kernel.reshape(-1, c_out)`), so y = cols @ K + b.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import is_int, positive_int

__all__ = [
    "conv_padding",
    "conv_output_size",
    "pad_images",
    "conv2d_naive",
    "im2col",
    "conv2d_im2col",
    "col2im",
    "conv2d_backward",
    "Conv2D",
]


def _pair_of_ints(value, argument, minimum=1):
    pair = (value, value) if is_int(value) else value
    if (
        not isinstance(pair, (tuple, list))
        or len(pair) != 2
        or any(not is_int(v) or v < minimum for v in pair)
    ):
        raise ValueError(
            f"{argument} must be an integer >= {minimum} or a pair of them (rows, columns), got {value!r}."
        )
    return int(pair[0]), int(pair[1])


def _explicit_padding(padding):
    """((top, bottom), (left, right)) of an explicit padding, or None for "valid"/"same"."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(f'padding must be "valid", "same" or explicit integers, got {padding!r}.')
        return None
    if is_int(padding):
        padding = (padding, padding)
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        sides = []
        for side in padding:
            if is_int(side):
                side = (side, side)
            if (
                not isinstance(side, (tuple, list))
                or len(side) != 2
                or any(not is_int(v) or v < 0 for v in side)
            ):
                break
            sides.append((int(side[0]), int(side[1])))
        else:
            return tuple(sides)
    raise ValueError(
        'padding must be "valid", "same", an integer >= 0, a pair (rows, columns) or '
        f"((top, bottom), (left, right)), got {padding!r}."
    )


def conv_padding(input_size, kernel_size, stride=1, dilation=1, padding="valid"):
    """Zero padding (before, after) of one spatial axis.

    "valid" pads nothing; "same" pads max((ceil(in / s) - 1) s + k_eff - in, 0) pixels in total,
    the extra one after (TensorFlow's rule), with k_eff = (k - 1) d + 1; explicit padding is
    given per axis as an int p or a pair (before, after).

    Args:
        input_size: length of the axis.
        kernel_size: kernel length k on the axis.
        stride: stride s.
        dilation: dilation d.
        padding: "valid", "same", an int or a pair (before, after).

    Returns:
        The tuple (before, after).

    Example:

    >>> from dlcourse.cnn import conv_padding
    >>> conv_padding(6, 3, stride=2, padding="same")
    (0, 1)
    """
    if padding == "valid":
        return 0, 0
    if padding == "same":
        effective = (kernel_size - 1) * dilation + 1
        output = -(-input_size // stride)
        total = max((output - 1) * stride + effective - input_size, 0)
        return total // 2, total - total // 2
    if isinstance(padding, (int, np.integer)):
        return int(padding), int(padding)
    return int(padding[0]), int(padding[1])


def conv_output_size(input_size, kernel_size, stride=1, dilation=1, padding="valid"):
    """Output length of one spatial axis, floor((in + pads - k_eff) / s) + 1.

    Example:

    >>> from dlcourse.cnn import conv_output_size
    >>> conv_output_size(7, 3, stride=2), conv_output_size(7, 3, padding="same")
    (3, 7)
    """
    before, after = conv_padding(input_size, kernel_size, stride, dilation, padding)
    effective = (kernel_size - 1) * dilation + 1
    return (input_size + before + after - effective) // stride + 1


def _geometry(x_shape, kernel_size, strides, padding, dilation_rate):
    """Per-axis padding and output sizes of an NHWC convolution, with arguments validated."""
    kernel_size = _pair_of_ints(kernel_size, "kernel_size")
    strides = _pair_of_ints(strides, "strides")
    dilation_rate = _pair_of_ints(dilation_rate, "dilation_rate")
    explicit = _explicit_padding(padding)
    pads, outputs = [], []
    for axis in range(2):
        spec = padding if explicit is None else explicit[axis]
        args = (x_shape[1 + axis], kernel_size[axis], strides[axis], dilation_rate[axis], spec)
        pads.append(conv_padding(*args))
        outputs.append(conv_output_size(*args))
    if min(outputs) < 1:
        raise ValueError(
            f"the dilated kernel ({kernel_size} with dilation {dilation_rate}) is larger than the "
            f"padded input {tuple(x_shape[1:3])}; use a smaller kernel or more padding."
        )
    return kernel_size, strides, dilation_rate, tuple(pads), tuple(outputs)


def pad_images(x, pads, value=0.0):
    """Pad an NHWC batch on its two spatial axes; pads = ((top, bottom), (left, right))."""
    return np.pad(np.asarray(x), ((0, 0), pads[0], pads[1], (0, 0)), constant_values=value)


def _check_images_and_kernel(x, kernel):
    x, kernel = np.asarray(x, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (batch, height, width, channels), got shape {x.shape}.")
    if kernel.ndim != 4 or kernel.shape[2] != x.shape[3]:
        raise ValueError(
            f"kernel must have shape (kh, kw, c_in={x.shape[3]}, c_out), got shape {kernel.shape}."
        )
    return x, kernel


def conv2d_naive(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """2-D convolution with explicit loops over output pixels: the notes' sliding kernel, written out.

    Each output pixel is the kernel applied to one receptive field (the formula is ours, the
    libraries' cross-correlation):

        y[n, i, j, o] = b[o] + sum_{u, v, c} x_pad[n, i*s + u*d, j*s + v*d, c] k[u, v, c, o]

    Args:
        x: images, shape (batch, height, width, c_in).
        kernel: shape (kh, kw, c_in, c_out).
        bias: shape (c_out,), or None.
        strides: s, an int or a pair (rows, columns).
        padding: "valid", "same", or explicit zero padding (see the module docstring).
        dilation_rate: d, an int or a pair.

    Returns:
        y, float64 of shape (batch, out_height, out_width, c_out).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import conv2d_naive
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> conv2d_naive(x, np.ones((2, 2, 1, 1)), strides=2)[0, :, :, 0]
    array([[10., 18.],
           [42., 50.]])
    """
    x, kernel = _check_images_and_kernel(x, kernel)
    (kh, kw), (sh, sw), (dh, dw), pads, (oh, ow) = _geometry(
        x.shape, kernel.shape[:2], strides, padding, dilation_rate
    )
    x_pad = pad_images(x, pads)
    y = np.zeros((x.shape[0], oh, ow, kernel.shape[3]))
    for i in range(oh):
        for j in range(ow):
            # the receptive field of output pixel (i, j): every d-th pixel of a k_eff window
            field = x_pad[:, i * sh : i * sh + (kh - 1) * dh + 1 : dh, j * sw : j * sw + (kw - 1) * dw + 1 : dw, :]
            y[:, i, j, :] = np.tensordot(field, kernel, axes=([1, 2, 3], [0, 1, 2]))
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y


def im2col(x, kernel_size, strides=1, padding="valid", dilation_rate=1):
    """Unfold every receptive field of an NHWC batch into a row of a matrix.

    Row n*oh*ow + i*ow + j holds the receptive field of output pixel (i, j) of image n,
    flattened in (u, v, c) order -- the order of `kernel.reshape(kh * kw * c_in, c_out)`, so
    that the convolution is `im2col(x, ...) @ kernel.reshape(-1, c_out)`.

    Args:
        x: images, shape (batch, height, width, c_in).
        kernel_size: (kh, kw) or an int.
        strides, padding, dilation_rate: as in `conv2d_naive`.

    Returns:
        The tuple (cols, (out_height, out_width)), cols of shape
        (batch * out_height * out_width, kh * kw * c_in).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import im2col
    >>> cols, out = im2col(np.arange(9.0).reshape(1, 3, 3, 1), 2)
    >>> cols.shape, out
    ((4, 4), (2, 2))
    >>> cols[1]
    array([1., 2., 4., 5.])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"x must have shape (batch, height, width, channels), got shape {x.shape}.")
    (kh, kw), (sh, sw), (dh, dw), pads, (oh, ow) = _geometry(
        x.shape, kernel_size, strides, padding, dilation_rate
    )
    x_pad = pad_images(x, pads)
    # one strided slice per kernel tap (u, v) gathers that tap for every output pixel at once
    taps = [
        x_pad[:, u * dh : u * dh + (oh - 1) * sh + 1 : sh, v * dw : v * dw + (ow - 1) * sw + 1 : sw, :]
        for u in range(kh)
        for v in range(kw)
    ]
    cols = np.stack(taps, axis=3)  # (batch, oh, ow, kh*kw, c_in)
    return cols.reshape(x.shape[0] * oh * ow, kh * kw * x.shape[3]), (oh, ow)


def conv2d_im2col(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """2-D convolution as one matrix multiply, y = im2col(x) @ K + b.

    Same arguments, result and conventions as `conv2d_naive`.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import conv2d_im2col, conv2d_naive
    >>> x = np.random.default_rng(0).normal(size=(2, 6, 6, 3))
    >>> k = np.random.default_rng(1).normal(size=(3, 3, 3, 4))
    >>> bool(np.allclose(conv2d_im2col(x, k, padding="same", dilation_rate=2),
    ...                  conv2d_naive(x, k, padding="same", dilation_rate=2)))
    True
    """
    x, kernel = _check_images_and_kernel(x, kernel)
    cols, (oh, ow) = im2col(x, kernel.shape[:2], strides, padding, dilation_rate)
    y = cols @ kernel.reshape(-1, kernel.shape[3])
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y.reshape(x.shape[0], oh, ow, kernel.shape[3])


def col2im(cols, x_shape, kernel_size, strides=1, padding="valid", dilation_rate=1):
    """The adjoint of `im2col`: add every row of cols back onto the pixels it was read from.

    Where receptive fields overlap, their contributions add up -- exactly what backpropagation
    needs, since a pixel read by several output pixels receives the sum of their gradients.

    Args:
        cols: shape (batch * out_height * out_width, kh * kw * c_in), rows as `im2col` makes them.
        x_shape: the images' shape (batch, height, width, c_in).
        kernel_size, strides, padding, dilation_rate: as given to `im2col`.

    Returns:
        An array of shape x_shape.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import im2col, col2im
    >>> cols, _ = im2col(np.ones((1, 3, 3, 1)), 2)
    >>> col2im(cols, (1, 3, 3, 1), 2)[0, :, :, 0]  # how many fields read each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    (kh, kw), (sh, sw), (dh, dw), pads, (oh, ow) = _geometry(
        x_shape, kernel_size, strides, padding, dilation_rate
    )
    n, h, w, c = x_shape
    taps = np.asarray(cols, dtype=np.float64).reshape(n, oh, ow, kh * kw, c)
    x_pad = np.zeros((n, h + sum(pads[0]), w + sum(pads[1]), c))
    for index in range(kh * kw):
        u, v = divmod(index, kw)
        x_pad[:, u * dh : u * dh + (oh - 1) * sh + 1 : sh, v * dw : v * dw + (ow - 1) * sw + 1 : sw, :] += (
            taps[:, :, :, index, :]
        )
    (top, _), (left, _) = pads
    return x_pad[:, top : top + h, left : left + w, :]


def conv2d_backward(grad_output, x, kernel, strides=1, padding="valid", dilation_rate=1):
    """Backpropagation through a 2-D convolution: the gradients of the loss L w.r.t. x, k and b.

    With the im2col form y = cols K + b (K = kernel.reshape(-1, c_out)) and G = dL/dy reshaped
    to (batch * oh * ow, c_out), the chain rule gives

        dL/dK = cols^T G,     dL/db = sum of G over rows,     dL/dcols = G K^T

    and dL/dx = col2im(dL/dcols): each pixel collects the gradients of every output pixel that
    read it.

    Args:
        grad_output: dL/dy, shape (batch, out_height, out_width, c_out).
        x, kernel, strides, padding, dilation_rate: the forward pass's arguments.

    Returns:
        The tuple (dx, dkernel, dbias) with the shapes of x, kernel and (c_out,).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import conv2d_backward
    >>> x, k = np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1))
    >>> dx, dk, db = conv2d_backward(np.ones((1, 2, 2, 1)), x, k)
    >>> dk[:, :, 0, 0], db
    (array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    x, kernel = _check_images_and_kernel(x, kernel)
    c_out = kernel.shape[3]
    cols, (oh, ow) = im2col(x, kernel.shape[:2], strides, padding, dilation_rate)
    grad_output = np.asarray(grad_output, dtype=np.float64)
    if grad_output.shape != (x.shape[0], oh, ow, c_out):
        raise ValueError(
            f"grad_output must have the output's shape {(x.shape[0], oh, ow, c_out)}, got {grad_output.shape}."
        )
    g = grad_output.reshape(-1, c_out)
    dkernel = (cols.T @ g).reshape(kernel.shape)
    dx = col2im(g @ kernel.reshape(-1, c_out).T, x.shape, kernel.shape[:2], strides, padding, dilation_rate)
    return dx, dkernel, g.sum(axis=0)


def _keras_padding(padding):
    """Validated padding for the Keras layers: "valid", "same" or ((top, bottom), (left, right))."""
    explicit = _explicit_padding(padding)
    return padding if explicit is None else explicit


def _serializable_padding(padding):
    return padding if isinstance(padding, str) else [list(side) for side in padding]


def _same_padding_tensor(inputs, kernel_size, strides, dilation_rate):
    """Explicit ((top, bottom), (left, right)) of "same" for a known input shape."""
    if inputs.shape[1] is None or inputs.shape[2] is None:
        raise ValueError(
            'padding "same" with both strides and dilation_rate above 1 needs a known image height and '
            f"width, got input shape {tuple(inputs.shape)}; give the model's Input a fixed size."
        )
    return tuple(
        conv_padding(int(inputs.shape[1 + a]), kernel_size[a], strides[a], dilation_rate[a], "same")
        for a in range(2)
    )


def _convolve(inputs, kernel, strides, padding, dilation_rate, operation=None):
    """Apply `keras.ops.conv` (or `operation`, e.g. `keras.ops.depthwise_conv`) to NHWC inputs.

    Explicit padding is applied with `keras.ops.pad`. Stride and dilation together are
    computed as the stride-1 dilated convolution subsampled every s pixels, because
    TensorFlow's kernels refuse both at once (the padding is resolved for the strided
    convolution first, so "same" keeps its meaning).
    """
    operation = operation or ops.conv
    kernel_size = tuple(int(k) for k in kernel.shape[:2])
    if max(strides) > 1 and max(dilation_rate) > 1:
        if padding == "same":
            padding = _same_padding_tensor(inputs, kernel_size, strides, dilation_rate)
        if padding != "valid":
            inputs = ops.pad(inputs, ((0, 0), padding[0], padding[1], (0, 0)))
        outputs = operation(inputs, kernel, strides=1, padding="valid", dilation_rate=dilation_rate)
        return outputs[:, :: strides[0], :: strides[1], :]
    if not isinstance(padding, str):
        inputs = ops.pad(inputs, ((0, 0), padding[0], padding[1], (0, 0)))
        padding = "valid"
    return operation(inputs, kernel, strides=strides, padding=padding, dilation_rate=dilation_rate)


def _output_shape_2d(input_shape, kernel_size, strides, padding, dilation_rate, channels):
    """Static output shape (batch, oh, ow, channels) of a 2-D convolution or pooling."""
    explicit = _explicit_padding(padding)
    sizes = []
    for a in range(2):
        size = input_shape[1 + a]
        if size is None:
            sizes.append(None)
            continue
        spec = padding if explicit is None else explicit[a]
        sizes.append(conv_output_size(size, kernel_size[a], strides[a], dilation_rate[a], spec))
    return (input_shape[0], *sizes, channels)


@keras.saving.register_keras_serializable(package="dlcourse")
class Conv2D(keras.layers.Layer):
    """2-D convolution layer (cross-correlation) over channels-last images.

    Each of the `filters` output channels slides a kernel over the input and adds a bias:

        y[n, i, j, o] = g( b[o] + sum_{u, v, c} x_pad[n, i*s + u*d, j*s + v*d, c] k[u, v, c, o] )

    with stride s, dilation d and activation g. The kernel has shape (kh, kw, c_in, filters)
    and the bias (filters,), in that order -- the layout of `keras.layers.Conv2D`, so
    `set_weights` moves weights between the two and both compute the same outputs. Unlike
    Keras' layer it also accepts explicit zero padding and stride together with dilation.
    A 1x1 convolution (`kernel_size=1`) is a dense layer applied to every pixel.

    Args:
        filters: number of output channels, a positive integer.
        kernel_size: (kh, kw) or an int.
        strides: s, an int or a pair. Defaults to 1.
        padding: "valid", "same", an int p, a pair (ph, pw) or ((top, bottom), (left, right)).
        dilation_rate: d, an int or a pair. Defaults to 1.
        activation: g, a name or callable for `keras.activations.get`. Defaults to None.
        use_bias: whether to add b. Defaults to True.
        kernel_initializer, bias_initializer: initializers of k and b.
        kernel_regularizer, bias_regularizer: optional regularizers of k and b.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor of shape (batch, height, width, c_in).

    Returns:
        A tensor of shape (batch, out_height, out_width, filters).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import Conv2D
    >>> layer = Conv2D(4, 3, strides=2, padding="same")
    >>> tuple(layer(np.zeros((2, 7, 7, 3), "float32")).shape)
    (2, 4, 4, 4)
    >>> layer.count_params()  # 3*3*3*4 + 4
    112
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = positive_int("filters", filters)
        self.kernel_size = _pair_of_ints(kernel_size, "kernel_size")
        self.strides = _pair_of_ints(strides, "strides")
        self.dilation_rate = _pair_of_ints(dilation_rate, "dilation_rate")
        self.padding = _keras_padding(padding)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None or len(input_shape) != 4:
            raise ValueError(
                "Conv2D needs inputs of shape (batch, height, width, channels) with known "
                f"channels, got {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.filters),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.filters,), name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
            )

    def call(self, inputs):
        outputs = _convolve(inputs, self.kernel, self.strides, self.padding, self.dilation_rate)
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return _output_shape_2d(
            input_shape, self.kernel_size, self.strides, self.padding, self.dilation_rate, self.filters
        )

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": _serializable_padding(self.padding),
            "dilation_rate": self.dilation_rate,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
        }
