"""Grader for ch02_training/momentum_update."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")


@check(points=1, visible=True)
def single_steps(sub):
    """one SGD step and one momentum step from v = 0 on a vector of 3 weights."""
    w = np.array([1.0, -2.0, 0.5])
    g = np.array([0.3, -0.1, 2.0])
    w_momentum, v_momentum = sub.momentum_step(w, np.zeros(3), g, 0.1, 0.9)
    return {"sgd_w": sub.sgd_step(w, g, 0.1), "momentum_w": w_momentum, "momentum_v": v_momentum}


@check(points=2)
def several_steps_on_a_matrix(sub):
    """five momentum steps on a (3, 4) weight matrix with a given gradient sequence."""
    rng = np.random.default_rng(21)
    w, v = rng.normal(size=(3, 4)), np.zeros((3, 4))
    ws, vs = [], []
    for _ in range(5):
        w, v = sub.momentum_step(w, v, rng.normal(size=(3, 4)), 0.05, 0.8)
        ws.append(np.asarray(w, dtype=float))
        vs.append(np.asarray(v, dtype=float))
    return {"w_after_each_step": np.stack(ws), "v_after_each_step": np.stack(vs)}


def _quadratic(seed, dim):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(dim, dim))
    a = q @ q.T + 0.5 * np.eye(dim)  # positive definite, so L(w) = 0.5 (w - c)^T A (w - c) has one minimum
    c = rng.normal(size=dim)
    return (lambda w: a @ (np.asarray(w, dtype=float) - c)), rng.normal(size=dim)


@check(points=2)
def descent_on_a_quadratic(sub):
    """momentum_descent for 25 steps on an ill-conditioned quadratic in 4 dimensions."""
    gradient, w0 = _quadratic(8, 4)
    return {"trajectory": sub.momentum_descent(gradient, w0, 0.05, 0.9, 25)}


def _no_momentum_no_mutation(student, reference):
    if student.get("inputs_unchanged", 0) != 1:
        raise AssertionError(
            "momentum_step changed the arrays w, v or g it was given: compute new arrays "
            "(v_new = beta * v + ...) instead of updating them in place (v *= beta, w -= ...)."
        )
    for key in ("beta_zero_w", "descent_beta_zero"):
        got, expected = student.get(key), reference[key]
        if got is None or np.shape(got) != expected.shape or not np.allclose(got, expected, rtol=1e-6, atol=1e-8):
            raise AssertionError(
                f"with beta = 0 momentum must reduce to plain SGD (v = g, w <- w - eta g); `{key}` differs."
            )


@check(points=1, compare=_no_momentum_no_mutation)
def beta_zero_and_no_side_effects(sub):
    """beta = 0 gives plain SGD; the input arrays are left unchanged."""
    rng = np.random.default_rng(2)
    w, v, g = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    copies = [w.copy(), v.copy(), g.copy()]
    sub.momentum_step(w, v, g, 0.1, 0.7)
    unchanged = all(np.array_equal(a, b) for a, b in zip((w, v, g), copies))
    gradient, w0 = _quadratic(3, 2)
    return {
        "inputs_unchanged": int(unchanged),
        "beta_zero_w": sub.momentum_step(w, v, g, 0.1, 0.0)[0],
        "descent_beta_zero": sub.momentum_descent(gradient, w0, 0.1, 0.0, 6),
    }
