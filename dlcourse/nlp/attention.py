"""Multi-head attention and the masks of the Transformer (padding and look-ahead).

Lecture: §3.3 Attention Mechanism; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure

The notes' self-attention (§3.3) projects every embedded position a^i to a query, a key and a
value and averages the values with softmax weights of the scaled dot products:

    q^i = W^q a^i,   k^i = W^k a^i,   v^i = W^v a^i
    alpha_{1,i} = q^1 . k^i / sqrt(d),   alpha_hat_{1,i} = softmax over i of alpha_{1,i}
    b^1 = sum_i alpha_hat_{1,i} v^i

§5.3.1 gives each token several such attention blocks, *multi-head* self-attention, like the
channels of a convolution, each free to pick out a different feature. With h heads, head h has
its own W^q_h, W^k_h, W^v_h (d_model -> key_dim), computes the b's above, and the heads' outputs
are concatenated and mapped back to d_model by an output projection W^o (the notes' figure 10;
the equations are Vaswani et al.'s, filled in by us):

    head_h = softmax(Q_h K_h^T / sqrt(key_dim) + M) V_h,   Q_h = X_q W^q_h,  K_h = X_kv W^k_h, ...
    output = concat(head_1, ..., head_H) W^o

Self-attention takes X_q = X_kv = X; the decoder's *cross-attention* takes its queries from the
decoder and its keys and values from the encoder's output ("memory", as the notes say).

The notes keep each word from attending to the words after it by giving those scores the value
-infinity, so that all positions can be computed in parallel. M is that mask (0 where a query
may attend to a key, -infinity where it may not), and beyond the look-ahead (causal) mask we
also mask *padding*: a batch of sentences of different lengths is padded to one length with a
pad token, and no query may attend to a pad key. `padding_mask` reads which positions are real
from the token ids, `attention_mask` combines it with the causal mask.

The arithmetic of one head is chapter 3's `dlcourse.sequence.scaled_dot_product_attention`
(with `causal_mask`), applied to all heads at once on tensors of shape (batch, heads, T, d).
`MultiHeadAttention` keeps Keras' weight layout, so that `set_weights` moves weights between it
and `keras.layers.MultiHeadAttention` unchanged; chapter 8's rotary position encoding and
key/value cache override its `_project_heads` / `_attend` steps instead of copying it.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import optional_seed, positive_int
from dlcourse.sequence.attention import causal_mask, scaled_dot_product_attention

__all__ = ["padding_mask", "attention_mask", "MultiHeadAttention"]


def padding_mask(ids, pad_id=0):
    """Which positions of a batch of token ids are real tokens (True) and which are padding.

    Beyond the notes: a batch of sentences padded with `pad_id` to one length needs it, so that
    attention never looks at the pad positions (their scores get M = -infinity).

    Args:
        ids: integer token ids, shape (batch, T).
        pad_id: the id of the padding token. Defaults to 0 (`dlcourse.nlp.tokenizer.PAD_ID`).

    Returns:
        A boolean tensor of shape (batch, T), True where `ids != pad_id`.

    Example:

    >>> ids = keras.ops.convert_to_tensor([[5, 7, 0], [4, 0, 0]])
    >>> keras.ops.convert_to_numpy(padding_mask(ids)).astype(int).tolist()
    [[1, 1, 0], [1, 0, 0]]
    """
    if isinstance(pad_id, bool) or not isinstance(pad_id, int):
        raise ValueError(f"pad_id must be an integer token id, got {pad_id!r}.")
    ids = ops.convert_to_tensor(ids)
    return ops.not_equal(ids, ops.cast(pad_id, ids.dtype))


def attention_mask(key_padding_mask=None, query_length=None, causal=False, query_padding_mask=None):
    """Combine a padding mask and the causal mask into one boolean attention mask.

    A query t may attend to a key s when s is a real token (`key_padding_mask[b, s]`), and with
    `causal=True` only when s <= t (the notes' look-ahead mask: scores of future words set to
    -infinity). With `query_padding_mask`, pad *queries* attend to nothing (all-zero weights),
    Keras' rule for the query mask of `keras.layers.MultiHeadAttention`.

    Args:
        key_padding_mask: optional boolean tensor (batch, S), True at the real key positions.
        query_length: the number of query positions T; needed with `causal=True` when neither
            mask gives it (it defaults to S, as in self-attention, or to the query mask's T).
        causal: whether to add the causal mask (query t sees keys s <= t).
        query_padding_mask: optional boolean tensor (batch, T), True at the real queries.

    Returns:
        A boolean tensor broadcastable to (batch, T, S), True where attention is allowed:
        (batch, 1, S) for a key padding mask alone, (batch, T, S) or (1, T, S) otherwise; None
        when there is nothing to mask.

    Example:

    >>> keys = keras.ops.convert_to_tensor([[True, True, False]])
    >>> keras.ops.convert_to_numpy(attention_mask(keys, causal=True)).astype(int).tolist()
    [[[1, 0, 0], [1, 1, 0], [1, 1, 0]]]
    """
    if key_padding_mask is None and query_padding_mask is None and not causal:
        return None
    key_length = None if key_padding_mask is None else ops.shape(key_padding_mask)[-1]
    if query_length is None:
        query_length = key_length if query_padding_mask is None else ops.shape(query_padding_mask)[-1]
    if causal and query_length is None:
        raise ValueError("attention_mask(causal=True) needs the number of query positions: pass "
                         "query_length or a padding mask.")
    key_length = query_length if key_length is None else key_length
    return _from_parts(key_padding_mask, query_padding_mask, causal, query_length, key_length)


def _causal(query_length, key_length):
    if isinstance(query_length, int) and isinstance(key_length, int):
        return causal_mask(query_length, key_length)
    # symbolic lengths (a model with inputs of unknown length): the same lower triangle
    rows = ops.expand_dims(ops.arange(query_length), 1)
    columns = ops.expand_dims(ops.arange(key_length), 0)
    return ops.greater_equal(rows, columns)


@keras.saving.register_keras_serializable(package="dlcourse")
class MultiHeadAttention(keras.layers.Layer):
    """Multi-head attention: H heads of the notes' scaled dot-product attention, concatenated.

    For queries X_q of shape (batch, T, d_q) and keys/values X_kv of shape (batch, S, d_kv),
    head h computes the notes' attention with its own projections,

        Q_h = X_q W_q[:, h, :] + b_q[h],   K_h = X_kv W_k[:, h, :] + b_k[h],
        V_h = X_kv W_v[:, h, :] + b_v[h]
        head_h = softmax(Q_h K_h^T / sqrt(key_dim) + M) V_h         (batch, T, value_dim)

    and the output concatenates the heads and projects them back,

        output = sum_h head_h W_o[h] + b_o = concat(head_1, ..., head_H) W_o' + b_o

    (W_o' is W_o reshaped to (H * value_dim, output_dim)). Row t of head h is the notes'
    b^t = sum_i alpha_hat_{t,i} v^i for that head, and M is 0 where query t may attend to key s,
    -infinity elsewhere (the causal mask, padding, or any `attention_mask`). The biases and the
    dropout on the weights are ours beyond the notes. With X_q = X_kv this is self-attention;
    with keys and values from the encoder it is the decoder's cross-attention.

    The weights have `keras.layers.MultiHeadAttention`'s shapes and order, [W_q (d_q, H, key_dim),
    b_q (H, key_dim), W_k (d_k, H, key_dim), b_k, W_v (d_kv, H, value_dim), b_v,
    W_o (H, value_dim, output_dim), b_o (output_dim,)] (no b's with `use_bias=False`), so
    `layer.set_weights(keras_mha.get_weights())` makes the two compute the same function.

    Args:
        num_heads: the number of heads H (a positive integer).
        key_dim: the size of each head's queries and keys, the notes' d.
        value_dim: the size of each head's values. Defaults to `key_dim`.
        output_dim: the size of the output vectors. Defaults to d_q, the query's last axis.
        use_bias: whether the four projections have biases (beyond the notes). Defaults to True.
        dropout: dropout rate on the attention weights during training (beyond the notes).
        kernel_initializer: initializer of the W's. Defaults to "glorot_uniform".
        bias_initializer: initializer of the b's. Defaults to "zeros".
        seed: optional seed of the dropout.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        query: X_q, shape (batch, T, d_q).
        value: X_kv, shape (batch, S, d_kv); for self-attention pass the same tensor twice.
        key: optional keys (batch, S, d_k); defaults to `value`.
        attention_mask: optional boolean tensor broadcastable to (batch, T, S), True where query
            t may attend to key s (e.g. from `attention_mask(...)`).
        use_causal_mask: whether to add the causal mask (query t sees keys s <= t).
        return_attention_scores: whether to also return the attention weights.
        training: whether dropout is active.
        query_mask, value_mask, key_mask: Keras padding masks (batch, T) / (batch, S), filled in
            automatically after e.g. `keras.layers.Embedding(mask_zero=True)`, combined as in
            `keras.layers.MultiHeadAttention` (a pad key is never attended to, a pad query
            attends to nothing).

    Returns:
        The output (batch, T, output_dim); with `return_attention_scores=True` the tuple
        (output, weights) with weights of shape (batch, H, T, S).

    Example:

    >>> mha = MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = keras.ops.ones((3, 5, 8))
    >>> out, weights = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    >>> tuple(out.shape), tuple(weights.shape), len(mha.weights)
    ((3, 5, 8), (3, 2, 5, 5), 8)
    """

    def __init__(self, num_heads, key_dim, value_dim=None, output_dim=None, use_bias=True, dropout=0.0,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = positive_int("num_heads", num_heads)
        self.key_dim = positive_int("key_dim", key_dim)
        self.value_dim = self.key_dim if value_dim is None else positive_int("value_dim", value_dim)
        self.output_dim = None if output_dim is None else positive_int("output_dim", output_dim)
        self.use_bias = bool(use_bias)
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}.")
        self.dropout = float(dropout)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.seed = optional_seed("seed", seed)
        self._dropout_layer = keras.layers.Dropout(self.dropout, seed=self.seed)
        self.supports_masking = True

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        for label, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if shape[-1] is None:
                raise ValueError(
                    f"MultiHeadAttention needs a known feature dimension of its {label}, got shape "
                    f"{tuple(shape)}; give the model's Input a fixed last dimension.")
        heads = self.num_heads
        self.output_features = self.output_dim or query_shape[-1]
        shapes = {"q": (query_shape[-1], heads, self.key_dim), "k": (key_shape[-1], heads, self.key_dim),
                  "v": (value_shape[-1], heads, self.value_dim),
                  "o": (heads, self.value_dim, self.output_features)}
        self.projections = {}
        for name, shape in shapes.items():
            kernel = self.add_weight(shape=shape, name=f"W_{name}", initializer=self.kernel_initializer)
            bias = None
            if self.use_bias:
                bias_shape = (self.output_features,) if name == "o" else shape[1:]
                bias = self.add_weight(shape=bias_shape, name=f"b_{name}", initializer=self.bias_initializer)
            self.projections[name] = (kernel, bias)

    def _project_heads(self, x, name):
        """(batch, T, d) -> (batch, H, T, dim): every head's projection X W[:, h, :] + b[h]."""
        kernel, bias = self.projections[name]
        y = ops.einsum("btd,dhk->bthk", x, kernel)
        if bias is not None:
            y = y + bias
        return ops.transpose(y, (0, 2, 1, 3))

    def _attend(self, query, key, value, mask, training=None):
        """The notes' attention in every head at once: (batch, H, T, d) -> (context, weights)."""
        if mask is not None:
            mask = ops.expand_dims(mask, 1)  # the same mask for every head
        context, weights = scaled_dot_product_attention(query, key, value, mask=mask)
        if self.dropout > 0 and training:
            # dropout acts on the weights, so the context is recomputed from the dropped ones
            context = ops.matmul(self._dropout_layer(weights, training=training), value)
        return context, weights

    def _merge_heads(self, context):
        """(batch, H, T, value_dim) -> (batch, T, output_dim): concat(heads) W_o + b_o."""
        kernel, bias = self.projections["o"]
        output = ops.einsum("bhtv,hvo->bto", context, kernel)
        return output if bias is None else output + bias

    def call(self, query, value, key=None, attention_mask=None, use_causal_mask=False,
             return_attention_scores=False, training=None, query_mask=None, value_mask=None,
             key_mask=None):
        key_input = value if key is None else key
        mask = self._combined_mask(query, value, query_mask, value_mask,
                                   key_mask if key is not None and key is not value else None,
                                   attention_mask, use_causal_mask)
        context, weights = self._attend(self._project_heads(query, "q"), self._project_heads(key_input, "k"),
                                        self._project_heads(value, "v"), mask, training=training)
        output = self._merge_heads(context)
        return (output, weights) if return_attention_scores else output

    def _combined_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        # Keras' rule: value (and key) masks hide pad keys, the query mask empties pad queries.
        key_padding = value_mask
        if key_mask is not None:
            key_padding = key_mask if key_padding is None else ops.logical_and(
                ops.cast(key_padding, "bool"), ops.cast(key_mask, "bool"))
        combined = None
        if key_padding is not None or query_mask is not None or use_causal_mask:
            combined = _from_parts(key_padding, query_mask, use_causal_mask,
                                   ops.shape(query)[1], ops.shape(value)[1])
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
            combined = attention_mask if combined is None else ops.logical_and(combined, attention_mask)
        return combined

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        output_dim = self.output_dim or query_shape[-1]
        return (*query_shape[:-1], output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "output_dim": self.output_dim,
            "use_bias": self.use_bias,
            "dropout": self.dropout,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "seed": self.seed,
        }


def _from_parts(key_padding, query_padding, causal, query_length, key_length):
    masks = []
    if key_padding is not None:
        masks.append(ops.expand_dims(ops.cast(key_padding, "bool"), -2))
    if query_padding is not None:
        masks.append(ops.expand_dims(ops.cast(query_padding, "bool"), -1))
    if causal:
        masks.append(ops.expand_dims(_causal(query_length, key_length), 0))
    combined = masks[0]
    for extra in masks[1:]:
        combined = ops.logical_and(combined, extra)
    return combined
