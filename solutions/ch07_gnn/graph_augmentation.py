# %% [markdown]
"""Graph augmentation: structural features, a virtual node and 2-hop edges (6 points)
Lecture: §7.2.3 Graph Manipulation

The input graph need not be the computation graph. The notes name feature augmentation (e.g.
cycle features) and, for a sparse graph, virtual nodes connected to all nodes and virtual edges
between 2-hop neighbours; this exercise builds one of each:

Feature augmentation. A GNN with constant node features cannot count cycles, so add them as
features. For an undirected graph without self-loops (A symmetric, 0/1, zero diagonal):

    degree      d_v = sum_u A[v, u]
    triangles   t_v = (A^3)[v, v] / 2      (closed walks of length 3 from v, each triangle
                                            through v walked in 2 directions)

Virtual node. Add one node, number N, connected in both directions to every node:

    A' = [[A, 1], [1^T, 0]]   (shape (N + 1, N + 1)),   X' = X with an extra row of zeros

so that any two nodes are at most 2 hops apart.

2-hop virtual edges. Connect u and v whenever a path of length 1 or 2 joins them: the
non-zero pattern of A + A^2, without self-loops:

    A2[i, j] = 1  if (A + A^2)[i, j] != 0 and i != j,   else 0

Implement with numpy only:

- `structural_features(adjacency)` -> float array (N, 2), columns (d_v, t_v);
- `add_virtual_node(adjacency, x)`, for x (N, F), -> (A' (N + 1, N + 1), X' (N + 1, F));
- `two_hop_adjacency(adjacency)` -> A2, float (N, N) of 0/1.

You may not use dlcourse.gnn, tensorflow_gnn or networkx.
"""

# %%
import numpy as np


# %%
def structural_features(adjacency):
    """Columns (degree, number of triangles through the node), shape (N, 2)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float)
    triangles = np.diag(a @ a @ a) / 2.0
    return np.stack([a.sum(axis=1), triangles], axis=1)
    ### END SOLUTION


# %%
def add_virtual_node(adjacency, x):
    """(A' with node N linked to all nodes, X' with a zero row appended)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float)
    n = len(a)
    out = np.ones((n + 1, n + 1))
    out[:n, :n] = a
    out[n, n] = 0.0
    x = np.asarray(x, dtype=float)
    return out, np.concatenate([x, np.zeros((1, x.shape[1]))])
    ### END SOLUTION


# %%
def two_hop_adjacency(adjacency):
    """0/1 pattern of A + A^2 without the diagonal, shape (N, N)."""
    ### BEGIN SOLUTION
    a = (np.asarray(adjacency) != 0).astype(float)
    pattern = ((a + a @ a) != 0).astype(float)
    np.fill_diagonal(pattern, 0.0)
    return pattern
    ### END SOLUTION
