# %% [markdown]
"""Edge-level prediction heads, binary cross-entropy and ROC AUC (6 points)
Lecture: §7.3.1 Prediction; §7.3.2 Loss Function and Evaluation

The notes' edge-level head scores a pair of node embeddings after L layers,

    y^_{u,v} = Head(h_v^L, h_u^L),

with Head a dot product or linear layers on the concatenation. We use, for a candidate edge
(u, v) with node states h_u, h_v:

    dot product:    s_uv = h_u . h_v
    concatenation:  s_uv = ReLU([h_u || h_v] W1 + b1) w2 + b2      ([a || b]: concatenation)

(the ReLU hidden layer and the biases are ours: two linear layers with a non-linearity between
them). The score is a logit: P(edge) = sigmoid(s) = 1 / (1 + exp(-s)).

The notes leave §7.3.2 (loss and evaluation) empty; we fill it. Training minimises the
cross-entropy the notes write for pairs, L = sum CE(y_{u,v}, DEC(z_u, z_v)) (§7.1.3), which for
labels y in {0, 1} is the binary cross-entropy, averaged over the M pairs:

    BCE = -(1/M) sum_m [ y_m log sigmoid(s_m) + (1 - y_m) log(1 - sigmoid(s_m)) ]

Compute it stably from the logits: -log sigmoid(s) = log(1 + exp(-s)) = max(-s, 0) +
log(1 + exp(-|s|)), and -log(1 - sigmoid(s)) = -log sigmoid(-s).

Edges are ranked by score, so the metric is the area under the ROC curve, the probability
that a random positive pair scores higher than a random negative pair (ties count 1/2):

    AUC = (1 / (P N)) sum_{i positive} sum_{j negative} ( [s_i > s_j] + 0.5 [s_i = s_j] )

Shapes: h (N, D); pairs int (M, 2), row m = (u, v); W1 (2D, H), b1 (H,), w2 (H,), b2 a float;
labels (M,) of 0 / 1, and logits (M,) or scores (M,), one entry per pair.

Implement with numpy only:

- `dot_product_scores(h, pairs)` -> (M,);
- `concat_mlp_scores(h, pairs, w1, b1, w2, b2)` -> (M,);
- `binary_cross_entropy(labels, logits)` -> a float;
- `roc_auc(labels, scores)` -> a float.

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or sklearn.
"""

# %%
import numpy as np


# %%
def dot_product_scores(h, pairs):
    """s_uv = h_u . h_v for every row (u, v) of pairs, shape (M,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def concat_mlp_scores(h, pairs, w1, b1, w2, b2):
    """s_uv = ReLU([h_u || h_v] W1 + b1) w2 + b2, shape (M,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def binary_cross_entropy(labels, logits):
    """Mean binary cross-entropy of sigmoid(logits) against labels, computed stably."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def roc_auc(labels, scores):
    """P(score of a random positive > score of a random negative), ties counting 1/2."""
    # YOUR CODE HERE
    raise NotImplementedError()
