# %% [markdown]
"""Over-smoothing and skip connections (5 points)

Stacking many GNN layers makes all node states alike: after L layers every node's state mixes
its whole L-hop neighbourhood, and for large L these neighbourhoods (and the states) become the
same. Measure it with the mean pairwise cosine similarity of the node states,

    S(H) = 1 / (N (N - 1)) sum_{i != j} (h_i . h_j) / (||h_i|| ||h_j||),

where a zero row has similarity 0 with every other row.

Take the simplest deep GNN, repeated propagation with the symmetric-normalised adjacency
A^ = D~^-1/2 (A + I) D~^-1/2 (D~ the degree matrix of A + I) and no weights:

    H^(0) = X,     H^(l+1) = A^ H^(l)                               (no skip)

and the same with a skip connection back to the input (as in APPNP), with 0 <= alpha <= 1:

    H^(l+1) = (1 - alpha) A^ H^(l) + alpha H^(0)

(alpha = 0 is the plain stack).

Implement with numpy only:

- `mean_pairwise_cosine_similarity(h)` -> a float, for h (N, D) with N >= 2;
- `smoothing_curve(adjacency, x, num_layers, alpha=0.0)` -> float array (num_layers + 1,),
  entry l = S(H^(l)) (entry 0 is S(X)).

You may not use dlcourse.gnn, tensorflow_gnn, keras, scipy, sklearn or networkx.
"""

# %%
import numpy as np


# %%
def mean_pairwise_cosine_similarity(h):
    """Mean cosine similarity over pairs of distinct rows of h (zero rows count 0)."""
    ### BEGIN SOLUTION
    h = np.asarray(h, dtype=float)
    norms = np.linalg.norm(h, axis=1, keepdims=True)
    unit = np.divide(h, norms, out=np.zeros_like(h), where=norms > 0)
    cosine = unit @ unit.T
    n = h.shape[0]
    return float((cosine.sum() - np.trace(cosine)) / (n * (n - 1)))
    ### END SOLUTION


# %%
def smoothing_curve(adjacency, x, num_layers, alpha=0.0):
    """S(H^(l)) for l = 0 .. num_layers, shape (num_layers + 1,)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))
    scale = 1.0 / np.sqrt(a.sum(axis=1))
    a_hat = scale[:, None] * a * scale[None, :]
    x = np.asarray(x, dtype=float)
    h = x
    curve = [mean_pairwise_cosine_similarity(h)]
    for _ in range(num_layers):
        h = (1 - alpha) * a_hat @ h + alpha * x
        curve.append(mean_pairwise_cosine_similarity(h))
    return np.asarray(curve)
    ### END SOLUTION
