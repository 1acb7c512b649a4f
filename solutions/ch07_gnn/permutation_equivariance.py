# %% [markdown]
"""Permutation equivariance and invariance (6 points)
Lecture: §7.1.3 Graph Convolutional Network

A graph's node numbering is arbitrary. Renumbering the nodes with a permutation `perm` --
new node i is old node perm[i] -- is the permutation matrix P with P[i, perm[i]] = 1, and
turns (A, X) into

    A_P = P A P^T,    X_P = P X          (A_P[i, j] = A[perm[i], perm[j]], X_P[i] = X[perm[i]])

The notes ask this of a GNN on any node ordering: a node-level function f(A, X) -> (N, D)
must be permutation EQUIVARIANT,

    f(P A P^T, P X) = P f(A, X),

and a graph-level function g(A, X) -> (D,) permutation INVARIANT,

    g(P A P^T, P X) = g(A, X).

Implement with numpy only, for adjacency A (N, N), node features x (N, F) and perm (N,), an
integer array holding a permutation of 0 .. N - 1:

- `permutation_matrix(perm)` -> P, float (N, N), with P[i, perm[i]] = 1;
- `permute_graph(adjacency, x, perm)` -> the tuple (P A P^T, P X);
- `is_equivariant(f, adjacency, x, perm, atol=1e-8)` -> True when f(P A P^T, P X) equals
  P f(A, X) within `atol`, else False;
- `is_invariant(g, adjacency, x, perm, atol=1e-8)` -> True when g(P A P^T, P X) equals
  g(A, X) within `atol`, else False.

"Within atol" means every entry has |difference| <= atol (so atol = 0 asks for exact equality),
and the two results must have the same shape.

`f` and `g` are given Python functions of (adjacency, x) returning numpy arrays.

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or networkx.
"""

# %%
import numpy as np


# %%
def permutation_matrix(perm):
    """P with P[i, perm[i]] = 1, shape (N, N)."""
    ### BEGIN SOLUTION
    perm = np.asarray(perm, dtype=int)
    p = np.zeros((perm.size, perm.size))
    p[np.arange(perm.size), perm] = 1.0
    return p
    ### END SOLUTION


# %%
def permute_graph(adjacency, x, perm):
    """(P A P^T, P X)."""
    ### BEGIN SOLUTION
    p = permutation_matrix(perm)
    return p @ np.asarray(adjacency, dtype=float) @ p.T, p @ np.asarray(x, dtype=float)
    ### END SOLUTION


# %%
def is_equivariant(f, adjacency, x, perm, atol=1e-8):
    """Whether f(P A P^T, P X) == P f(A, X) within atol."""
    ### BEGIN SOLUTION
    a_p, x_p = permute_graph(adjacency, x, perm)
    expected = permutation_matrix(perm) @ np.asarray(f(adjacency, x), dtype=float)
    got = np.asarray(f(a_p, x_p), dtype=float)
    return bool(got.shape == expected.shape and np.all(np.abs(got - expected) <= atol))
    ### END SOLUTION


# %%
def is_invariant(g, adjacency, x, perm, atol=1e-8):
    """Whether g(P A P^T, P X) == g(A, X) within atol."""
    ### BEGIN SOLUTION
    a_p, x_p = permute_graph(adjacency, x, perm)
    expected = np.asarray(g(adjacency, x), dtype=float)
    got = np.asarray(g(a_p, x_p), dtype=float)
    return bool(got.shape == expected.shape and np.all(np.abs(got - expected) <= atol))
    ### END SOLUTION
