"""Grader for ch08_llm/lora_dense."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.posttraining", "keras", "tensorflow", "torch", "jax")
SHAPES = {"lora_forward": {"x": "(N, d_in)", "W": "(d_in, d_out)", "b": "(d_out,)", "A": "(d_in, r)",
                           "B": "(r, d_out)"},
          "lora_merge": {"W": "(d_in, d_out)", "A": "(d_in, r)", "B": "(r, d_out)"},
          "lora_trainable_count": {}}


def _weights(seed, n, d_in, d_out, r):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out),
            rng.normal(size=(d_in, r)), rng.normal(size=(r, d_out)))


def _forward(sub, x, w, b, a, bb, alpha):
    return {"y": np.asarray(sub.lora_forward(x, w, b, a, bb, alpha), dtype=float)}


@check(points=1, visible=True)
def forward_of_a_small_layer(sub):
    """N = 2, d_in = 3, d_out = 2, r = 1, alpha = 1."""
    x = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 2.0]])
    w = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    return _forward(sub, x, w, np.array([0.1, -0.2]), np.array([[1.0], [-1.0], [0.5]]), np.array([[2.0, 1.0]]), 1.0)


@check(points=1, hint="the change is scaled by alpha / r, r = A.shape[1], not by alpha.")
def forward_with_alpha_not_rank(sub):
    """N = 5, d_in = 6, d_out = 3, r = 2, alpha = 8 (scale 4)."""
    return _forward(sub, *_weights(1, 5, 6, 3, 2), 8.0)


@check(points=1, hint="Keras' layout: x A first (A is (d_in, r)), then B (r, d_out).")
def forward_of_a_square_layer(sub):
    """a square W (d_in = d_out = 4), r = 2, alpha = 3, N = 6."""
    return _forward(sub, *_weights(2, 6, 4, 4, 2), 3.0)


@check(points=1)
def forward_of_one_row_at_rank_one(sub):
    """N = 1, d_in = 5, d_out = 7, r = 1, alpha = 16."""
    return _forward(sub, *_weights(3, 1, 5, 7, 1), 16.0)


@check(points=1, hint="merged = W + (alpha / r) A B, shape (d_in, d_out).")
def merged_kernel(sub):
    """lora_merge with d_in = 6, d_out = 5, r = 3, alpha = 6."""
    _, w, _, a, bb = _weights(4, 1, 6, 5, 3)
    return {"merged": np.asarray(sub.lora_merge(w, a, bb, 6.0), dtype=float)}


@check(points=1, hint="A has d_in r numbers and B r d_out; W and b are frozen.")
def trainable_counts(sub):
    """lora_trainable_count for (d_in, d_out, r) = (64, 64, 8), (768, 3072, 4), (10, 3, 1)."""
    sizes = [(64, 64, 8), (768, 3072, 4), (10, 3, 1)]
    return {"counts": np.array([int(sub.lora_trainable_count(*s)) for s in sizes])}
