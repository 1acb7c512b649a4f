# %% [markdown]
"""Kipf and Welling's GCN: symmetric normalisation and a two-layer node classifier (5 points)
Lecture: §7.1.3 Graph Convolutional Network; §7.3.1 Prediction

The notes' GCN averages the neighbours, H^(k+1) = sigma(W_k^T D^-1 A H^(k) + B_k^T H^(k)) with
D^-1_{v,v} = 1 / |N(v)|. Beyond the notes, this exercise is the GCN of Kipf and Welling, which
folds the self-transformation into the aggregation by adding self-loops (one weight W instead
of W_k and B_k) and normalises the adjacency matrix symmetrically:

    A~ = A + I,    D~[i, i] = sum_j A~[i, j],    A^ = D~^-1/2 A~ D~^-1/2

One layer is

    H' = sigma(A^ H W + b)

(one node per row and W of shape (in, out), so the notes' W^T h is our h W; the bias b is ours),
and the two-layer node classifier of the paper, a node-level prediction head on top, is

    Z = softmax(A^ ReLU(A^ X W0 + b0) W1 + b1)       (softmax over each row)

A = adjacency (N, N) is the adjacency matrix of an undirected graph (A[i, j] = 1 for an edge,
symmetric, zero diagonal), X (N, F) the node features, W0 (F, hidden), b0 (hidden,),
W1 (hidden, C), b1 (C,).

Implement with numpy only:

- `gcn_symmetric_layer(adjacency, h, w, b, activation)`, for h (N, F), w (F, units) and
  b (units,), -> sigma(A^ H W + b), shape (N, units);
  `activation` is "relu" or None (identity);
- `two_layer_gcn(adjacency, x, w0, b0, w1, b1)` -> Z, shape (N, C), rows summing to 1.
  Compute the softmax stably (subtract each row's maximum before exp).

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow, scipy or networkx.
"""

# %%
import numpy as np


# %%
def gcn_symmetric_layer(adjacency, h, w, b, activation="relu"):
    """sigma(D~^-1/2 (A + I) D~^-1/2 H W + b), shape (N, units)."""
    ### BEGIN SOLUTION
    a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))
    scale = 1.0 / np.sqrt(a.sum(axis=1))
    a_hat = scale[:, None] * a * scale[None, :]
    out = a_hat @ np.asarray(h, dtype=float) @ w + b
    return np.maximum(out, 0.0) if activation == "relu" else out
    ### END SOLUTION


# %%
def two_layer_gcn(adjacency, x, w0, b0, w1, b1):
    """softmax(A^ ReLU(A^ X W0 + b0) W1 + b1), shape (N, C)."""
    ### BEGIN SOLUTION
    hidden = gcn_symmetric_layer(adjacency, x, w0, b0, "relu")
    logits = gcn_symmetric_layer(adjacency, hidden, w1, b1, None)
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION
