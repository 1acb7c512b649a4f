# %% [markdown]
"""A GCN layer by message passing, in the notes' mean form (6 points)
Lecture: §7.1.3 Graph Convolutional Network; §7.2.1 A single GNN layer

A GNN layer has three steps. For every edge u -> v the sender u sends its state (message),
each node averages what it receives (aggregate), and combines that with its own state
(update). The notes write GCN layer k, with the aggregation matrix D^-1_{v,v} = 1 / |N(v)|
(N(v): the nodes with an edge into v), as

    H^(k+1) = sigma( W_k^T D^-1 A H^(k) + B_k^T H^(k) ),

that is, node by node,

    h_v^(k+1) = sigma( W_k^T sum_{u in N(v)} h_u^(k) / |N(v)|  +  B_k^T h_v^(k) )

(§7.2.1 writes the same layer without the self-transformation B_k:
h_v^(k) = sigma( sum_{u in N(v)} W^(k) h_u^(k-1) / |N(v)| )).

We store one node per row, H (N, F), and the weights as (F, F') matrices acting on the right,
so the notes' W_k^T h (a column vector) is our row h W_k, and the layer is

    H' = sigma( D^-1 A H W_k + H B_k ).

The notes leave |N(v)| = 0 open; here a node without incoming edges gets 0 from the first term.

The graph comes as an edge list: `senders` and `receivers`, integer arrays of shape (E,); edge
k goes from senders[k] to receivers[k] (an undirected graph lists both directions). A node may
receive the same sender twice (a repeated edge counts twice in the mean).

Implement with numpy only (no dense N x N matrix is needed):

- `aggregate_mean(messages, receivers, num_nodes)`: messages (E, F) -> the mean message per
  receiver (N, F), 0 for nodes without incoming edges (messages may have more trailing axes,
  (E, ...) -> (N, ...));
- `gcn_layer(h, senders, receivers, w_k, b_k, activation)`: h (N, F), w_k and b_k (F, F')
  -> H' (N, F'). `activation` is "relu" or None (identity); raise ValueError otherwise.

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or networkx.
"""

# %%
import numpy as np


# %%
def aggregate_mean(messages, receivers, num_nodes):
    """Mean of the messages arriving at each node, shape (num_nodes, F)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def gcn_layer(h, senders, receivers, w_k, b_k, activation="relu"):
    """sigma(D^-1 A H W_k + H B_k), shape (N, F')."""
    # YOUR CODE HERE
    raise NotImplementedError()
