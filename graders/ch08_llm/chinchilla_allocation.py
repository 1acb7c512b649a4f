"""Grader for ch08_llm/chinchilla_allocation."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.scaling", "scipy.optimize")

SHAPES = {"chinchilla_loss": {"N": "any shape", "D": "any shape"},
          "training_flops": {"N": "any shape", "D": "any shape"},
          "chinchilla_allocation": {"C": "any shape"}}

PAPER = {"A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def _floats(x):
    return np.asarray(x, dtype=float)


@check(points=1, visible=True)
def loss_and_flops_of_chinchilla_and_gopher(sub):
    """chinchilla_loss and training_flops of Chinchilla (70e9 parameters, 1.4e12 tokens) and Gopher
    (280e9, 300e9), with the paper's constants."""
    N, D = np.array([70e9, 280e9]), np.array([1.4e12, 300e9])
    return {"loss": _floats(sub.chinchilla_loss(N, D, 1.69, **PAPER)), "flops": _floats(sub.training_flops(N, D)),
            "flops_scalar": _floats(sub.training_flops(1e9, 2e10))}


@check(points=2, rtol=1e-6, hint="N_opt = G (C/6)^(beta/(alpha+beta)) with G = (alpha A / (beta B))^(1/(alpha+beta)); "
                                 "D_opt = (C/6) / N_opt, so that 6 N_opt D_opt = C.")
def allocation_with_the_paper_constants(sub):
    """chinchilla_allocation for C = 1e18, 1e21, 5.76e23 (Gopher's budget) and 1e25 FLOPs, one at a time."""
    out = {}
    for C in (1e18, 1e21, 5.76e23, 1e25):
        n_opt, d_opt = sub.chinchilla_allocation(C, **PAPER)
        out[f"N_{C:g}"], out[f"D_{C:g}"] = _floats(n_opt), _floats(d_opt)
    return out


@check(points=1, rtol=1e-6, hint="the exponent of C/6 in N_opt is beta / (alpha + beta), and G's ratio is "
                                 "alpha A over beta B.")
def allocation_with_other_constants(sub):
    """chinchilla_allocation with alpha = 0.5, beta = 0.2, A = 100, B = 2000 (and the two swapped), for an
    array of budgets (4,)."""
    C = np.geomspace(1e19, 1e24, 4)
    out = {}
    for name, constants in (("a", {"A": 100.0, "B": 2000.0, "alpha": 0.5, "beta": 0.2}),
                            ("b", {"A": 2000.0, "B": 100.0, "alpha": 0.2, "beta": 0.5})):
        n_opt, d_opt = sub.chinchilla_allocation(C, **constants)
        out[f"N_{name}"], out[f"D_{name}"] = _floats(n_opt), _floats(d_opt)
    return out


@check(points=1)
def loss_with_other_constants(sub):
    """chinchilla_loss with E = 2, A = 100, B = 2000, alpha = 0.5, beta = 0.2 on arrays (2, 3)."""
    N = np.array([[1e6, 1e8, 1e10], [3e7, 3e9, 3e11]])
    D = np.array([[1e9, 1e10, 1e11], [5e8, 5e10, 5e12]])
    return {"loss": _floats(sub.chinchilla_loss(N, D, 2.0, 100.0, 2000.0, 0.5, 0.2))}
