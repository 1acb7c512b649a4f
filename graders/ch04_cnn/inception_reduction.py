"""Grader for ch04_cnn/inception_reduction."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "conv_cost": {},
    "reduced_conv_cost": {},
    "pointwise_conv": {"x": "(N, H, W, C_in)", "w": "(C_in, C_out)", "b": "(C_out,)"},
}


def _costs(prefix, result):
    parameters, multiply_adds = result
    return {f"{prefix}.parameters": float(parameters), f"{prefix}.multiply_adds": float(multiply_adds)}


def _cases(function, cases):
    out = {}
    for name, args in cases.items():
        out.update(_costs(name, function(*args)))
        out[f"{name}.arguments"] = repr(args)
    return out


def _same_counts(student, reference):
    for key, expected in reference.items():
        name, quantity = key.split(".")
        if quantity == "arguments":
            continue
        got = student.get(key)
        if got is None or np.shape(got) != () or float(got) != float(expected):
            arguments = str(reference[f"{name}.arguments"])
            function = "reduced_conv_cost" if name.startswith("reduced") else "conv_cost"
            raise AssertionError(
                f"{function}{arguments}: your {quantity.replace('_', '-')} count is "
                f"{None if got is None else float(got):.0f}, expected {float(expected):.0f}.")


@check(points=1, visible=True, compare=_same_counts)
def googlenet_5x5_branch(sub):
    """GoogLeNet's 5x5 branch on 28 x 28 x 192 with 32 outputs: directly, and with a 1x1 reduction to 16."""
    return {**_cases(sub.conv_cost, {"direct": (28, 28, 5, 192, 32)}),
            **_cases(sub.reduced_conv_cost, {"reduced": (28, 28, 5, 192, 16, 32)})}


@check(points=1, compare=_same_counts)
def without_bias_and_one_by_one(sub):
    """use_bias=False for both forms (3x3 and 5x5), and k = 1 (a 1x1 convolution alone) with and without bias."""
    return {
        **_cases(sub.conv_cost, {"direct_3x3_no_bias": (14, 14, 3, 64, 96, False),
                                 "direct_1x1": (7, 7, 1, 32, 8, True),
                                 "direct_1x1_no_bias": (7, 7, 1, 32, 8, False)}),
        **_cases(sub.reduced_conv_cost, {"reduced_5x5_no_bias": (14, 14, 5, 64, 12, 24, False)}),
    }


@check(points=2, compare=_same_counts)
def non_square_maps_and_extremes(sub):
    """feature maps with H != W, a reduction to a single channel, C_r > C_in (an expansion), and one
    output channel: both counts of both forms."""
    return {
        **_cases(sub.conv_cost, {"direct_wide": (5, 9, 3, 7, 11, True), "direct_one_output": (6, 4, 5, 3, 1, True)}),
        **_cases(sub.reduced_conv_cost, {"reduced_wide": (5, 9, 3, 7, 4, 11, True),
                                         "reduced_to_one": (8, 3, 5, 10, 1, 6, True),
                                         "reduced_expanding": (4, 6, 3, 2, 5, 3, False)}),
    }


@check(points=2, hint="y[n, i, j, k] = sum_c x[n, i, j, c] w[c, k] + b[k]: reshape x to (N * H * W, C_in), "
                      "multiply by w (C_in, C_out), add b, reshape to (N, H, W, C_out).")
def pointwise_convolution(sub):
    """pointwise_conv on a (2, 5, 4, 6) batch to 3 channels with bias, the same without bias, and a
    single pixel (1, 1, 1, 4) -> 2 (a plain dense layer)."""
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 5, 4, 6)), rng.normal(size=(6, 3)), rng.normal(size=3)
    pixel, w_pixel, b_pixel = rng.normal(size=(1, 1, 1, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
    return {"y": sub.pointwise_conv(x, w, b), "y_no_bias": sub.pointwise_conv(x, w, None),
            "y_pixel": sub.pointwise_conv(pixel, w_pixel, b_pixel)}
