"""Grader for ch02_training/adam_update."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "adam_step": {"w": "any shape", "m": "any shape", "v": "any shape", "g": "any shape"},
    "adam_descent": {"w0": "any shape"},
}


def _run_steps(sub, seed, shape, steps, bias_correction, learning_rate=0.01, epsilon=1e-7,
               scale=1.0):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=shape)
    m, v = np.zeros(shape), np.zeros(shape)
    history = {"w": [], "m": [], "v": []}
    for t in range(1, steps + 1):
        g = rng.normal(size=shape) * scale
        w, m, v = sub.adam_step(w, m, v, g, t, learning_rate, 0.9, 0.999, epsilon, bias_correction)
        for key, value in zip("wmv", (w, m, v)):
            history[key].append(np.asarray(value, dtype=float))
    return {f"{key}_after_each_step": np.stack(values) for key, values in history.items()}


@check(points=1, visible=True)
def first_step_notes_adam(sub):
    """one step of the notes' Adam (no bias correction) from m = v = 0."""
    w = np.array([0.5, -1.0, 2.0])
    g = np.array([0.2, -3.0, 0.01])
    w_new, m_new, v_new = sub.adam_step(w, np.zeros(3), np.zeros(3), g, 1, 0.01, 0.9, 0.999, 1e-7, False)
    return {"w": w_new, "m": m_new, "v": v_new}


@check(points=2)
def several_steps_without_correction(sub):
    """six steps of the notes' Adam on a (2, 3) matrix."""
    return _run_steps(sub, 5, (2, 3), 6, bias_correction=False)


@check(points=2)
def several_steps_with_correction(sub):
    """six steps of Adam with bias correction, t = 1..6, on a (4,) vector."""
    return _run_steps(sub, 9, (4,), 6, bias_correction=True)


@check(points=1)
def epsilon_outside_the_square_root(sub):
    """a large epsilon (0.1) with small gradients: epsilon is added to sqrt(v), not under it."""
    results = {}
    for bias_correction in (False, True):
        steps = _run_steps(sub, 13, (5,), 3, bias_correction, learning_rate=0.1, epsilon=0.1,
                           scale=0.01)
        results[f"w_bias_correction_{bias_correction}"] = steps["w_after_each_step"]
    return results


def _quadratic(seed, dim):
    rng = np.random.default_rng(seed)
    scales = np.array([10.0, 1.0, 0.1])[:dim]  # badly scaled: Adam's per-weight steps help
    c = rng.normal(size=dim)
    return (lambda w: scales * (np.asarray(w, dtype=float) - c)), rng.normal(size=dim)


@check(points=1)
def descent_on_a_quadratic(sub):
    """adam_descent for 30 steps on a badly scaled quadratic, with and without correction."""
    gradient, w0 = _quadratic(4, 3)
    return {
        f"trajectory_bias_correction_{flag}": sub.adam_descent(gradient, w0, 30, 0.1, 0.9, 0.999, 1e-7, flag)
        for flag in (False, True)
    }
