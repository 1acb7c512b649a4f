"""Grader for ch01_perceptron/dense_forward."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.perceptron", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "dense_forward": {"x": "(batch, n_inputs)", "w": "(n_inputs, units)", "b": "(units,)"},
}


def _inputs(seed, batch=5, n_in=3, units=4, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, n_in)) * scale
    return x, rng.normal(size=(n_in, units)), rng.normal(size=units)


@check(points=1, visible=True)
def sigmoid_output(sub):
    """sigmoid layer with 4 units on a batch of 5."""
    x, w, b = _inputs(0)
    return {"y": sub.dense_forward(x, w, b, "sigmoid")}


@check(points=2)
def all_activations(sub):
    """sigmoid, tanh and relu on a wider layer."""
    x, w, b = _inputs(7, batch=9, n_in=6, units=2)
    return {g: sub.dense_forward(x, w, b, g) for g in ("sigmoid", "tanh", "relu")}


@check(points=1)
def single_perceptron_large_inputs(sub):
    """one unit (units=1) with weighted sums up to about 1600: sigmoid and tanh saturate, no NaN
    (the prompt states both)."""
    x, w, b = _inputs(3, batch=8, n_in=2, units=1, scale=1000.0)
    return {g: sub.dense_forward(x, w, b, g) for g in ("sigmoid", "tanh", "relu")}


def _raises_on_unknown(student, reference):
    if student["raised"] != 1:
        raise AssertionError(
            "dense_forward(x, w, b, 'softplus') should raise ValueError for an unknown activation."
        )
    if "valid_error" in student:
        raise AssertionError(f"dense_forward(x, w, b, 'relu') raised {student['valid_error']} "
                             "-- only an unknown activation should raise.")
    got, expected = np.asarray(student["y"], dtype=float), reference["y"]
    if got.shape != expected.shape:
        raise AssertionError(f"dense_forward(x, w, b, 'relu') on this check's inputs returned shape "
                             f"{got.shape}, expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        raise AssertionError("dense_forward(x, w, b, 'relu') on this check's inputs returned wrong values "
                             f"(largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_raises_on_unknown)
def unknown_activation(sub):
    """an unknown activation name raises ValueError; 'relu' on the same inputs still works."""
    x, w, b = _inputs(1)
    out = {"raised": 0}
    try:
        sub.dense_forward(x, w, b, "softplus")
    except ValueError:
        out["raised"] = 1
    try:
        out["y"] = sub.dense_forward(x, w, b, "relu")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
