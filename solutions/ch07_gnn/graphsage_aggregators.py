# %% [markdown]
"""GraphSAGE: mean and max-pool aggregators with L2 normalisation (6 points)
Lecture: §7.2.1 A single GNN layer

The notes' GraphSAGE layer updates node v from its own state and an aggregate of its
neighbours' states,

    h_v^(k) = sigma( W^(k) . concat(h_v^(k-1), Agg(h_u^(k-1))) ),

with a mean, pooling or LSTM aggregator, and L2-normalises the result at every layer. We store
one node per row and split W into the block acting on h_v and the block acting on the
aggregate (our row form of the notes' W . concat(...)), with sigma = ReLU and a bias b (ours):

    a_v  = AGG({h_u : u in N(v)})
    h_v' = ReLU(h_v W_self + a_v W_neigh + b)          (= ReLU([h_v || a_v] W + b))
    h_v' = h_v' / ||h_v'||_2                           (L2 normalisation of each row)

with two of the notes' aggregators (the pooling one as in Hamilton et al.):

    mean:      a_v = (1 / |N(v)|) sum_{u in N(v)} h_u
    max_pool:  a_v = elementwise max_{u in N(v)} ReLU(h_u W_pool + b_pool)

N(v) = {u : A[v, u] != 0} (A is the (N, N) adjacency matrix, A[v, u] != 0 when u sends to
v). The notes leave an empty neighbourhood open: here a node without neighbours has a_v = 0
(for both aggregators), and a row h_v' that is all zeros stays zero after the normalisation
(divide by max(||h_v'||, 1e-12)).

Shapes: adjacency (N, N), h (N, F), W_pool (F, P), b_pool (P,), W_self (F, D), W_neigh (F, D)
or (P, D) (for "mean" or "max_pool"), b (D,).

Implement with numpy only:

- `aggregate(adjacency, h, aggregator, w_pool=None, b_pool=None)` -> a, shape (N, F) for
  "mean", (N, P) for "max_pool"; raise ValueError for another aggregator;
- `graphsage_layer(adjacency, h, w_self, w_neigh, b, aggregator, w_pool=None, b_pool=None,
  normalize=True)` -> h', shape (N, D).

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or networkx.
"""

# %%
import numpy as np


# %%
def aggregate(adjacency, h, aggregator="mean", w_pool=None, b_pool=None):
    """The neighbour aggregate a_v of every node, shape (N, F) or (N, P)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency) != 0
    h = np.asarray(h, dtype=float)
    if aggregator == "mean":
        degree = a.sum(axis=1, keepdims=True)
        return (a @ h) / np.maximum(degree, 1)
    if aggregator == "max_pool":
        pooled = np.maximum(h @ w_pool + b_pool, 0.0)
        out = np.zeros((h.shape[0], pooled.shape[1]))
        for v in range(h.shape[0]):
            if a[v].any():
                out[v] = pooled[a[v]].max(axis=0)
        return out
    raise ValueError(f"aggregator must be 'mean' or 'max_pool', got {aggregator!r}.")
    ### END SOLUTION


# %%
def graphsage_layer(adjacency, h, w_self, w_neigh, b, aggregator="mean", w_pool=None, b_pool=None,
                    normalize=True):
    """ReLU(h_v W_self + a_v W_neigh + b), L2-normalised per row; shape (N, D)."""
    ### BEGIN SOLUTION
    h = np.asarray(h, dtype=float)
    out = np.maximum(h @ w_self + aggregate(adjacency, h, aggregator, w_pool, b_pool) @ w_neigh + b, 0.0)
    if normalize:
        out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out
    ### END SOLUTION
