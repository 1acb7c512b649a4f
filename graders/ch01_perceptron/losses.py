"""Grader for ch01_perceptron/losses."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = ("dlcourse.perceptron", "keras", "tensorflow", "scipy", "sklearn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "mean_squared_error": {"y_true": "(N,) or (N, K)", "y_pred": "(N,) or (N, K)"},
    "binary_cross_entropy": {"y_true": "(N,) or (N, K)", "y_pred": "(N,) or (N, K)"},
    "binary_cross_entropy_from_logits": {"y_true": "(N,) or (N, K)", "logits": "(N,) or (N, K)"},
}


def _labels_and_probabilities(seed, shape):
    rng = np.random.default_rng(seed)
    y = (rng.random(shape) < 0.5).astype(float)
    p = rng.uniform(0.05, 0.95, size=shape)
    return y, p


@check(points=1, visible=True)
def small_batch(sub):
    """MSE and BCE on five samples with one output."""
    y, p = _labels_and_probabilities(0, (5,))
    return {
        "mse": sub.mean_squared_error(y, p),
        "bce": sub.binary_cross_entropy(y, p),
    }


@check(points=1)
def several_outputs(sub):
    """MSE and BCE averaged over every entry of an (N, K) batch."""
    y, p = _labels_and_probabilities(1, (8, 3))
    rng = np.random.default_rng(11)
    targets, predictions = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    return {
        "mse": sub.mean_squared_error(targets, predictions),
        "bce": sub.binary_cross_entropy(y, p),
    }


@check(points=1)
def saturated_probabilities(sub):
    """BCE with p exactly 0 or 1 (right and wrong): clipped, finite."""
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    p = np.array([[1.0, 0.0], [1.0, 0.0], [0.7, 0.2]])
    return {
        "bce_default_epsilon": sub.binary_cross_entropy(y, p),
        "bce_with_epsilon_0_01": sub.binary_cross_entropy(y, p, epsilon=0.01),
    }


@check(points=1)
def logits_moderate(sub):
    """BCE from logits for moderate z."""
    rng = np.random.default_rng(3)
    y = (rng.random((7, 2)) < 0.5).astype(float)
    return {"bce": sub.binary_cross_entropy_from_logits(y, rng.normal(scale=3.0, size=(7, 2)))}


def _finite_and_close(student, reference):
    got, expected = float(student["bce"]), float(reference["bce"])
    if not np.isfinite(got):
        raise AssertionError(
            "binary_cross_entropy_from_logits returned a non-finite value for |z| up to 1000; "
            "use max(z, 0) - z y + log(1 + exp(-|z|)) instead of log(sigmoid(z))."
        )
    if not np.isclose(got, expected, rtol=1e-6):
        raise AssertionError(
            f"binary_cross_entropy_from_logits is {got:.6g} for |z| up to 1000, expected "
            f"{expected:.6g}; large logits lose accuracy when you go through sigmoid(z)."
        )


@check(points=2, compare=_finite_and_close)
def logits_large(sub):
    """BCE from logits with |z| up to 1000: finite and exact, no clipping."""
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -800.0, 700.0, -40.0, 45.0])
    return {"bce": sub.binary_cross_entropy_from_logits(y, z)}
