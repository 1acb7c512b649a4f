"""Grader for ch06_generative/reparameterization."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "reparameterize": {"mu": "(B, J)", "log_var": "(B, J)"},
    "reparameterized_gradients": {"mu": "(B, J)", "log_var": "(B, J)", "epsilon": "(B, J)", "grad_z": "(B, J)"},
}


def _batch(seed, b, j):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(b, j)), rng.uniform(-3.0, 2.0, size=(b, j))


def _sample(sub, mu, log_var, seed):
    z, epsilon = sub.reparameterize(mu, log_var, np.random.default_rng(seed))
    return {"z": z, "epsilon": epsilon}


@check(points=1, visible=True)
def sample_on_a_small_batch(sub):
    """z and epsilon for two examples with two latent dimensions, rng seeded 0."""
    mu = np.array([[0.0, 1.0], [2.0, -1.0]])
    log_var = np.array([[0.0, np.log(4.0)], [np.log(0.25), 1.0]])
    return _sample(sub, mu, log_var, 0)


@check(points=1)
def sample_on_a_random_batch(sub):
    """z and epsilon for five examples with three latent dimensions and varied variances."""
    mu, log_var = _batch(3, 5, 3)
    return _sample(sub, mu, log_var, 11)


@check(points=1, visible=True)
def gradients_on_a_small_batch(sub):
    """dL/dmu and dL/dlog_var for one example with epsilon and dL/dz given."""
    mu, log_var = np.array([[0.5, -1.0, 2.0]]), np.array([[0.0, np.log(9.0), -2.0]])
    epsilon, grad_z = np.array([[1.0, -0.5, 2.0]]), np.array([[2.0, 1.0, -1.0]])
    grad_mu, grad_log_var = sub.reparameterized_gradients(mu, log_var, epsilon, grad_z)
    return {"grad_mu": grad_mu, "grad_log_var": grad_log_var}


@check(points=2)
def gradients_on_a_random_batch(sub):
    """the gradients for four examples with five latent dimensions."""
    mu, log_var = _batch(8, 4, 5)
    rng = np.random.default_rng(9)
    grad_mu, grad_log_var = sub.reparameterized_gradients(mu, log_var, rng.normal(size=(4, 5)), rng.normal(size=(4, 5)))
    return {"grad_mu": grad_mu, "grad_log_var": grad_log_var}
