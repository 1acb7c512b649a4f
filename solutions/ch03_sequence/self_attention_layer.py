# %% [markdown]
"""A self-attention Keras layer (5 points)

A self-attention layer projects a sequence X of shape (batch, T, d_model) to queries, keys and
values, attends, and projects the result back to d_model features:

    Q = X W_q + b_q,    K = X W_k + b_k,    V = X W_v + b_v
    A = softmax(Q K^T / sqrt(key_dim) + M)          softmax over the keys (last axis)
    output = (A V) W_o + b_o

with W_q, W_k, W_v of shape (d_model, key_dim), b_q, b_k, b_v of shape (key_dim,), W_o of
shape (key_dim, d_model) and b_o of shape (d_model,). M is 0 everywhere, or, with the causal
mask, 0 where s <= t and -infinity where s > t (position t may not attend to later positions,
so those weights are exactly 0).

Write the Keras layer `SelfAttention(key_dim, **kwargs)`:

- it creates its eight weights with `add_weight` in `build`, in the order
  W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o (so `layer.set_weights([...])` takes them in
  that order);
- `call(inputs, use_causal_mask=False, return_attention_scores=False)` returns the output
  (batch, T, d_model), or with `return_attention_scores=True` the tuple (output, A) with A of
  shape (batch, T, T); it computes with `keras.ops`;
- `get_config()` returns the base layer's config plus `key_dim`, so that
  `SelfAttention.from_config(layer.get_config())` makes the same layer.

You may not use Keras' attention layers (keras.layers.MultiHeadAttention,
GroupQueryAttention, Attention, AdditiveAttention), keras.layers.Dense,
keras.layers.EinsumDense, keras.ops.dot_product_attention, tensorflow or dlcourse.sequence.
"""

# %%
import math

import keras
from keras import ops


# %%
class SelfAttention(keras.layers.Layer):
    """Single-head self-attention: softmax(Q K^T / sqrt(key_dim) + M) V, projected by W_o."""

    def __init__(self, key_dim, **kwargs):
        super().__init__(**kwargs)
        self.key_dim = key_dim

    def build(self, input_shape):
        ### BEGIN SOLUTION
        d_model = input_shape[-1]
        shapes = {"q": (d_model, self.key_dim), "k": (d_model, self.key_dim),
                  "v": (d_model, self.key_dim), "o": (self.key_dim, d_model)}
        self.kernels, self.biases = {}, {}
        for name, shape in shapes.items():
            self.kernels[name] = self.add_weight(shape=shape, name=f"W_{name}",
                                                 initializer="glorot_uniform")
            self.biases[name] = self.add_weight(shape=(shape[1],), name=f"b_{name}",
                                                initializer="zeros")
        ### END SOLUTION

    def call(self, inputs, use_causal_mask=False, return_attention_scores=False):
        ### BEGIN SOLUTION
        def project(x, name):
            return ops.matmul(x, self.kernels[name]) + self.biases[name]

        q, k, v = project(inputs, "q"), project(inputs, "k"), project(inputs, "v")
        scores = ops.matmul(q, ops.transpose(k, (0, 2, 1))) / math.sqrt(self.key_dim)
        if use_causal_mask:
            positions = ops.arange(ops.shape(inputs)[1])
            allowed = ops.expand_dims(positions, 1) >= ops.expand_dims(positions, 0)
            scores = ops.where(allowed, scores, -1e9)
        weights = ops.softmax(scores, axis=-1)
        output = project(ops.matmul(weights, v), "o")
        return (output, weights) if return_attention_scores else output
        ### END SOLUTION

    def get_config(self):
        ### BEGIN SOLUTION
        return {**super().get_config(), "key_dim": self.key_dim}
        ### END SOLUTION
