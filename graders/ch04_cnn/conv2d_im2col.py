"""Grader for ch04_cnn/conv2d_im2col."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "im2col": {"x": "(N, H, W, C_in)"},
    "conv2d_im2col": {"x": "(N, H, W, C_in)", "kernel": "(KH, KW, C_in, C_out)", "bias": "(C_out,)"},
}


def _inputs(seed, x_shape, kernel_shape):
    rng = np.random.default_rng(seed)
    return rng.normal(size=x_shape), rng.normal(size=kernel_shape), rng.normal(size=kernel_shape[-1])


def _cols(prefix, result):
    cols, (oh, ow) = result
    return {f"{prefix}cols": cols, f"{prefix}out_size": np.array([oh, ow])}


def _cols_ok(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing: im2col must return the tuple (cols, (oh, ow)).")
        got = np.asarray(got)
        if got.shape != expected.shape:
            what = "(oh, ow)" if key.endswith("out_size") else "cols"
            raise AssertionError(f"{what} ({key}) has shape {got.shape}, expected {expected.shape}.")
        if np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            continue
        if key.endswith("cols") and np.allclose(np.sort(got, axis=1), np.sort(expected, axis=1), rtol=1e-5, atol=1e-6):
            raise AssertionError(
                f"the rows of `{key}` hold the right receptive fields in the wrong order: flatten each "
                "field in (u, v, c) order (u slowest, c fastest), as kernel.reshape(-1, C_out) does."
            )
        raise AssertionError(
            f"`{key}` differs from the expected values; row n * oh * ow + i * ow + j must hold "
            "x_pad[n, i*s + u*d, j*s + v*d, c] for all (u, v, c)."
        )


@check(points=1, visible=True, compare=_cols_ok)
def im2col_small(sub):
    """im2col of one 3x4 image with 2 channels, 2x2 kernel, stride 1, no padding, no dilation."""
    x = np.arange(24.0).reshape(1, 3, 4, 2)
    return _cols("", sub.im2col(x, 2, 2, 1, 0, 1))


@check(points=2, compare=_cols_ok)
def im2col_stride_padding_dilation(sub):
    """im2col of a batch of 2 with 3 channels: stride 2 + padding 1, and dilation 2 + padding 2."""
    x, _, _ = _inputs(1, (2, 7, 6, 3), (1, 1, 1, 1))
    return {
        **_cols("strided_", sub.im2col(x, 3, 2, 2, 1, 1)),
        **_cols("dilated_", sub.im2col(x, 2, 3, 1, 2, 2)),
    }


@check(points=2)
def convolution_with_dilation(sub):
    """conv2d_im2col with dilation 2 (3x3 kernel) and dilation 3 with padding 3, with bias."""
    x, kernel, bias = _inputs(2, (2, 9, 8, 3), (3, 3, 3, 4))
    return {
        "dilation2": sub.conv2d_im2col(x, kernel, bias, 1, 0, 2),
        "dilation3_pad3": sub.conv2d_im2col(x, kernel, bias, 1, 3, 3),
    }


@check(points=1)
def stride_and_dilation_together(sub):
    """conv2d_im2col with stride 2, padding 2 and dilation 2 on odd sizes."""
    x, kernel, bias = _inputs(3, (3, 11, 9, 2), (3, 2, 2, 5))
    return {"y": sub.conv2d_im2col(x, kernel, bias, 2, 2, 2)}


@check(points=1)
def no_bias_and_one_by_one(sub):
    """bias None, and a 1x1 kernel with stride 3 (a per-pixel matrix product on a subgrid)."""
    x, kernel, _ = _inputs(4, (2, 7, 7, 4), (2, 2, 4, 3))
    _, pointwise, pointwise_bias = _inputs(5, (1, 1, 1, 1), (1, 1, 4, 6))
    return {
        "no_bias": sub.conv2d_im2col(x, kernel, None, 1, 1, 1),
        "one_by_one": sub.conv2d_im2col(x, pointwise, pointwise_bias, 3, 0, 1),
    }
