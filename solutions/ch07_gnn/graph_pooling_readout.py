# %% [markdown]
"""Graph-level readout: batching graphs and pooling node states (5 points)
Lecture: §7.3.1 Prediction

For a graph-level prediction the notes pool the node embeddings globally, like an aggregation
over the whole graph: the node states h_v of a graph G become one vector through a
permutation-invariant readout. We use three:

    mean:  h_G = (1/|G|) sum_{v in G} h_v
    max:   h_G = elementwise max_{v in G} h_v
    sum:   h_G = sum_{v in G} h_v

A mini-batch of graphs is one big graph, their disjoint union: the adjacency matrices become
diagonal blocks of one matrix, the node features are stacked, and `graph_ids[v]` says which
graph node v belongs to. A graph without nodes reads out as zeros.

Implement with numpy only:

- `batch_graphs(adjacencies, features)`: lists of G adjacency matrices (n_g, n_g) and feature
  matrices (n_g, F) -> (adjacency (N, N) block diagonal, x (N, F), graph_ids int (N,)) with
  N = sum n_g, the graphs in list order;
- `readout(h, graph_ids, num_graphs, reduce)`, for h (N, D) and graph_ids int (N,) with entries
  in 0 .. num_graphs - 1, -> (num_graphs, D) for reduce "mean", "max" or "sum"; raise
  ValueError for anything else.

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or scipy.
"""

# %%
import numpy as np


# %%
def batch_graphs(adjacencies, features):
    """Disjoint union: (block-diagonal adjacency (N, N), stacked features (N, F), graph_ids (N,))."""
    ### BEGIN SOLUTION
    sizes = [len(a) for a in adjacencies]
    n = sum(sizes)
    adjacency = np.zeros((n, n))
    offset = 0
    for a, size in zip(adjacencies, sizes):
        adjacency[offset:offset + size, offset:offset + size] = a
        offset += size
    graph_ids = np.repeat(np.arange(len(sizes)), sizes)
    return adjacency, np.concatenate([np.asarray(x, dtype=float) for x in features]), graph_ids
    ### END SOLUTION


# %%
def readout(h, graph_ids, num_graphs, reduce="mean"):
    """Pool node states per graph, shape (num_graphs, D); zeros for graphs without nodes."""
    ### BEGIN SOLUTION
    if reduce not in ("mean", "max", "sum"):
        raise ValueError(f"reduce must be 'mean', 'max' or 'sum', got {reduce!r}.")
    h = np.asarray(h, dtype=float)
    graph_ids = np.asarray(graph_ids)
    out = np.zeros((num_graphs, h.shape[1]))
    for g in range(num_graphs):
        members = h[graph_ids == g]
        if len(members):
            out[g] = {"mean": np.mean, "max": np.max, "sum": np.sum}[reduce](members, axis=0)
    return out
    ### END SOLUTION
