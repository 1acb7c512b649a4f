# %% [markdown]
"""Graph attention (GAT): attention coefficients and a multi-head layer (6 points)
Lecture: §7.2.1 A single GNN layer

The notes' GAT layer weighs each neighbour u of node v by an attention weight alpha_{u,v}:

    h_v^(k) = sigma( sum_{u in N(v)} alpha_{u,v} W^(k) h_u^(k-1) )

with sigma outside the sum, and alpha_{u,v} the normalised form of a score e_{u,v} that an
attention mechanism a computes. The notes do not fix a; we use the one of Velickovic et al. We
store one node per row, h (N, F), and a head's weight W as (F, D), so W^(k) h_u is the row
z_u = h_u W. For one head with attention vectors a_src, a_dst (D,):

    z_u       = h_u W                                        (transform every node)
    e_{u,v}   = LeakyReLU(z_v . a_dst + z_u . a_src)          (= LeakyReLU(a^T [z_v || z_u]))
    alpha_{u,v} = exp(e_{u,v}) / sum_{t in N(v)} exp(e_{t,v})   for u in N(v), 0 otherwise
    h_v'      = sigma( sum_{u in N(v)} alpha_{u,v} z_u )

where LeakyReLU(x) = x for x > 0 and slope * x otherwise, and N(v) = {u : A[v, u] != 0} (u
sends to v). A node without neighbours gets alpha_{u,v} = 0 for every u, so h_v' = sigma(0).

Beyond the notes: with `self_loops=True` every node also attends to itself (v is added to its
own N(v)), as Velickovic et al. do; a node without neighbours then attends only to itself.

With K heads (each with its own W^k, a_src^k, a_dst^k; the notes' multi-head attention) the
heads' sums are concatenated, shape (N, K D), or averaged, shape (N, D), and sigma is applied
after merging them.

Shapes: adjacency (N, N); h (N, F); for K heads w (K, F, D), a_src and a_dst (K, D).

Implement with numpy only:

- `attention_coefficients(adjacency, h, w, a_src, a_dst, slope=0.2, self_loops=False)` for ONE
  head (w (F, D), a_src and a_dst (D,)) -> alpha (N, N) with alpha[v, u] = alpha_{u,v}, the
  weight node v gives node u: each row of a node with at least one neighbour sums to 1, and
  alpha[v, u] = 0 for u outside N(v). Subtract each row's largest score over N(v) before exp
  (the result is the same, and it does not overflow);
- `gat_layer(adjacency, h, w, a_src, a_dst, merge="concat", slope=0.2, self_loops=False,
  activation=None)` -> (N, K D) for "concat", (N, D) for "mean"; `activation` (sigma) is
  "relu" or None (identity).

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or networkx.
"""

# %%
import numpy as np


# %%
def attention_coefficients(adjacency, h, w, a_src, a_dst, slope=0.2, self_loops=False):
    """alpha (N, N) of one head; alpha[v, u] = softmax over u in N(v) of e_{u,v}."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def gat_layer(adjacency, h, w, a_src, a_dst, merge="concat", slope=0.2, self_loops=False, activation=None):
    """Multi-head GAT: sigma of the heads concatenated (N, K D) or averaged (N, D)."""
    # YOUR CODE HERE
    raise NotImplementedError()
