"""Grader for ch04_cnn/conv2d_naive."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "conv2d_naive": {"x": "(N, H, W, C_in)", "kernel": "(KH, KW, C_in, C_out)", "bias": "(C_out,)"},
}


def _inputs(seed, x_shape, kernel_shape, bias=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape)
    kernel = rng.normal(size=kernel_shape)
    return x, kernel, (rng.normal(size=kernel_shape[-1]) if bias else None)


@check(points=1, visible=True)
def valid_single_channel(sub):
    """one 5x5 grey image, a 3x3 kernel with two output channels, stride 1, "valid", no bias."""
    x, kernel, _ = _inputs(0, (1, 5, 5, 1), (3, 3, 1, 2), bias=False)
    return {"y": sub.conv2d_naive(x, kernel, None, 1, "valid")}


@check(points=1)
def batch_channels_and_bias(sub):
    """a batch of 3 images with 4 channels, a 2x3 kernel to 5 channels, with bias."""
    x, kernel, bias = _inputs(1, (3, 6, 7, 4), (2, 3, 4, 5))
    return {"y": sub.conv2d_naive(x, kernel, bias, 1, "valid")}


@check(points=2, hint=(
    "With stride s output pixel (i, j) starts at x_pad[i*s, j*s]; out = floor((L + 2p - K) / s) + 1."))
def stride_and_integer_padding(sub):
    """stride 2 with padding 1, and stride 3 with padding 2 (odd sizes, floor in the formula)."""
    x, kernel, bias = _inputs(2, (2, 7, 8, 3), (3, 3, 3, 4))
    x2, kernel2, bias2 = _inputs(3, (1, 9, 6, 2), (4, 2, 2, 3))
    return {
        "stride2_pad1": sub.conv2d_naive(x, kernel, bias, 2, 1),
        "stride3_pad2": sub.conv2d_naive(x2, kernel2, bias2, 3, 2),
    }


@check(points=2, hint=(
    'For "same": out = ceil(L / s), P = max((out - 1) s + K - L, 0), P_before = P // 2, the extra pixel after.'))
def same_padding(sub):
    """padding "same" with stride 1 (3x3 and even 4x2 kernels), with stride 2 (uneven split; on an
    odd height 7 the height needs 2 pixels of padding, the width 6 one), and a 1x1 kernel with
    stride 2 (where (out - 1) s + K - L is negative: no padding)."""
    x, kernel, bias = _inputs(4, (2, 6, 5, 2), (3, 3, 2, 3))
    _, even_kernel, even_bias = _inputs(5, (1, 1, 1, 2), (4, 2, 2, 3))
    odd, _, _ = _inputs(8, (2, 7, 6, 2), (1, 1, 1, 1))
    return {
        "stride1_3x3": sub.conv2d_naive(x, kernel, bias, 1, "same"),
        "stride1_4x2": sub.conv2d_naive(x, even_kernel, even_bias, 1, "same"),
        "stride2_3x3": sub.conv2d_naive(x, kernel, bias, 2, "same"),
        "stride2_odd_height": sub.conv2d_naive(odd, kernel, bias, 2, "same"),
        "stride2_1x1": sub.conv2d_naive(x, kernel[1:2, 1:2], bias, 2, "same"),
    }


@check(points=1)
def edge_cases(sub):
    """a kernel as large as the image (1x1 output) and a 1x1 kernel (a per-pixel matrix product)."""
    x, kernel, bias = _inputs(6, (2, 4, 3, 2), (4, 3, 2, 5))
    _, pointwise, pointwise_bias = _inputs(7, (1, 1, 1, 1), (1, 1, 2, 3))
    return {
        "whole_image": sub.conv2d_naive(x, kernel, bias, 1, "valid"),
        "one_by_one_stride2": sub.conv2d_naive(x, pointwise, pointwise_bias, 2, "valid"),
    }
