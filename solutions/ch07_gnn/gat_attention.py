# %% [markdown]
"""Graph attention (GAT): attention coefficients and a multi-head layer (5 points)

A GAT layer lets each node weigh its neighbours. For one head with weights W (F, D) and
attention vectors a_src, a_dst (D,):

    z_j     = h_j W                                   (transform every node)
    e_ij    = LeakyReLU(z_i . a_dst + z_j . a_src)     (= LeakyReLU(a^T [z_i || z_j]))
    alpha_ij = exp(e_ij) / sum_{k in N~(i)} exp(e_ik)  for j in N~(i), 0 otherwise
    h_i'    = sum_{j in N~(i)} alpha_ij z_j

where LeakyReLU(x) = x for x > 0 and slope * x otherwise, and N~(i) = {j : A[i, j] != 0} plus
i itself (every node attends to itself, as in the paper). With K heads (each with its own W^k,
a_src^k, a_dst^k) the outputs are concatenated, shape (N, K D), or averaged, shape (N, D).

Shapes: adjacency (N, N); h (N, F); for K heads w (K, F, D), a_src and a_dst (K, D).

Implement with numpy only:

- `attention_coefficients(adjacency, h, w, a_src, a_dst, slope=0.2)` for ONE head (w (F, D),
  a_src and a_dst (D,)) -> alpha (N, N), alpha[i, j] the weight node i gives node j; rows sum
  to 1 and alpha[i, j] = 0 outside N~(i). Subtract each row's maximum score before exp (the
  result is the same, and it does not overflow);
- `gat_layer(adjacency, h, w, a_src, a_dst, merge="concat", slope=0.2)` -> (N, K D) for
  "concat", (N, D) for "mean".

You may not use dlcourse.gnn, tensorflow_gnn, keras or networkx.
"""

# %%
import numpy as np


# %%
def attention_coefficients(adjacency, h, w, a_src, a_dst, slope=0.2):
    """alpha (N, N) of one head; alpha[i, j] = softmax over j in N~(i) of e_ij."""
    ### BEGIN SOLUTION
    z = np.asarray(h, dtype=float) @ w
    scores = (z @ a_dst)[:, None] + (z @ a_src)[None, :]
    scores = np.where(scores > 0, scores, slope * scores)
    allowed = (np.asarray(adjacency) != 0) | np.eye(len(z), dtype=bool)
    scores = np.where(allowed, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.where(allowed, np.exp(scores), 0.0)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %%
def gat_layer(adjacency, h, w, a_src, a_dst, merge="concat", slope=0.2):
    """Multi-head GAT: heads concatenated (N, K D) or averaged (N, D)."""
    ### BEGIN SOLUTION
    h = np.asarray(h, dtype=float)
    heads = [attention_coefficients(adjacency, h, w[k], a_src[k], a_dst[k], slope) @ (h @ w[k])
             for k in range(len(w))]
    return np.concatenate(heads, axis=1) if merge == "concat" else np.mean(heads, axis=0)
    ### END SOLUTION
