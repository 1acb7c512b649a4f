# %% [markdown]
"""Transductive and inductive splits of one graph (5 points)
Lecture: §7.3.3 Split Training

The nodes of a graph are not independent samples, so a split says what the model may see. The
notes give two settings; here is how we carry them out.

Transductive: the whole graph (all features, all edges) is used for training and testing;
only the LABELS are split, with boolean masks over the nodes. Shuffle the nodes with the
generator (`order = rng.permutation(N)`), then the first n_train = round(train_fraction * N)
of the shuffled nodes are training nodes, the next n_val = round(validation_fraction * N) are
validation nodes, the rest are test nodes.

Inductive: the graph is cut into independent subgraphs, one per split, and every edge between
two different splits is removed, so test nodes are never seen during training (not even as
neighbours). Given `split` (N,) with values 0 (train), 1 (validation), 2 (test), subgraph s
holds the nodes {v : split[v] = s} in increasing order, the rows and columns of A for those
nodes, and their feature rows.

Implement with numpy only, for adjacency A (N, N), node features x (N, F) and split (N,), an
integer array of 0, 1 and 2:

- `transductive_masks(num_nodes, train_fraction, validation_fraction, rng)` -> the tuple
  (train_mask, validation_mask, test_mask) of three bool arrays (N,);
- `inductive_subgraphs(adjacency, x, split)` -> a list of exactly three tuples (nodes, A_s, X_s),
  for s = 0, 1, 2: nodes int (n_s,), A_s (n_s, n_s), X_s (n_s, F) (a split without nodes gives
  n_s = 0);
- `removed_edges(adjacency, split)` -> the number of non-zero entries A[i, j] with
  split[i] != split[j] (the directed edges the inductive split drops), an int.

You may not use dlcourse.gnn, tensorflow_gnn, networkx or sklearn.
"""

# %%
import numpy as np


# %%
def transductive_masks(num_nodes, train_fraction, validation_fraction, rng):
    """(train_mask, validation_mask, test_mask), disjoint bool arrays (N,) covering all nodes."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def inductive_subgraphs(adjacency, x, split):
    """[(nodes, A_s, X_s) for s in 0, 1, 2]: the induced subgraph of each split."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def removed_edges(adjacency, split):
    """Number of non-zero A[i, j] with split[i] != split[j]."""
    # YOUR CODE HERE
    raise NotImplementedError()
