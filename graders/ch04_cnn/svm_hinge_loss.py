"""Grader for ch04_cnn/svm_hinge_loss."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "sklearn", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "svm_loss": {"W": "(D, C)", "X": "(N, D)", "y": "(N,) int"},
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
    """5 samples, 4 features, 3 classes, no penalty, Delta = 1: loss and dW."""
    W, X, y = _problem(0, 5, 4, 3)
    return _result("", sub.svm_loss(W, X, y, 0.0, 1.0))


@check(points=2, hint=(
    "Check dW: classes with a positive margin get +x_i, the correct class -x_i per such class; "
    "divide by N and add 2 lambda W."))
def larger_problem_with_penalty(sub):
    """50 samples, 20 features, 10 classes with lambda = 0.1, and a second draw with lambda = 2."""
    W, X, y = _problem(1, 50, 20, 10, scale=0.1)
    W2, X2, y2 = _problem(2, 30, 8, 6)
    return {
        **_result("reg0.1_", sub.svm_loss(W, X, y, 0.1, 1.0)),
        **_result("reg2_", sub.svm_loss(W2, X2, y2, 2.0, 1.0)),
    }


@check(points=1)
def margins(sub):
    """Delta = 0 and Delta = 5 on the same problem: the margin changes which terms count."""
    W, X, y = _problem(3, 20, 6, 4)
    return {
        **_result("delta0_", sub.svm_loss(W, X, y, 0.05, 0.0)),
        **_result("delta5_", sub.svm_loss(W, X, y, 0.05, 5.0)),
    }


@check(points=1)
def satisfied_and_violated_margins(sub):
    """all margins satisfied (only the penalty is left) and X = 0 (every wrong class costs Delta)."""
    W = np.zeros((3, 4))
    W[0, 2] = 50.0
    X = np.ones((6, 3))
    y = np.full(6, 2)
    zero_X = np.zeros((5, 3))
    return {
        **_result("satisfied_", sub.svm_loss(W, X, y, 0.01, 1.0)),
        **_result("zero_x_", sub.svm_loss(W, zero_X, np.array([0, 1, 2, 3, 0]), 0.0, 1.5)),
    }
