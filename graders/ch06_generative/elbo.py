"""Grader for ch06_generative/elbo."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "bernoulli_log_likelihood": {"x": "(B, D)", "logits": "(B, D)"},
    "elbo": {"x": "(B, D)", "logits": "(B, D)", "mu": "(B, J)", "log_var": "(B, J)"},
    "vae_loss": {"x": "(B, D)", "logits": "(B, D)", "mu": "(B, J)", "log_var": "(B, J)"},
}


def _batch(seed, b=4, d=6, j=2, binary=False):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(b, d)).astype(float) if binary else rng.uniform(size=(b, d))
    return x, 3.0 * rng.normal(size=(b, d)), rng.normal(size=(b, j)), rng.uniform(-2.0, 1.0, size=(b, j))


@check(points=1, visible=True)
def log_likelihood_of_two_binary_images(sub):
    """log p(x|z) for two binary 'images' of three pixels."""
    x = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    logits = np.array([[2.0, -1.0, 0.0], [0.5, 3.0, -2.0]])
    return {"log_px": sub.bernoulli_log_likelihood(x, logits)}


@check(points=1)
def log_likelihood_of_grey_levels(sub):
    """log p(x|z) for grey levels in [0, 1], five examples of seven pixels."""
    x, logits, _, _ = _batch(2, 5, 7)
    return {"log_px": sub.bernoulli_log_likelihood(x, logits)}


@check(points=1)
def log_likelihood_with_huge_logits(sub):
    """log p(x|z) stays finite and exact for logits of +-1000."""
    x = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 1.0]])
    logits = np.array([[1000.0, -1000.0, 1000.0], [1000.0, -1000.0, 30.0]])
    return {"log_px": sub.bernoulli_log_likelihood(x, logits)}


@check(points=2)
def elbo_and_its_terms_on_a_random_batch(sub):
    """(elbo, reconstruction, kl) for four binary examples of six pixels, J = 3."""
    x, logits, mu, log_var = _batch(4, 4, 6, 3, binary=True)
    total, reconstruction, kl = sub.elbo(x, logits, mu, log_var)
    return {"elbo": total, "reconstruction": reconstruction, "kl": kl}


@check(points=1)
def loss_is_the_mean_negative_elbo(sub):
    """vae_loss on three grey-level examples of five pixels, J = 2."""
    x, logits, mu, log_var = _batch(6, 3, 5, 2)
    return {"loss": sub.vae_loss(x, logits, mu, log_var)}
