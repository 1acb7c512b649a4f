# %% [markdown]
"""node2vec's biased second-order random walk (6 points)
Lecture: §7.1.2 Node2vec Embedding

The notes name node2vec among the embedding methods built on the encoder / decoder /
similarity setting of §7.1 but leave §7.1.2 empty; we fill it with Grover and Leskovec's walk.
node2vec walks like DeepWalk but remembers where it came from. Having just moved from node t
to node v, it moves to a neighbour x of v with probability proportional to

    1/p   if x = t                      (d(t, x) = 0: return to t)
    1     if x is a neighbour of t      (d(t, x) = 1: stay close to t)
    1/q   otherwise                     (d(t, x) = 2: move away from t)

normalised over the neighbours x of v, so that they sum to 1. A small p makes the walk
backtrack; a small q makes it explore outwards (depth-first like), a large q keeps it local
(breadth-first like). The first step of a walk (it has no previous node) is uniform over the
neighbours of the start, and a walk at a node without neighbours stays there.

The graph is undirected and unweighted, given as its adjacency matrix A = adjacency (N, N):
N(v) = {x : A[v, x] != 0}.

Implement with numpy only; draw every random number from the `rng` argument (a
`numpy.random.Generator`, e.g. `rng.choice(n, p=probabilities)`):

- `transition_probabilities(adjacency, previous, current, p, q)` -> float array (N,): entry x
  is P(next = x | previous, current); 0 for nodes that are not neighbours of `current`;
- `node2vec_walk(adjacency, start, length, p, q, rng)` -> int array (length,), walk[0] = start.

The walk check is statistical: your draws need not repeat the reference's, but the step
frequencies must match the probabilities above.

You may not use dlcourse.gnn, tensorflow_gnn or networkx.
"""

# %%
import numpy as np


# %%
def transition_probabilities(adjacency, previous, current, p, q):
    """P(next = x | previous, current) for every node x, shape (N,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def node2vec_walk(adjacency, start, length, p, q, rng):
    """One node2vec walk of `length` nodes from `start`, int array (length,)."""
    # YOUR CODE HERE
    raise NotImplementedError()
