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
        # YOUR CODE HERE
        raise NotImplementedError()

    def call(self, inputs, use_causal_mask=False, return_attention_scores=False):
        # YOUR CODE HERE
        raise NotImplementedError()

    def get_config(self):
        # YOUR CODE HERE
        raise NotImplementedError()
