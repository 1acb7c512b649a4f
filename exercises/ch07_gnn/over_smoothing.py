# %% [markdown]
"""Over-smoothing and skip connections (6 points)
Lecture: §7.2.2 Stacking GNN Layers

Stacking many GNN layers makes all node states alike (the notes' over-smoothing problem):
after L layers every node's state mixes its whole L-hop neighbourhood, and for large L these
receptive fields overlap so much that the states become the same. Measure it with the mean
pairwise cosine similarity of the node states,

    S(H) = 1 / (N (N - 1)) sum_{i != j} (h_i . h_j) / (||h_i|| ||h_j||),

where a zero row has similarity 0 with every other row.

Take the simplest deep GNN on an undirected graph (its adjacency A = adjacency (N, N)
symmetric, 0/1, zero diagonal), a layer f that propagates with the symmetric-normalised
adjacency A^ = D~^-1/2 (A + I) D~^-1/2 (D~ the degree matrix of A + I) and has no weights:

    f(H) = A^ H,        H^(0) = X.

The notes' remedy is a skip connection, the residual network's idea of turning f(x) into
f(x) + x (two paths: through the layer and around it):

    skip=None:        H^(l+1) = f(H^(l))                          (plain stack)
    skip="residual":  H^(l+1) = f(H^(l)) + H^(l)                  (the notes' skip connection)

Beyond the notes: APPNP's skip goes back to the input instead, with 0 <= alpha <= 1,

    skip="initial":   H^(l+1) = (1 - alpha) f(H^(l)) + alpha H^(0)

(alpha = 0 is the plain stack); the residual skip only slows the rise of S, this one stops it.

Implement with numpy only:

- `mean_pairwise_cosine_similarity(h)` -> a float, for h (N, D) with N >= 2;
- `smoothing_curve(adjacency, x, num_layers, skip=None, alpha=0.1)` -> float array
  (num_layers + 1,), entry l = S(H^(l)) (entry 0 is S(X)); `alpha` is used by
  skip="initial" only; x (N, D) holds the node features X = H^(0).

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow, scipy, sklearn or networkx.
"""

# %%
import numpy as np


# %%
def mean_pairwise_cosine_similarity(h):
    """Mean cosine similarity over pairs of distinct rows of h (zero rows count 0)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def smoothing_curve(adjacency, x, num_layers, skip=None, alpha=0.1):
    """S(H^(l)) for l = 0 .. num_layers, shape (num_layers + 1,)."""
    # YOUR CODE HERE
    raise NotImplementedError()
