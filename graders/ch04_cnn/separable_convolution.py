"""Grader for ch04_cnn/separable_convolution."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "depthwise_conv2d": {"x": "(N, H, W, C_in)", "depthwise_kernel": "(KH, KW, C_in, M)"},
    "pointwise_conv2d": {
        "z": "(N, oh, ow, C_in * M)",
        "pointwise_kernel": "(1, 1, C_in * M, C_out)",
        "bias": "(C_out,)",
    },
    "separable_conv2d": {
        "x": "(N, H, W, C_in)",
        "depthwise_kernel": "(KH, KW, C_in, M)",
        "pointwise_kernel": "(1, 1, C_in * M, C_out)",
        "bias": "(C_out,)",
    },
    "conv_param_count": {},
    "separable_param_count": {},
}


def _normal(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


@check(points=1, visible=True)
def depthwise_single_kernel(sub):
    """depthwise convolution with M = 1: one 5x5 image with 2 channels, a 3x3 kernel, stride 1, no padding."""
    x, dk = _normal(0, (1, 5, 5, 2), (3, 3, 2, 1))
    return {"z": sub.depthwise_conv2d(x, dk, 1, 0)}


def _depthwise_ok(student, reference):
    got, expected = student.get("z"), reference["z"]
    if got is None or np.shape(got) != expected.shape:
        raise AssertionError(f"`z` has shape {np.shape(got)}, expected {expected.shape} (N, oh, ow, C_in * M).")
    got = np.asarray(got, dtype=float)
    if np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        return
    n, oh, ow, channels = expected.shape
    swapped = expected.reshape(n, oh, ow, 3, 2).swapaxes(3, 4).reshape(expected.shape)
    if np.allclose(got, swapped, rtol=1e-5, atol=1e-6):
        raise AssertionError(
            "the depthwise outputs are right but in the wrong channel order: output channel c * M + q "
            "is input channel c with kernel q (the M outputs of one input channel are adjacent)."
        )
    raise AssertionError("`z` differs from the expected depthwise convolution (stride 2, padding 1, M = 2).")


@check(points=2, compare=_depthwise_ok)
def depthwise_multiplier_stride_padding(sub):
    """depthwise with M = 2, stride 2, padding 1 on a batch of 2 images with 3 channels."""
    x, dk = _normal(1, (2, 7, 6, 3), (3, 3, 3, 2))
    return {"z": sub.depthwise_conv2d(x, dk, 2, 1)}


@check(points=1)
def separable_forward(sub):
    """the pointwise step alone, and a whole separable convolution (M = 2, 2x3 kernel, padding 1, bias)."""
    x, dk, pk, bias, z, pk2 = _normal(2, (2, 6, 5, 3), (2, 3, 3, 2), (1, 1, 6, 4), (4,), (2, 3, 3, 5), (1, 1, 5, 2))
    return {
        "pointwise_no_bias": sub.pointwise_conv2d(z, pk2, None),
        "separable": sub.separable_conv2d(x, dk, pk, bias, 1, 1),
    }


_CONFIGS = [  # kh, kw, c_in, c_out, depth_multiplier, use_bias
    (3, 3, 64, 128, 1, True),
    (3, 3, 3, 32, 1, False),
    (5, 3, 16, 8, 2, True),
    (1, 1, 10, 20, 1, True),
    (7, 7, 32, 64, 4, False),
]


@check(points=2)
def parameter_counts(sub):
    """standard and separable parameter counts for five layer shapes, with and without bias."""
    standard = [sub.conv_param_count(kh, kw, ci, co, bias) for kh, kw, ci, co, _, bias in _CONFIGS]
    separable = [sub.separable_param_count(kh, kw, ci, co, m, bias) for kh, kw, ci, co, m, bias in _CONFIGS]
    return {"standard": np.array(standard, dtype=float), "separable": np.array(separable, dtype=float)}
