"""Grader for ch08_llm/dpo_loss."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.posttraining", "keras", "tensorflow", "torch", "jax", "scipy.special")
SHAPES = {"dpo_loss": {"pc": "(N,)", "pr": "(N,)", "rc": "(N,)", "rr": "(N,)"},
          "dpo_gradients": {"pc": "(N,)", "pr": "(N,)", "rc": "(N,)", "rr": "(N,)"}}


def _pairs(seed, n, scale=3.0):
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=n) * scale - 10.0 for _ in range(4))


def _gradients(sub, *arguments):
    grad_pc, grad_pr = sub.dpo_gradients(*arguments)
    return {"grad_pc": np.asarray(grad_pc, dtype=float), "grad_pr": np.asarray(grad_pr, dtype=float)}


# Margins beta * margin of -1000 .. 1000 (the range the prompt states).
_LARGE = (np.array([-2000.0, -600.0, 0.0, 600.0, 2000.0]), np.zeros(5), np.zeros(5), np.zeros(5))


@check(points=1, visible=True)
def loss_of_one_pair(sub):
    """pc = -1, pr = -2, rc = rr = -1.5, beta = 0.5 (margin 1)."""
    return {"loss": np.array(float(sub.dpo_loss(np.array([-1.0]), np.array([-2.0]), np.array([-1.5]),
                                                np.array([-1.5]), 0.5)))}


@check(points=1, hint="margin = (pc - rc) - (pr - rr); the loss is the mean of -log sigmoid(beta margin).")
def loss_of_random_pairs(sub):
    """8 pairs of random log-probabilities, beta = 0.1 and beta = 2."""
    pairs = _pairs(1, 8)
    return {"loss": np.array([float(sub.dpo_loss(*pairs, beta)) for beta in (0.1, 2.0)])}


@check(points=1, hint="-log sigmoid(z) = log(1 + exp(-z)): compute it without exp overflowing (np.logaddexp).")
def loss_at_large_margins(sub):
    """beta * margin in -1000 .. 1000 (beta = 0.5), one pair at a time: each loss finite and exact."""
    pc, pr, rc, rr = _LARGE
    return {"loss": np.array([float(sub.dpo_loss(pc[i:i + 1], pr[i:i + 1], rc[i:i + 1], rr[i:i + 1], 0.5))
                              for i in range(5)])}


@check(points=2, hint="d loss / d pc_i = -(beta / N) sigmoid(-beta margin_i), and d loss / d pr_i is its opposite.")
def gradients_of_random_pairs(sub):
    """dpo_gradients of 6 random pairs, beta = 0.7."""
    return _gradients(sub, *_pairs(2, 6), 0.7)


@check(points=1, hint="sigmoid(-z) = 1 / (1 + exp(z)) must stay finite for |z| up to 1000.")
def gradients_at_large_margins(sub):
    """dpo_gradients with beta * margin in -1000 .. 1000 (beta = 0.5), N = 5."""
    return _gradients(sub, *_LARGE, 0.5)
