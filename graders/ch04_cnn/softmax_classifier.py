"""Grader for ch04_cnn/softmax_classifier."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "sklearn", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "softmax": {"scores": "(N, C)"},
    "softmax_loss": {"W": "(D, C)", "X": "(N, D)", "y": "(N,) int"},
    "predict": {"W": "(D, C)", "X": "(N, D)"},
}


def _problem(seed, n, d, c, scale=1.0):
    rng = np.random.default_rng(seed)
    X = np.hstack([rng.normal(size=(n, d - 1)), np.ones((n, 1))])  # bias trick
    return rng.normal(size=(d, c)) * scale, X, rng.integers(0, c, n)


def _result(prefix, result):
    loss, dW = result
    return {f"{prefix}loss": loss, f"{prefix}dW": dW}


@check(points=1, visible=True)
def small_problem(sub):
    """softmax of 5 score rows; loss and dW with 5 samples, 4 features, 3 classes, no penalty."""
    W, X, y = _problem(0, 5, 4, 3)
    return {"p": sub.softmax(X @ W), **_result("", sub.softmax_loss(W, X, y, 0.0))}


@check(points=2, hint=(
    "Check that the loss averages over N and adds lambda R(W) = lambda sum W^2, and dW = X^T (P - Y) / N + 2 lambda W."))
def larger_problem_with_penalty(sub):
    """50 samples, 20 features, 10 classes with lambda = 0.1, and a second draw with lambda = 1.5."""
    W, X, y = _problem(1, 50, 20, 10, scale=0.1)
    W2, X2, y2 = _problem(2, 30, 8, 6)
    return {
        **_result("reg0.1_", sub.softmax_loss(W, X, y, 0.1)),
        **_result("reg1.5_", sub.softmax_loss(W2, X2, y2, 1.5)),
    }


def _stable(student, reference):
    for key, expected in reference.items():
        got = np.asarray(student.get(key, np.nan), dtype=float)
        if got.shape != expected.shape:
            raise AssertionError(f"`{key}` has shape {got.shape}, expected {expected.shape}.")
        if not np.all(np.isfinite(got)):
            raise AssertionError(
                f"`{key}` has NaN or infinite entries for scores near +-1000: subtract each row's "
                "maximum score before exp."
            )
        if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            raise AssertionError(f"`{key}` is finite but differs from the expected values for scores near +-1000.")


@check(points=1, compare=_stable)
def large_scores(sub):
    """scores of size 1000 (W scaled up): probabilities, loss and dW stay finite and exact."""
    W, X, y = _problem(3, 8, 5, 4, scale=400.0)
    scores = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    return {"p": sub.softmax(scores), **_result("", sub.softmax_loss(W, X, y, 0.0))}


@check(points=1)
def predictions(sub):
    """predicted classes of 40 samples with 7 classes."""
    W, X, _ = _problem(4, 40, 6, 7)
    return {"classes": np.asarray(sub.predict(W, X)).astype(float)}
