# %% [markdown]
"""Rotary position embedding (RoPE) (6 points)
Lecture: §8 Foundation Models: LLM; §5.3 Transformer; §3.3 Attention Mechanism

The notes' attention (§3.3) scores query 1 against key i with alpha_{1,i} = q^1 . k^i / sqrt(d)
(for query t and key s, alpha_{t,s} = q^t . k^s / sqrt(d)), and §5.3 lists "possible position representation improvements" as an open point of the
Transformer. The notes leave chapter 8 as a heading; this exercise follows the RoPE paper (Su
et al., 2021, RoFormer): instead of adding a position vector to the embeddings, rotate every
query and key by an angle that grows with its position, so that the score depends on the
positions only through their offset t - s.

Split the d features of a vector into d / 2 pairs, pair i = (x[2i], x[2i + 1]) for
i = 0, ..., d/2 - 1 (the paper's neighbouring pairs), and turn pair i of the vector at position
m by the angle m theta_i:

    [y[2i]    ]   [cos(m theta_i)  -sin(m theta_i)] [x[2i]    ]
    [y[2i + 1]] = [sin(m theta_i)   cos(m theta_i)] [x[2i + 1]],    theta_i = base^(-2i / d)

with base = 10000 in the paper. Since R(m)^T R(n) = R(n - m), the rotated query and key give
(R(m) q) . (R(n) k) = q . R(n - m) k: shifting both positions by the same amount leaves the
score unchanged.

Implement with numpy `rope(x, positions, base=10000.0)` for x (T, d) (d even; row t is the
vector at position positions[t]) and positions (T,) integers (any non-negative positions, not
necessarily 0, 1, 2, ...), returning the rotated vectors as a new float array (T, d). Do not
modify x. A vector at position 0 comes back unchanged; d = 2 is a single pair.

You may not use dlcourse.llm, dlcourse.llm.rope (they hold the answer), keras, keras_hub, tensorflow, torch or jax.
"""

# %%
import numpy as np


# %%
def rope(x, positions, base=10000.0):
    """Rotate pair i = (x[:, 2i], x[:, 2i + 1]) of each row by positions[t] * base^(-2i / d)."""
    # YOUR CODE HERE
    raise NotImplementedError()
