"""Grader for ch08_llm/adamw_warmup_cosine."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.training", "dlcourse.training", "dlcourse.training.optimizers", "keras",
             "tensorflow", "torch", "jax")
SHAPES = {"warmup_cosine_learning_rate": {},
          "adamw_step": {"theta": "(P,)", "gradient": "(P,)", "m": "(P,)", "v": "(P,)"}}

_SCHEDULE_HINT = ("eta = eta_max step / T_w while step < T_w (step 0 gives 0), then the cosine over the T_c - T_w "
                  "steps after the warmup, then eta_min.")
_STEP_HINT = ("shrink theta by eta lambda theta first (not through the gradient), then take the bias-corrected "
              "Adam step with m_t, v_t of the gradient.")


def _schedule(sub, steps, peak, floor, warmup, total):
    return {"eta": np.array([float(sub.warmup_cosine_learning_rate(s, peak, floor, warmup, total)) for s in steps])}


def _step(sub, theta, gradient, m, v, t, eta, lam, **options):
    new_theta, new_m, new_v = sub.adamw_step(theta, gradient, m, v, t, eta, lam, **options)
    return {"theta": np.asarray(new_theta, dtype=float), "m": np.asarray(new_m, dtype=float),
            "v": np.asarray(new_v, dtype=float)}


def _state(seed, size):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=size), rng.normal(size=size), 0.1 * rng.normal(size=size),
            0.05 * rng.uniform(0.1, 1.0, size=size))


@check(points=1, visible=True, hint=_SCHEDULE_HINT)
def schedule_of_a_short_run(sub):
    """warmup_cosine_learning_rate at steps 0..12 with eta_max = 1, eta_min = 0.1, T_w = 3, T_c = 10."""
    return _schedule(sub, range(13), 1.0, 0.1, 3, 10)


@check(points=1, hint=_SCHEDULE_HINT)
def schedule_edges_and_no_warmup(sub):
    """The schedule at step T_w - 1, T_w, T_w + 1, T_c and T_c + 1, and with T_w = 0 from step 0."""
    edges = _schedule(sub, [4, 5, 6, 40, 41], 3e-3, 3e-4, 5, 40)["eta"]
    no_warmup = _schedule(sub, [0, 1, 10, 20, 21], 2e-3, 0.0, 0, 20)["eta"]
    return {"edges": edges, "no_warmup": no_warmup}


@check(points=2, hint=_STEP_HINT)
def first_update_from_zero_moments(sub):
    """adamw_step with m = v = 0, t = 1, eta = 0.05, lambda = 0.1 on 6 random weights."""
    theta, gradient, _, _ = _state(1, 6)
    return _step(sub, theta, gradient, np.zeros(6), np.zeros(6), 1, 0.05, 0.1)


@check(points=1, hint=_STEP_HINT)
def later_update_with_other_betas(sub):
    """adamw_step at t = 7 from given moments, with beta_1 = 0.8, beta_2 = 0.95, epsilon = 1e-6."""
    theta, gradient, m, v = _state(2, 5)
    return _step(sub, theta, gradient, m, v, 7, 3e-3, 0.05, beta_1=0.8, beta_2=0.95, epsilon=1e-6)


@check(points=1, hint=_STEP_HINT)
def decay_alone_under_a_zero_gradient(sub):
    """adamw_step with a zero gradient and zero moments (eta = 0.5, lambda = 0.2): only the decay moves theta."""
    theta = np.array([2.0, -1.0, 0.5, 4.0])
    return _step(sub, theta, np.zeros(4), np.zeros(4), np.zeros(4), 3, 0.5, 0.2)


def _unchanged(student, reference):
    if not bool(student["unchanged"]):
        raise AssertionError("adamw_step changed the arrays passed in; return new arrays instead.")


@check(points=1, compare=_unchanged, requires=("first_update_from_zero_moments",))
def inputs_are_not_modified(sub):
    """adamw_step leaves theta, gradient, m and v as they were."""
    arrays = _state(3, 4)
    copies = [a.copy() for a in arrays]
    sub.adamw_step(*arrays, 2, 0.01, 0.1)
    return {"unchanged": np.array(all(np.array_equal(a, c) for a, c in zip(arrays, copies)))}
