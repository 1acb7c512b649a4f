# %% [markdown]
"""A self-attention Keras layer (6 points)
Lecture: §3.3 Attention Mechanism

The notes' self-attention takes a sequence whose positions are already embedded,
a^i = W x^i with position information (that step comes before this layer, e.g. an embedding
plus a positional encoding), and computes for every position t

    q^i = W^q a^i,    k^i = W^k a^i,    v^i = W^v a^i
    alpha_{t,i} = q^t . k^i / sqrt(d),   alpha_hat_{t,i} = softmax over i of alpha_{t,i}
    b^t = sum_i alpha_hat_{t,i} v^i

For a batch X of shape (batch, T, d_model) whose rows are the a^i, all positions at once are

    Q = X W_q,    K = X W_k,    V = X W_v
    A = softmax(Q K^T / sqrt(key_dim))              softmax over the keys (last axis)
    output = A V                                    (batch, T, key_dim): row t is b^t

with W_q, W_k, W_v of shape (d_model, key_dim) (the notes' W^q, W^k, W^v transposed, since a
row multiplies a matrix from the left), key_dim the notes' d, and no biases.

Beyond the notes, three options of ours, each off by default; all three together give the
one-head form of Keras' MultiHeadAttention:

- `use_bias=True`: Q = X W_q + b_q, K = X W_k + b_k, V = X W_v + b_v (and b_o below), with
  b_q, b_k, b_v of shape (key_dim,);
- `use_output_projection=True`: output = (A V) W_o, or (A V) W_o + b_o with `use_bias`, with
  W_o of shape (key_dim, d_model) and b_o of shape (d_model,), so that the output has d_model
  features again (what lets such layers be stacked);
- `causal=True`: A = softmax(Q K^T / sqrt(key_dim) + M) with the causal mask
  M[t, s] = 0 if s <= t and -infinity if s > t, so position t does not attend to later
  positions (those weights are exactly 0).

Write the Keras layer `SelfAttention(key_dim, use_bias=False, use_output_projection=False,
causal=False, **kwargs)` (its `__init__` is given):

- `build` creates its weights with `add_weight` in the order W_q, b_q, W_k, b_k, W_v, b_v,
  W_o, b_o, leaving out the biases without `use_bias` and W_o (and b_o) without
  `use_output_projection`; so the notes' form has exactly [W_q, W_k, W_v], and
  `layer.set_weights([...])` takes the weights in that order;
- `call(inputs, return_attention_scores=False)` returns the output, or with
  `return_attention_scores=True` the tuple (output, A) with A of shape (batch, T, T); it
  computes with `keras.ops`;
- `get_config()` returns the base layer's config plus `key_dim`, `use_bias`,
  `use_output_projection` and `causal`, so that `SelfAttention.from_config(layer.get_config())`
  makes the same layer.

You may not use keras.layers.MultiHeadAttention, keras.layers.GroupQueryAttention,
keras.layers.Attention, keras.layers.AdditiveAttention (Keras' attention layers),
keras.layers.Dense, keras.layers.EinsumDense, keras.ops.dot_product_attention,
keras.ops.nn.dot_product_attention, tensorflow or dlcourse.sequence.
"""

# %%
import math

import keras
from keras import ops


# %%
class SelfAttention(keras.layers.Layer):
    """The notes' single-head self-attention softmax(Q K^T / sqrt(key_dim)) V, with options."""

    def __init__(self, key_dim, use_bias=False, use_output_projection=False, causal=False, **kwargs):
        super().__init__(**kwargs)
        self.key_dim = key_dim
        self.use_bias = use_bias
        self.use_output_projection = use_output_projection
        self.causal = causal

    def build(self, input_shape):
        ### BEGIN SOLUTION
        d_model = input_shape[-1]
        shapes = {"q": (d_model, self.key_dim), "k": (d_model, self.key_dim),
                  "v": (d_model, self.key_dim)}
        if self.use_output_projection:
            shapes["o"] = (self.key_dim, d_model)
        self.kernels, self.biases = {}, {}
        for name, shape in shapes.items():
            self.kernels[name] = self.add_weight(shape=shape, name=f"W_{name}",
                                                 initializer="glorot_uniform")
            if self.use_bias:
                self.biases[name] = self.add_weight(shape=(shape[1],), name=f"b_{name}",
                                                    initializer="zeros")
        ### END SOLUTION

    def call(self, inputs, return_attention_scores=False):
        ### BEGIN SOLUTION
        def project(x, name):
            y = ops.matmul(x, self.kernels[name])
            return y + self.biases[name] if self.use_bias else y

        q, k, v = project(inputs, "q"), project(inputs, "k"), project(inputs, "v")
        scores = ops.matmul(q, ops.transpose(k, (0, 2, 1))) / math.sqrt(self.key_dim)
        if self.causal:
            positions = ops.arange(ops.shape(inputs)[1])
            allowed = ops.expand_dims(positions, 1) >= ops.expand_dims(positions, 0)
            scores = ops.where(allowed, scores, -1e9)
        weights = ops.softmax(scores, axis=-1)
        output = ops.matmul(weights, v)
        if self.use_output_projection:
            output = project(output, "o")
        return (output, weights) if return_attention_scores else output
        ### END SOLUTION

    def get_config(self):
        ### BEGIN SOLUTION
        return {**super().get_config(), "key_dim": self.key_dim, "use_bias": self.use_bias,
                "use_output_projection": self.use_output_projection, "causal": self.causal}
        ### END SOLUTION
