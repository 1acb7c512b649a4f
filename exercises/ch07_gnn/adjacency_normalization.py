# %% [markdown]
"""Normalising the adjacency matrix (5 points)

A graph with N nodes has the adjacency matrix A (N, N), A[i, j] = 1 when node j sends a
message to node i (for an undirected graph A is symmetric). The degree matrix D is diagonal
with D[i, i] = d_i = sum_j A[i, j].

The lecture's GCN averages the neighbours with the row-normalised (mean) adjacency

    A_mean = D^-1 A,        A_mean[i, j] = A[i, j] / d_i,

and a node without neighbours (d_i = 0) gets a row of zeros. Kipf and Welling's GCN adds
self-loops and normalises symmetrically:

    A~ = A + I,     D~[i, i] = sum_j A~[i, j],     A_sym = D~^-1/2 A~ D~^-1/2,

that is A_sym[i, j] = A~[i, j] / sqrt(d~_i d~_j).

Implement with numpy only, for a float array `adjacency` of shape (N, N) (it may have weights
other than 1; use them as they are):

- `mean_normalized_adjacency(adjacency)` -> D^-1 A, shape (N, N);
- `symmetric_normalized_adjacency(adjacency)` -> D~^-1/2 (A + I) D~^-1/2, shape (N, N).

Do not modify the array you are given. You may not use dlcourse.gnn, networkx, scipy or
tensorflow_gnn.
"""

# %%
import numpy as np


# %%
def mean_normalized_adjacency(adjacency):
    """Return D^-1 A (zero rows for nodes without neighbours), shape (N, N)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def symmetric_normalized_adjacency(adjacency):
    """Return D~^-1/2 (A + I) D~^-1/2, shape (N, N)."""
    # YOUR CODE HERE
    raise NotImplementedError()
