# %% [markdown]
"""Normalising the adjacency matrix (5 points)
Lecture: §7.1.3 Graph Convolutional Network

A graph with N nodes has the adjacency matrix A (N, N), A[v, u] = 1 when node u sends a
message to node v (for an undirected graph A is symmetric). N(v) = {u : A[v, u] != 0} are the
neighbours of v.

The notes' GCN averages over the neighbours with the diagonal aggregation matrix

    D^-1_{v,v} = 1 / |N(v)|,        H^(k+1) = sigma(W_k^T D^-1 A H^(k) + B_k^T H^(k)),

so row v of D^-1 A is A[v, :] / |N(v)|. For a weighted A we divide by the row sum
d_v = sum_u A[v, u] (which is |N(v)| when the weights are 1). The notes do not say what happens
when |N(v)| = 0; we give such a node a row of zeros.

Beyond the notes: Kipf and Welling's GCN adds self-loops and normalises symmetrically,

    A~ = A + I,     D~[v, v] = sum_u A~[v, u],     A_sym = D~^-1/2 A~ D~^-1/2,

that is A_sym[v, u] = A~[v, u] / sqrt(d~_v d~_u).

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
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float)
    degree = a.sum(axis=1, keepdims=True)
    return np.divide(a, degree, out=np.zeros_like(a), where=degree != 0)
    ### END SOLUTION


# %%
def symmetric_normalized_adjacency(adjacency):
    """Return D~^-1/2 (A + I) D~^-1/2, shape (N, N)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))
    scale = 1.0 / np.sqrt(a.sum(axis=1))
    return scale[:, None] * a * scale[None, :]
    ### END SOLUTION
