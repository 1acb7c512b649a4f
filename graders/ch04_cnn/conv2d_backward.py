"""Grader for ch04_cnn/conv2d_backward."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "autograd", "jax", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "conv2d_backward": {
        "dy": "(N, oh, ow, C_out)",
        "x": "(N, H, W, C_in)",
        "kernel": "(KH, KW, C_in, C_out)",
    },
}


def _gradients(sub, seed, x_shape, kernel_shape, stride, padding, suffix=""):
    rng = np.random.default_rng(seed)
    x, kernel = rng.normal(size=x_shape), rng.normal(size=kernel_shape)
    oh = (x_shape[1] + 2 * padding - kernel_shape[0]) // stride + 1
    ow = (x_shape[2] + 2 * padding - kernel_shape[1]) // stride + 1
    dy = rng.normal(size=(x_shape[0], oh, ow, kernel_shape[3]))
    dx, dkernel, dbias = sub.conv2d_backward(dy, x, kernel, stride, padding)
    return {f"dx{suffix}": dx, f"dkernel{suffix}": dkernel, f"dbias{suffix}": dbias}


_HINTS = {
    "dx": "every input pixel collects kernel * dy from each output pixel that read it (add up with +=); "
          "drop the padded border at the end.",
    "dkernel": "dkernel[u, v, c, o] sums x_pad[n, i*s + u, j*s + v, c] * dy[n, i, j, o] over n, i and j.",
    "dbias": "dbias[o] sums dy[n, i, j, o] over the batch, height and width.",
}


_UNREAD_HINT = ("All of them should be 0: an input pixel that no output pixel reads (when the stride "
                "skips the last row or column) gets no gradient.")


def _gradients_ok(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing: return the tuple (dx, dkernel, dbias).")
        got = np.asarray(got, dtype=float)
        if got.shape != expected.shape:
            raise AssertionError(f"`{key}` has shape {got.shape}, expected {expected.shape}.")
        close = np.isclose(got, expected, rtol=1e-5, atol=1e-6)
        if not close.all():
            gradient = key.split("_")[0]  # "dx_at_stride_3" -> "dx"
            unread = " " + _UNREAD_HINT if gradient == "dx" and np.all(expected[~close] == 0) else ""
            raise AssertionError(
                f"`{key}` differs from the expected gradient in {int((~close).sum())} of {close.size} entries: "
                f"{_HINTS[gradient]}{unread}"
            )


@check(points=1, visible=True, compare=_gradients_ok)
def single_image(sub):
    """one 4x4 image with 1 channel, a 2x2 kernel to 2 channels, stride 1, no padding."""
    return _gradients(sub, 0, (1, 4, 4, 1), (2, 2, 1, 2), 1, 0)


@check(points=1, compare=_gradients_ok)
def batch_and_channels(sub):
    """a batch of 3 images with 4 channels, a 3x2 kernel to 5 channels, stride 1, no padding."""
    return _gradients(sub, 1, (3, 6, 5, 4), (3, 2, 4, 5), 1, 0)


@check(points=2, compare=_gradients_ok)
def stride_and_padding(sub):
    """padding 1 with a 3x3 kernel, 2 channels to 3: stride 2 on 7x6 images (neighbouring fields share
    a row or column; every pixel is read), and stride 3 on 9x7 images, where the 3 output rows read
    padded rows 0 .. 8 of 0 .. 10, so the last input row (padded row 9) is never read: its dx is 0.
    (With stride 2 and padding 1 every input row is read, whatever the height.)"""
    return {**_gradients(sub, 2, (2, 7, 6, 2), (3, 3, 2, 3), 2, 1),
            **_gradients(sub, 4, (2, 9, 7, 2), (3, 3, 2, 3), 3, 1, suffix="_at_stride_3")}


@check(points=1, compare=_gradients_ok)
def overlapping_fields_and_wide_padding(sub):
    """a 5x5 kernel with stride 1 and padding 2 ("same" size): every input pixel is read up to 25 times."""
    return _gradients(sub, 3, (2, 6, 6, 3), (5, 5, 3, 2), 1, 2)
