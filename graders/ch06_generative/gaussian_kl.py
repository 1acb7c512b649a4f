"""Grader for ch06_generative/gaussian_kl."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "gaussian_kl": {"mu": "(B, J)", "log_var": "(B, J)"},
    "gaussian_kl_between": {"mu_q": "(B, J)", "log_var_q": "(B, J)", "mu_p": "(B, J)", "log_var_p": "(B, J)"},
}


@check(points=1, visible=True)
def kl_to_the_prior_in_one_dimension(sub):
    """KL(N(mu, sigma^2) || N(0, 1)) for three examples with J = 1."""
    mu, log_var = np.array([[0.0], [1.0], [-2.0]]), np.array([[0.0], [np.log(4.0)], [-1.0]])
    return {"kl": sub.gaussian_kl(mu, log_var)}


@check(points=1)
def kl_to_the_prior_on_a_random_batch(sub):
    """KL to N(0, I) for six examples with four latent dimensions."""
    rng = np.random.default_rng(5)
    return {"kl": sub.gaussian_kl(rng.normal(size=(6, 4)), rng.uniform(-3.0, 2.0, size=(6, 4)))}


@check(points=1, visible=True)
def kl_between_two_gaussians_in_one_dimension(sub):
    """KL(q || p) for two one-dimensional pairs, one of them q = p."""
    mu_q, log_var_q = np.array([[1.0], [0.5]]), np.array([[0.0], [np.log(2.0)]])
    mu_p, log_var_p = np.array([[-1.0], [0.5]]), np.array([[np.log(4.0)], [np.log(2.0)]])
    return {"kl": sub.gaussian_kl_between(mu_q, log_var_q, mu_p, log_var_p)}


@check(points=1)
def kl_between_random_gaussians(sub):
    """KL(q || p) for five pairs of three-dimensional diagonal Gaussians."""
    rng = np.random.default_rng(7)
    mu_q, mu_p = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    log_var_q, log_var_p = rng.uniform(-2.0, 2.0, size=(5, 3)), rng.uniform(-2.0, 2.0, size=(5, 3))
    return {"kl": sub.gaussian_kl_between(mu_q, log_var_q, mu_p, log_var_p)}
