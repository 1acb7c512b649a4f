"""Scaled dot-product attention and a self-attention layer.

Lecture: §3.3 Attention Mechanism

Attention lets every position of a sequence look at every other position directly, instead of
through a chain of recurrent steps. The notes embed each input with its position,
a^i = W x^i, project it to a query, a key and a value, and average the values with softmax
weights of the scaled dot products:

    q^i = W^q a^i,   k^i = W^k a^i,   v^i = W^v a^i
    alpha_{1,i} = q^1 . k^i / sqrt(d),   alpha_hat_{1,i} = softmax over i of alpha_{1,i}
    b^1 = sum_i alpha_hat_{1,i} v^i

and the same for every query position. With the positions as the rows of Q, K and V (and the
matrices transposed, since rows multiply from the left), all queries at once are

    A = softmax(Q K^T / sqrt(d_k) + M)           (softmax over the keys, row by row)
    output = A V

Beyond the notes, M is a mask, ours: 0 where a query may attend to a key and -infinity where
it may not (M = 0 is the notes' form). The causal mask lets position t attend only to positions
s <= t, so that a model that predicts the next token cannot peek at it. `SelfAttention` is the
notes' layer, Q = X W_q, K = X W_k, V = X W_v with no biases and no output projection; biases,
an output projection W_o and the causal mask are its options beyond the notes (all three
together give Keras' `MultiHeadAttention` with one head).
"""

from __future__ import annotations

import math

import keras
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["causal_mask", "scaled_dot_product_attention", "SelfAttention"]

# What -infinity becomes in M: finite, so that a fully masked row gives no NaN (Keras' choice).
_LARGE_NEGATIVE = -1e9


def causal_mask(query_length, key_length=None):
    """The causal (look-ahead) mask: query position t may attend to key positions s <= t.

    Beyond the notes, whose attention has no mask: it is what a model that predicts the next
    token needs, so that position t never sees the positions after it.

    Args:
        query_length: number of query positions T (a positive integer).
        key_length: number of key positions S; defaults to T.

    Returns:
        A boolean tensor of shape (T, S), True where attention is allowed (on and below the
        diagonal).

    Example:

    >>> import keras
    >>> from dlcourse.sequence import causal_mask
    >>> keras.ops.convert_to_numpy(causal_mask(3)).astype(int).tolist()
    [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    query_length = positive_int("query_length", query_length)
    key_length = query_length if key_length is None else positive_int("key_length", key_length)
    return _lower_triangular(query_length, key_length)


def _lower_triangular(query_length, key_length):
    # lengths may be symbolic (a model with inputs of unknown length): no validation here
    rows = ops.expand_dims(ops.arange(query_length), 1)
    columns = ops.expand_dims(ops.arange(key_length), 0)
    return ops.greater_equal(rows, columns)


def scaled_dot_product_attention(query, key, value, mask=None):
    """softmax(Q K^T / sqrt(d_k) + M) V, returning the output and the attention weights.

    Row t of the output is the notes' b^t = sum_i alpha_hat_{t,i} v^i with
    alpha_{t,i} = q^t . k^i / sqrt(d_k); the mask M is ours (no mask is the notes' form).

    Args:
        query: Q, shape (..., T, d_k).
        key: K, shape (..., S, d_k).
        value: V, shape (..., S, d_v).
        mask: optional boolean tensor broadcastable to (..., T, S), True where a query may
            attend to a key (M = 0 there, -infinity elsewhere). A query whose keys are all
            masked gets all-zero weights (and a zero output), as in Keras.

    Returns:
        The tuple (output, weights): output of shape (..., T, d_v), weights of shape
        (..., T, S), each row of the weights summing to 1, except the row of a fully
        masked query, which is all zeros.

    Example:

    >>> import keras
    >>> from dlcourse.sequence import scaled_dot_product_attention, causal_mask
    >>> q = k = keras.ops.convert_to_tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> v = keras.ops.convert_to_tensor([[1.0], [3.0]])
    >>> out, weights = scaled_dot_product_attention(q, k, v, mask=causal_mask(2))
    >>> [round(float(o), 4) for o in out[:, 0]]  # row 0 only sees position 0
    [1.0, 2.3395]
    """
    query, key, value = (ops.convert_to_tensor(t) for t in (query, key, value))
    d_k = query.shape[-1]
    scores = ops.matmul(query, ops.swapaxes(key, -1, -2)) / math.sqrt(d_k)
    weights = _masked_softmax(scores, mask)
    return ops.matmul(weights, value), weights


def _masked_softmax(scores, mask):
    if mask is None:
        return ops.softmax(scores, axis=-1)
    mask = ops.cast(mask, "bool")
    weights = ops.softmax(ops.where(mask, scores, _LARGE_NEGATIVE), axis=-1)
    return ops.where(mask, weights, ops.zeros_like(weights))


@keras.saving.register_keras_serializable(package="dlcourse")
class SelfAttention(keras.layers.Layer):
    """Single-head self-attention: the notes' layer, with biases, W_o and a mask as options.

    For a sequence X of shape (batch, T, d_model) whose rows are the notes' embedded
    positions a^i, the notes' self-attention (the default) is

        Q = X W_q,   K = X W_k,   V = X W_v
        A = softmax(Q K^T / sqrt(key_dim)),   output = A V

    with W_q, W_k of shape (d_model, key_dim) and W_v (d_model, value_dim): row t of the
    output is the notes' b^t = sum_i alpha_hat_{t,i} v^i. Beyond the notes, three options:
    `use_bias=True` adds b_q, b_k, b_v (and b_o) to the projections; `use_output_projection=True`
    maps the result back with output = (A V) W_o (+ b_o), W_o of shape (value_dim, output_dim),
    so that the output has d_model features again; `causal=True` adds the causal mask M (0 for
    s <= t, -infinity for s > t) to the scores. `get_weights()` returns
    [W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o] without the weights an option leaves out, so
    [W_q, W_k, W_v] for the notes' form. With `use_bias=True, use_output_projection=True` this
    is `keras.layers.MultiHeadAttention(num_heads=1, key_dim=key_dim)` called as `mha(X, X)` on
    the same weights (its kernels hold the same numbers with a head axis of size 1).

    Args:
        key_dim: size of each query and key vector, the notes' d (a positive integer).
        value_dim: size of each value vector. Defaults to `key_dim`.
        output_dim: size of the output vectors with the output projection. Defaults to d_model,
            the input's last axis. Without the output projection the output has `value_dim`
            features and `output_dim` must be left out.
        use_bias: whether the projections have biases (beyond the notes). Defaults to False.
        use_output_projection: whether to project the result with W_o (beyond the notes).
            Defaults to False.
        causal: whether the causal mask is applied by default (beyond the notes); a call's
            `use_causal_mask` overrides it. Defaults to False.
        kernel_initializer: initializer of the W's. Defaults to "glorot_uniform".
        bias_initializer: initializer of the b's. Defaults to "zeros".
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: X, a tensor of shape (batch, T, d_model).
        attention_mask: optional boolean tensor (batch, T, T), True where position t may
            attend to position s.
        use_causal_mask: whether to add the causal mask (combined with `attention_mask`).
            Defaults to the layer's `causal`.
        return_attention_scores: whether to also return the attention weights A.
        mask: the Keras padding mask (batch, T) of the inputs, passed automatically after
            e.g. `keras.layers.Embedding(mask_zero=True)`: no position attends to a padding
            position, and a padding position's own weights are all 0 (MultiHeadAttention
            agrees on every non-padding position). The mask passes on to the next layer.

    Returns:
        The output, shape (batch, T, value_dim), or (batch, T, output_dim) with the output
        projection; with `return_attention_scores=True` the tuple (output, A) with A of shape
        (batch, T, T).

    Example:

    >>> import keras
    >>> from dlcourse.sequence import SelfAttention
    >>> layer = SelfAttention(key_dim=4)  # the notes' form: [W_q, W_k, W_v]
    >>> out, weights = layer(keras.ops.ones((2, 5, 8)), return_attention_scores=True)
    >>> tuple(out.shape), tuple(weights.shape), len(layer.weights)
    ((2, 5, 4), (2, 5, 5), 3)
    >>> extended = SelfAttention(4, use_bias=True, use_output_projection=True, causal=True)
    >>> tuple(extended(keras.ops.ones((2, 5, 8))).shape), len(extended.weights)
    ((2, 5, 8), 8)
    """

    def __init__(self, key_dim, value_dim=None, output_dim=None, use_bias=False,
                 use_output_projection=False, causal=False, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.key_dim = positive_int("key_dim", key_dim)
        self.value_dim = self.key_dim if value_dim is None else positive_int("value_dim", value_dim)
        self.use_output_projection = bool(use_output_projection)
        if output_dim is not None and not self.use_output_projection:
            raise ValueError(
                f"output_dim={output_dim!r} needs use_output_projection=True: without the output "
                "projection the output has value_dim features.")
        self.output_dim = None if output_dim is None else positive_int("output_dim", output_dim)
        self.use_bias = bool(use_bias)
        self.causal = bool(causal)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.supports_masking = True

    def build(self, input_shape):
        d_model = input_shape[-1]
        if d_model is None:
            raise ValueError(
                "SelfAttention needs a known feature dimension, got input shape "
                f"{tuple(input_shape)}; give the model's Input a fixed last dimension."
            )
        shapes = {"q": (d_model, self.key_dim), "k": (d_model, self.key_dim),
                  "v": (d_model, self.value_dim)}
        if self.use_output_projection:
            shapes["o"] = (self.value_dim, self.output_dim or d_model)
        self.projections = {}
        for name, shape in shapes.items():
            kernel = self.add_weight(shape=shape, name=f"W_{name}",
                                     initializer=self.kernel_initializer)
            bias = None
            if self.use_bias:
                bias = self.add_weight(shape=(shape[1],), name=f"b_{name}",
                                       initializer=self.bias_initializer)
            self.projections[name] = (kernel, bias)

    def _project(self, x, name):
        kernel, bias = self.projections[name]
        y = ops.matmul(x, kernel)
        return y if bias is None else y + bias

    def call(self, inputs, attention_mask=None, use_causal_mask=None,
             return_attention_scores=False, mask=None):
        causal = self.causal if use_causal_mask is None else bool(use_causal_mask)
        attention_mask = self._combined_mask(inputs, attention_mask, causal, mask)
        context, weights = scaled_dot_product_attention(
            self._project(inputs, "q"), self._project(inputs, "k"), self._project(inputs, "v"),
            mask=attention_mask)
        output = self._project(context, "o") if self.use_output_projection else context
        return (output, weights) if return_attention_scores else output

    def _combined_mask(self, inputs, attention_mask, use_causal_mask, padding_mask):
        masks = []
        if attention_mask is not None:
            masks.append(ops.cast(attention_mask, "bool"))
        if padding_mask is not None:
            # a padding position neither attends nor is attended to
            padding_mask = ops.cast(padding_mask, "bool")
            masks.append(ops.logical_and(ops.expand_dims(padding_mask, -1),
                                         ops.expand_dims(padding_mask, -2)))
        if use_causal_mask:
            length = ops.shape(inputs)[1]
            masks.append(ops.expand_dims(_lower_triangular(length, length), 0))
        if not masks:
            return None
        combined = masks[0]
        for extra in masks[1:]:
            combined = ops.logical_and(combined, extra)
        return combined

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        return {
            **super().get_config(),
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "output_dim": self.output_dim,
            "use_bias": self.use_bias,
            "use_output_projection": self.use_output_projection,
            "causal": self.causal,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }

    @classmethod
    def from_config(cls, config):
        # A layer saved before the output projection became an option always had one (W_o);
        # its config names use_bias, which then defaulted to True, so only this key is missing.
        return super().from_config({"use_output_projection": True, **config})
