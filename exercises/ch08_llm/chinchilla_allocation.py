# %% [markdown]
"""Compute-optimal model size and data: Chinchilla's allocation (5 points)
Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this exercise follows Hoffmann et al. (2022,
"Training Compute-Optimal Large Language Models"), whose fit of the final loss of a model with
N parameters trained on D tokens is

    L(N, D) = E + A / N^alpha + B / D^beta

(their Approach 3: E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28). Training costs
about C = 6 N D FLOPs (2 N D forward, 4 N D backward). For a budget C, minimising L(N, D)
subject to C = 6 N D gives, in closed form,

    N_opt(C) = G (C / 6)^(beta / (alpha + beta)),   G = (alpha A / (beta B))^(1 / (alpha + beta)),
    D_opt(C) = (C / 6) / N_opt(C).

(Substitute D = C / (6 N) and set dL/dN = 0.)

Implement, with numpy:

- `chinchilla_loss(N, D, E, A, B, alpha, beta)` -> L(N, D);
- `training_flops(N, D)` -> C = 6 N D;
- `chinchilla_allocation(C, A, B, alpha, beta)` -> the pair (N_opt, D_opt).

N, D and C are positive floats or numpy float arrays of any shape (N and D of one shape,
elementwise); the constants are positive floats. Return floats or arrays of the inputs' shape.

You may not use dlcourse.llm, dlcourse.llm.scaling (they hold the answer) or scipy.optimize
(the answer is the closed form, not a numeric minimum).
"""

# %%
import numpy as np


# %%
def chinchilla_loss(N, D, E, A, B, alpha, beta):
    """L(N, D) = E + A / N^alpha + B / D^beta."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def training_flops(N, D):
    """C = 6 N D."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def chinchilla_allocation(C, A, B, alpha, beta):
    """(N_opt, D_opt) minimising L under C = 6 N D."""
    # YOUR CODE HERE
    raise NotImplementedError()
