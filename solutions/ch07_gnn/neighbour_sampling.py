# %% [markdown]
"""Neighbour sampling for dense graphs (6 points)
Lecture: §7.2.3 Graph Manipulation

The notes' structure-level manipulation for a dense graph: sample the neighbours when passing
messages. A node may have thousands of neighbours, and a GNN layer's cost grows with the number
of edges. GraphSAGE samples: each node aggregates over at most k of its neighbours,
drawn uniformly at random without replacement (a node with at most k neighbours keeps them
all). Each layer can draw a fresh sample.

With the adjacency matrix A (N, N), A[v, u] != 0 when u is a neighbour of v (u sends to v),
the sampled adjacency S keeps, in every row v, min(k, d_v) of the non-zero entries of row v,
chosen uniformly at random without replacement, with value 1; all other entries are 0.
Every neighbour u of v is then kept with probability min(k, d_v) / d_v.

Draw only where there is a choice: a node with d_v <= k (exactly k neighbours included) keeps
all of them and draws no random number from `rng`. Drawing k of exactly k candidates keeps the
same set but uses up random numbers, so every later node's sample would change; the same
generator state must give the same samples for the nodes that do need a draw.

Implement with numpy only; draw every random number from the `rng` argument (a
`numpy.random.Generator`, e.g. `rng.choice(candidates, size=k, replace=False)`):

- `sample_neighbours(adjacency, k, rng)` -> S, float (N, N) of 0/1;
- `sampled_mean_aggregate(adjacency, h, k, rng)` -> the mean of the sampled neighbours'
  states, (N, F): row v = (1 / |S_v|) sum_{u: S[v, u] = 1} h_u, zeros for a node without
  neighbours.

The checks are statistical: your samples need not repeat the reference's draws.

You may not use dlcourse.gnn, tensorflow_gnn or networkx.
"""

# %%
import numpy as np


# %%
def sample_neighbours(adjacency, k, rng):
    """Keep at most k uniformly drawn neighbours per row; 0/1 array (N, N)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency) != 0
    sampled = np.zeros(a.shape)
    for v in range(len(a)):
        candidates = np.flatnonzero(a[v])
        if candidates.size > k:
            candidates = rng.choice(candidates, size=k, replace=False)
        sampled[v, candidates] = 1.0
    return sampled
    ### END SOLUTION


# %%
def sampled_mean_aggregate(adjacency, h, k, rng):
    """Mean state over the sampled neighbours of each node, shape (N, F)."""
    ### BEGIN SOLUTION
    sampled = sample_neighbours(adjacency, k, rng)
    count = sampled.sum(axis=1, keepdims=True)
    return (sampled @ np.asarray(h, dtype=float)) / np.maximum(count, 1.0)
    ### END SOLUTION
