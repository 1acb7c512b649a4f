"""Grader for ch02_training/momentum_update."""

import numpy as np

from dlcourse.grading import check

_HINT = ("The notes' momentum is v <- mu v - eta grad, then theta <- theta + v with the new v: the "
         "velocity is a step, not an average of the gradients (v <- mu v + (1 - mu) grad is another form).")

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "sgd_step": {"theta": "any shape", "grad": "any shape"},
    "momentum_step": {"theta": "any shape", "v": "any shape", "grad": "any shape"},
    "momentum_descent": {"theta0": "any shape"},
}


@check(points=1, visible=True, hint=_HINT)
def single_steps(sub):
    """one SGD step, and one momentum step from v = 0 and from a given v, on 3 parameters."""
    theta = np.array([1.0, -2.0, 0.5])
    grad = np.array([0.3, -0.1, 2.0])
    theta_first, v_first = sub.momentum_step(theta, np.zeros(3), grad, 0.1, 0.9)
    theta_next, v_next = sub.momentum_step(theta, np.array([0.2, -0.4, 0.05]), grad, 0.1, 0.9)
    return {"sgd_theta": sub.sgd_step(theta, grad, 0.1), "momentum_theta_from_v_0": theta_first,
            "momentum_v_from_v_0": v_first, "momentum_theta_from_given_v": theta_next,
            "momentum_v_from_given_v": v_next}


@check(points=2, hint=_HINT)
def several_steps_on_a_matrix(sub):
    """five momentum steps on a (3, 4) parameter matrix with a given gradient sequence."""
    rng = np.random.default_rng(21)
    theta, v = rng.normal(size=(3, 4)), np.zeros((3, 4))
    thetas, vs = [], []
    for _ in range(5):
        theta, v = sub.momentum_step(theta, v, rng.normal(size=(3, 4)), 0.05, 0.8)
        thetas.append(np.asarray(theta, dtype=float))
        vs.append(np.asarray(v, dtype=float))
    return {"theta_after_each_step": np.stack(thetas), "v_after_each_step": np.stack(vs)}


def _quadratic(seed, dim):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(dim, dim))
    a = q @ q.T + 0.5 * np.eye(dim)  # positive definite: L(theta) = 0.5 (theta - c)^T A (theta - c) has one minimum
    c = rng.normal(size=dim)
    return (lambda theta: a @ (np.asarray(theta, dtype=float) - c)), rng.normal(size=dim)


@check(points=2, hint=_HINT)
def descent_on_a_quadratic(sub):
    """momentum_descent for 25 steps on an ill-conditioned quadratic in 4 dimensions."""
    gradient, theta0 = _quadratic(8, 4)
    return {"trajectory": sub.momentum_descent(gradient, theta0, 0.05, 0.9, 25)}


def _no_momentum_no_mutation(student, reference):
    if student.get("inputs_unchanged", 0) != 1:
        raise AssertionError(
            "momentum_step changed the arrays theta, v or grad it was given: compute new arrays "
            "(v_new = mu * v - ...) instead of updating them in place (v *= mu, theta += ...)."
        )
    for key in ("mu_zero_theta", "mu_zero_v", "descent_mu_zero"):
        got, expected = student.get(key), reference[key]
        if got is None or np.shape(got) != expected.shape or not np.allclose(got, expected, rtol=1e-6, atol=1e-8):
            raise AssertionError(
                "with mu = 0 momentum must reduce to plain SGD (v = -eta grad, theta <- theta + v "
                f"= theta - eta grad); `{key}` differs."
            )


@check(points=1, compare=_no_momentum_no_mutation)
def mu_zero_and_no_side_effects(sub):
    """mu = 0 gives plain SGD; the input arrays are left unchanged."""
    rng = np.random.default_rng(2)
    theta, v, grad = rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    copies = [theta.copy(), v.copy(), grad.copy()]
    sub.momentum_step(theta, v, grad, 0.1, 0.7)
    unchanged = all(np.array_equal(a, b) for a, b in zip((theta, v, grad), copies))
    gradient, theta0 = _quadratic(3, 2)
    theta_mu_zero, v_mu_zero = sub.momentum_step(theta, v, grad, 0.1, 0.0)
    return {
        "inputs_unchanged": int(unchanged),
        "mu_zero_theta": theta_mu_zero,
        "mu_zero_v": v_mu_zero,
        "descent_mu_zero": sub.momentum_descent(gradient, theta0, 0.1, 0.0, 6),
    }
