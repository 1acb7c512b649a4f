# %% [markdown]
"""DeepWalk's random walks (5 points)
Lecture: §7.1 Graph Embeddings; §7.1.1 RandomWalk Embedding

The notes name DeepWalk as a method of the encoder (a look-up table of node vectors) /
decoder (the dot product) / similarity setting of §7.1 but leave §7.1.1 empty; we fill it.
DeepWalk's similarity is co-occurrence on short random walks: nodes that often appear close
together on a walk get similar embeddings (skip-gram, as for words in a sentence). A uniform
random walk of `length` nodes from `start` is

    w_0 = start,    w_{t+1} drawn uniformly from N(w_t) = {j : A[w_t, j] != 0}

(each neighbour with probability 1 / |N(w_t)|). A walk that reaches a node without neighbours
stays there: w_{t+1} = w_t (in a directed graph a walk can reach such a node, a sink). The
graph comes as its adjacency matrix A = adjacency (N, N).

Implement with numpy only; draw every random number from the `rng` argument (a
`numpy.random.Generator`, e.g. `rng.integers` or `rng.choice`), never from `np.random.*`
functions, so that the same generator state gives the same walks:

- `random_walk(adjacency, start, length, rng)` -> int array (length,), the nodes of one walk
  (length >= 1, including the start);
- `deepwalk_walks(adjacency, walk_length, walks_per_node, rng)` -> int array
  (walks_per_node * N, walk_length): `walks_per_node` rounds, each with one walk from every node
  in order 0 .. N-1, so row r * N + v is a walk from node v.

The checks are statistical: your walks need not repeat the reference's random draws, but each
step must follow an edge and the step frequencies must match 1 / |N(w_t)|.

You may not use dlcourse.gnn, tensorflow_gnn or networkx.
"""

# %%
import numpy as np


# %%
def random_walk(adjacency, start, length, rng):
    """One uniform random walk of `length` nodes from `start`, int array (length,)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency) != 0
    walk = [int(start)]
    for _ in range(length - 1):
        neighbours = np.flatnonzero(a[walk[-1]])
        walk.append(int(neighbours[rng.integers(neighbours.size)]) if neighbours.size else walk[-1])
    return np.asarray(walk, dtype=np.int64)
    ### END SOLUTION


# %%
def deepwalk_walks(adjacency, walk_length, walks_per_node, rng):
    """walks_per_node rounds of one walk per node, int array (walks_per_node * N, walk_length)."""
    ### BEGIN SOLUTION
    n = len(adjacency)
    return np.stack([random_walk(adjacency, v, walk_length, rng)
                     for _ in range(walks_per_node) for v in range(n)])
    ### END SOLUTION
