"""The Transformer: encoder and decoder blocks, and the encoder-decoder model for translation.

Lecture: §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure

The notes' Transformer answers the RNN seq2seq's three weaknesses (lost long-range history, one
compressed middle state, every input token contributing alike) with attention alone:

- the **encoder block** takes its queries, keys and values from the (position-encoded) word
  embeddings and runs multi-head self-attention over the source;
- the **decoder block** runs *masked* multi-head self-attention over the target prefix (scores of
  future words set to -infinity, so that all positions train in parallel), then
  **cross-attention**, whose queries come from the decoder and whose keys and values come from
  the encoder's output, the "memory".

The notes show the blocks as figures; what the figures leave out is filled in from Vaswani et
al. (2017), ours beyond the notes: after each attention comes a position-wise feed-forward
network FFN(x) = act(x W_1 + b_1) W_2 + b_2, and every sub-layer (attention or FFN) is wrapped
in a residual connection and layer normalization,

    post-LN (the paper, `normalize_first=False`):  x <- LayerNorm(x + sublayer(x))
    pre-LN  (GPT-2 on, `normalize_first=True`):   x <- x + sublayer(LayerNorm(x))

LayerNorm normalises each position's feature vector (the last axis) to zero mean and unit
variance and rescales it, gamma * (x - mean) / sqrt(var + eps) + beta. Pre-LN keeps an
un-normalised residual path from input to output, which trains deep stacks without a warm-up;
a pre-LN stack then needs one final LayerNorm (`Transformer` adds it).

The blocks match `keras_hub.layers.TransformerEncoder` / `TransformerDecoder` on shared weights
(same sub-layers, same order, same options). They are built to be extended rather than copied:
the normalization is looked up by name in `NORMALIZATIONS` (chapter 8 registers RMSNorm with
`register_normalization`), `FeedForward` has a gated form (chapter 8's SwiGLU is
`FeedForward(gated=True, activation="silu")`), the attention is `dlcourse.nlp.MultiHeadAttention`
(chapter 8 subclasses it for RoPE and a key/value cache), and the model's position encoding is
an option ("sinusoidal", "learned" or None).
"""

from __future__ import annotations

import math
import warnings

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, optional_seed, positive_int
from dlcourse.nlp.attention import MultiHeadAttention, attention_mask, padding_mask
from dlcourse.nlp.positional import LearnedPositionEmbedding, SinusoidalPositionEncoding

__all__ = [
    "NORMALIZATIONS",
    "register_normalization",
    "FeedForward",
    "TransformerEncoderBlock",
    "TransformerDecoderBlock",
    "TokenAndPositionEmbedding",
    "TransformerEncoderStack",
    "TransformerDecoderStack",
    "Transformer",
    "POSITION_ENCODINGS",
    "position_encoding_layer",
]


def _layer_norm(epsilon, name):
    return keras.layers.LayerNormalization(epsilon=epsilon, name=name)


# Name -> factory(epsilon, name) of a normalization layer over the last axis.
NORMALIZATIONS = {"layer_norm": _layer_norm}


def register_normalization(name, factory):
    """Make a normalization available to the blocks by name, e.g. chapter 8's RMSNorm.

    Args:
        name: the string the blocks' `normalization` argument will accept.
        factory: `factory(epsilon, name) -> keras.layers.Layer` normalising the last axis.
    """
    if not isinstance(name, str) or not callable(factory):
        raise ValueError(f"register_normalization needs a name (str) and a callable factory, got "
                         f"{name!r} and {factory!r}.")
    NORMALIZATIONS[name] = factory


def _normalization(name):
    if name not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {sorted(NORMALIZATIONS)}, got {name!r}; "
                         "add others with register_normalization.")
    return name


def _rate(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a rate in [0, 1), got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="dlcourse")
class FeedForward(keras.layers.Layer):
    """The position-wise feed-forward network of a Transformer block (beyond the notes).

    FFN(x) = act(x W_1 + b_1) W_2 + b_2, applied to every position alone, W_1 of shape
    (d_model, intermediate_dim) and W_2 (intermediate_dim, d_model). With `gated=True` it is
    the gated linear unit act(x W_1 + b_1) * (x W_3 + b_3), then W_2 (with "silu", SwiGLU).

    Args:
        intermediate_dim: the hidden width (a positive integer), often 4 d_model.
        activation: the activation act. Defaults to "relu".
        gated: whether to use the gated form. Defaults to False.
        use_bias: whether the dense layers have biases. Defaults to True.
        kernel_initializer, bias_initializer: initializers of the W's and b's.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor (..., d_model).

    Returns:
        A tensor of the same shape.

    Example:

    >>> tuple(FeedForward(16)(keras.ops.ones((2, 3, 4))).shape)
    (2, 3, 4)
    """

    def __init__(self, intermediate_dim, activation="relu", gated=False, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.intermediate_dim = positive_int("intermediate_dim", intermediate_dim)
        self.activation = keras.activations.get(activation)
        self.gated = bool(gated)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.supports_masking = True
        dense = dict(use_bias=self.use_bias, kernel_initializer=self.kernel_initializer,
                     bias_initializer=self.bias_initializer)
        self.intermediate = keras.layers.Dense(self.intermediate_dim, activation=self.activation,
                                               name="intermediate", **dense)
        self.gate = keras.layers.Dense(self.intermediate_dim, name="gate", **dense) if self.gated else None
        self._output_dense = dict(dense)

    def build(self, input_shape):
        self.intermediate.build(input_shape)
        if self.gate is not None:
            self.gate.build(input_shape)
        self.output_projection = keras.layers.Dense(input_shape[-1], name="output", **self._output_dense)
        self.output_projection.build((*input_shape[:-1], self.intermediate_dim))

    def call(self, inputs):
        hidden = self.intermediate(inputs)
        if self.gate is not None:
            hidden = hidden * self.gate(inputs)
        return self.output_projection(hidden)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "intermediate_dim": self.intermediate_dim,
            "activation": keras.activations.serialize(self.activation),
            "gated": self.gated,
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


class _Block(keras.layers.Layer):
    """What the encoder and the decoder block share: options, sub-layers, the residual wrapper."""

    def __init__(self, intermediate_dim, num_heads, dropout=0.0, activation="relu", layer_norm_epsilon=1e-5,
                 normalize_first=False, normalization="layer_norm", gated_feed_forward=False,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.intermediate_dim = positive_int("intermediate_dim", intermediate_dim)
        self.num_heads = positive_int("num_heads", num_heads)
        self.dropout = _rate("dropout", dropout)
        self.activation = keras.activations.get(activation)
        self.layer_norm_epsilon = float(layer_norm_epsilon)
        self.normalize_first = bool(normalize_first)
        self.normalization = _normalization(normalization)
        self.gated_feed_forward = bool(gated_feed_forward)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.seed = optional_seed("seed", seed)
        self.supports_masking = True

    def _key_dim(self, hidden_dim):
        if hidden_dim is None or hidden_dim < self.num_heads:
            raise ValueError(f"{type(self).__name__} needs a feature dimension of at least num_heads = "
                             f"{self.num_heads}, got {hidden_dim}; widen the embeddings or use fewer heads.")
        return hidden_dim // self.num_heads

    def _attention(self, hidden_dim, name):
        return MultiHeadAttention(self.num_heads, self._key_dim(hidden_dim), dropout=self.dropout,
                                  kernel_initializer=self.kernel_initializer,
                                  bias_initializer=self.bias_initializer, seed=self.seed, name=name)

    def _norm(self, name):
        return NORMALIZATIONS[self.normalization](self.layer_norm_epsilon, name)

    def _feed_forward(self):
        return FeedForward(self.intermediate_dim, self.activation, gated=self.gated_feed_forward,
                           kernel_initializer=self.kernel_initializer, bias_initializer=self.bias_initializer,
                           name="feed_forward")

    def _dropout(self, name):
        return keras.layers.Dropout(self.dropout, seed=self.seed, name=name)

    def _residual(self, x, norm, dropout, sublayer, training):
        """post-LN: LayerNorm(x + sublayer(x)); pre-LN: x + sublayer(LayerNorm(x))."""
        y = sublayer(norm(x) if self.normalize_first else x)
        y = x + dropout(y, training=training)
        return y if self.normalize_first else norm(y)

    def compute_output_shape(self, input_shape, *args, **kwargs):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "intermediate_dim": self.intermediate_dim,
            "num_heads": self.num_heads,
            "dropout": self.dropout,
            "activation": keras.activations.serialize(self.activation),
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "normalize_first": self.normalize_first,
            "normalization": self.normalization,
            "gated_feed_forward": self.gated_feed_forward,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "seed": self.seed,
        }


@keras.saving.register_keras_serializable(package="dlcourse")
class TransformerEncoderBlock(_Block):
    """One encoder block: multi-head self-attention, then the feed-forward network.

    The notes' encoder block draws q, k, v from the embeddings and runs multi-head
    self-attention; each of its two sub-layers is wrapped in a residual connection and layer
    normalization (ours beyond the notes, from Vaswani et al.): with `normalize_first=False`
    (post-LN)

        h = LayerNorm_1(x + MultiHead(x, x, x; M))
        y = LayerNorm_2(h + FFN(h))

    and with `normalize_first=True` (pre-LN) h = x + MultiHead(LN_1(x), ...), y = h + FFN(LN_2(h)).
    M hides the padding keys (and whatever `attention_mask` hides). Equal to
    `keras_hub.layers.TransformerEncoder` with the same options on the same weights.

    Args:
        intermediate_dim: the feed-forward width.
        num_heads: the number of attention heads; each has key_dim = d_model // num_heads.
        dropout: dropout rate of the attention weights and of each sub-layer's output.
        activation: the feed-forward activation. Defaults to "relu".
        layer_norm_epsilon: eps of the normalization. Defaults to 1e-5.
        normalize_first: pre-LN (True) or post-LN (False, the default and the paper's).
        normalization: the name of the normalization in `NORMALIZATIONS`. Defaults to
            "layer_norm".
        gated_feed_forward: whether the feed-forward network is gated (`FeedForward(gated=True)`).
        kernel_initializer, bias_initializer: initializers of every W and b.
        seed: optional seed of the dropout.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: x, shape (batch, T, d_model).
        padding_mask: optional boolean (batch, T), True at real tokens; pad keys get M = -inf.
        attention_mask: optional boolean (batch, T, T), combined with the padding mask.
        use_causal_mask: whether self-attention is causal (a decoder-only stack). Default False.
        return_attention_scores: whether to also return the weights (batch, heads, T, T).
        training: whether dropout is active.

    Returns:
        y, shape (batch, T, d_model); with `return_attention_scores=True`, (y, weights).

    Example:

    >>> block = TransformerEncoderBlock(intermediate_dim=32, num_heads=2)
    >>> tuple(block(keras.ops.ones((2, 5, 8))).shape)
    (2, 5, 8)
    """

    def build(self, input_shape):
        hidden_dim = input_shape[-1]
        self.self_attention = self._attention(hidden_dim, "self_attention")
        self.self_attention.build(input_shape, input_shape)
        self.self_attention_norm = self._norm("self_attention_norm")
        self.self_attention_norm.build(input_shape)
        self.self_attention_dropout = self._dropout("self_attention_dropout")
        self.feed_forward_norm = self._norm("feed_forward_norm")
        self.feed_forward_norm.build(input_shape)
        self.feed_forward = self._feed_forward()
        self.feed_forward.build(input_shape)
        self.feed_forward_dropout = self._dropout("feed_forward_dropout")

    def call(self, inputs, padding_mask=None, attention_mask=None, use_causal_mask=False,
             return_attention_scores=False, training=None):
        mask = _merge(_keys_only(padding_mask), attention_mask)
        scores = []

        def attend(x):
            out, weights = self.self_attention(x, x, attention_mask=mask, use_causal_mask=use_causal_mask,
                                               return_attention_scores=True, training=training)
            scores.append(weights)
            return out

        x = self._residual(inputs, self.self_attention_norm, self.self_attention_dropout, attend, training)
        x = self._residual(x, self.feed_forward_norm, self.feed_forward_dropout, self.feed_forward, training)
        return (x, scores[0]) if return_attention_scores else x


@keras.saving.register_keras_serializable(package="dlcourse")
class TransformerDecoderBlock(_Block):
    """One decoder block: masked self-attention, cross-attention to the encoder, feed-forward.

    The notes' decoder block: self-attention over the target prefix with future words masked
    (scores set to -infinity), then cross-attention whose queries come from the decoder and
    whose keys and values come from the encoder's output z (the memory). With post-LN (the
    default; residuals and LayerNorm are ours beyond the notes, from Vaswani et al.)

        h_1 = LayerNorm_1(y + MultiHead(y, y, y; M_causal and target padding))
        h_2 = LayerNorm_2(h_1 + MultiHead(h_1, z, z; M_source padding))
        out = LayerNorm_3(h_2 + FFN(h_2))

    and with `normalize_first=True` each line is h + sublayer(LayerNorm(h)). With
    `use_cross_attention=False` there is no second line: the block of a decoder-only language
    model (GPT, chapter 8). Equal to `keras_hub.layers.TransformerDecoder` on the same weights.

    Args:
        intermediate_dim, num_heads, dropout, activation, layer_norm_epsilon, normalize_first,
        normalization, gated_feed_forward, kernel_initializer, bias_initializer, seed: as for
            `TransformerEncoderBlock`.
        use_cross_attention: whether the block attends to an encoder output. Defaults to True.
        **kwargs: base layer arguments.

    Call arguments:
        decoder_sequence: y, the embedded target prefix, shape (batch, T, d_model).
        encoder_sequence: z, the encoder output (batch, S, d_model); required with
            cross-attention, not allowed without.
        decoder_padding_mask: optional boolean (batch, T), True at real target tokens.
        encoder_padding_mask: optional boolean (batch, S), True at real source tokens.
        use_causal_mask: whether the self-attention is causal. Defaults to True.
        return_attention_scores: whether to also return the dict
            {"self_attention": (batch, heads, T, T), "cross_attention": (batch, heads, T, S)}.
        training: whether dropout is active.

    Returns:
        out, shape (batch, T, d_model), or (out, weights) with `return_attention_scores=True`.

    Example:

    >>> block = TransformerDecoderBlock(intermediate_dim=32, num_heads=2)
    >>> y, z = keras.ops.ones((2, 4, 8)), keras.ops.ones((2, 6, 8))
    >>> out, weights = block(y, z, return_attention_scores=True)
    >>> tuple(out.shape), tuple(weights["cross_attention"].shape)
    ((2, 4, 8), (2, 2, 4, 6))
    """

    def __init__(self, intermediate_dim, num_heads, use_cross_attention=True, **kwargs):
        super().__init__(intermediate_dim, num_heads, **kwargs)
        self.use_cross_attention = bool(use_cross_attention)

    def build(self, decoder_sequence_shape, encoder_sequence_shape=None):
        hidden_dim = decoder_sequence_shape[-1]
        self.self_attention = self._attention(hidden_dim, "self_attention")
        self.self_attention.build(decoder_sequence_shape, decoder_sequence_shape)
        self.self_attention_norm = self._norm("self_attention_norm")
        self.self_attention_norm.build(decoder_sequence_shape)
        self.self_attention_dropout = self._dropout("self_attention_dropout")
        if self.use_cross_attention:
            memory_shape = encoder_sequence_shape or decoder_sequence_shape
            self.cross_attention = self._attention(hidden_dim, "cross_attention")
            self.cross_attention.build(decoder_sequence_shape, memory_shape)
            self.cross_attention_norm = self._norm("cross_attention_norm")
            self.cross_attention_norm.build(decoder_sequence_shape)
            self.cross_attention_dropout = self._dropout("cross_attention_dropout")
        self.feed_forward_norm = self._norm("feed_forward_norm")
        self.feed_forward_norm.build(decoder_sequence_shape)
        self.feed_forward = self._feed_forward()
        self.feed_forward.build(decoder_sequence_shape)
        self.feed_forward_dropout = self._dropout("feed_forward_dropout")

    def call(self, decoder_sequence, encoder_sequence=None, decoder_padding_mask=None,
             encoder_padding_mask=None, use_causal_mask=True, return_attention_scores=False, training=None):
        if self.use_cross_attention and encoder_sequence is None:
            raise ValueError("this TransformerDecoderBlock has cross-attention: pass the encoder output as "
                             "encoder_sequence (or build it with use_cross_attention=False).")
        if not self.use_cross_attention and encoder_sequence is not None:
            raise ValueError("this TransformerDecoderBlock has no cross-attention (use_cross_attention=False): "
                             "leave encoder_sequence out.")
        scores = {}

        def self_attend(x):
            out, scores["self_attention"] = self.self_attention(
                x, x, attention_mask=_keys_only(decoder_padding_mask), use_causal_mask=use_causal_mask,
                return_attention_scores=True, training=training)
            return out

        def cross_attend(x):
            out, scores["cross_attention"] = self.cross_attention(
                x, encoder_sequence, attention_mask=_keys_only(encoder_padding_mask),
                return_attention_scores=True, training=training)
            return out

        x = self._residual(decoder_sequence, self.self_attention_norm, self.self_attention_dropout,
                           self_attend, training)
        if self.use_cross_attention:
            x = self._residual(x, self.cross_attention_norm, self.cross_attention_dropout, cross_attend, training)
        x = self._residual(x, self.feed_forward_norm, self.feed_forward_dropout, self.feed_forward, training)
        return (x, scores) if return_attention_scores else x

    def get_config(self):
        return {**super().get_config(), "use_cross_attention": self.use_cross_attention}


def _keys_only(key_padding_mask):
    """(batch, S) padding mask -> (batch, 1, S) attention mask: no query attends to a pad key."""
    return None if key_padding_mask is None else attention_mask(key_padding_mask)


def _merge(first, second):
    if first is None or second is None:
        return second if first is None else first
    return ops.logical_and(ops.cast(first, "bool"), ops.cast(second, "bool"))


POSITION_ENCODINGS = ("sinusoidal", "learned", None)


def position_encoding_layer(kind, max_length, name=None):
    """The position encoding layer a model adds to its token embeddings ("sinusoidal",
    "learned", or None for none, e.g. when the attention itself encodes positions)."""
    if kind == "sinusoidal":
        return SinusoidalPositionEncoding(name=name)
    if kind == "learned":
        return LearnedPositionEmbedding(max_length, name=name)
    if kind is None:
        return None
    raise ValueError(f"position_encoding must be one of {POSITION_ENCODINGS}, got {kind!r}.")


@keras.saving.register_keras_serializable(package="dlcourse")
class TokenAndPositionEmbedding(keras.layers.Layer):
    """Token embedding plus position encoding: the notes' embedded input a^i.

    a^i = sqrt(d_model) E[x_i] + p_i, with E a trainable (vocab_size, d_model) table and p the
    position encoding (sinusoidal, learned or none). The notes give a^i = W x^i for a one-hot
    x^i (a row lookup of W) "with position information"; the sqrt(d_model) factor is Vaswani
    et al.'s, ours, so that the embeddings are not small next to the sinusoids.

    Args:
        vocab_size: number of token ids.
        d_model: the embedding width.
        max_length: longest sequence (the learned table's length).
        position_encoding: "sinusoidal", "learned" or None. Defaults to "sinusoidal".
        scale: whether to multiply the embeddings by sqrt(d_model). Defaults to True.
        **kwargs: base layer arguments.

    Call arguments:
        ids: int tensor (batch, T).
        start_index: position of the first token (decoding one position at a time).

    Returns:
        a, shape (batch, T, d_model).

    Example:

    >>> layer = TokenAndPositionEmbedding(10, 8, max_length=16)
    >>> tuple(layer(np.array([[4, 5, 0]])).shape)
    (1, 3, 8)
    """

    def __init__(self, vocab_size, d_model, max_length, position_encoding="sinusoidal", scale=True, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = positive_int("vocab_size", vocab_size)
        self.d_model = positive_int("d_model", d_model)
        self.max_length = positive_int("max_length", max_length)
        self.position_encoding = position_encoding
        self.scale = bool(scale)
        self.tokens = keras.layers.Embedding(self.vocab_size, self.d_model, name="tokens")
        self.positions = position_encoding_layer(position_encoding, self.max_length, name="positions")

    def build(self, ids_shape):
        self.tokens.build(ids_shape)
        if self.positions is not None:
            self.positions.build((*ids_shape, self.d_model))

    def call(self, ids, start_index=0):
        x = self.tokens(ids)
        if self.scale:
            x = x * math.sqrt(self.d_model)
        if self.positions is not None:
            x = x + self.positions(x, start_index=start_index)
        return x

    def compute_output_shape(self, ids_shape):
        return (*ids_shape, self.d_model)

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size, "d_model": self.d_model,
                "max_length": self.max_length, "position_encoding": self.position_encoding, "scale": self.scale}


class _Stack(keras.layers.Layer):
    """Embedding, a stack of blocks, and (pre-LN only) a final LayerNorm."""

    def __init__(self, vocab_size, d_model=64, num_heads=4, intermediate_dim=None, num_layers=2, max_length=128,
                 dropout=0.0, position_encoding="sinusoidal", normalize_first=False, activation="relu",
                 pad_id=0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = positive_int("vocab_size", vocab_size)
        self.d_model = positive_int("d_model", d_model)
        self.num_heads = positive_int("num_heads", num_heads)
        if self.d_model % self.num_heads:
            raise ValueError(f"d_model = {d_model} must be a multiple of num_heads = {num_heads}, so that every "
                             "head gets d_model // num_heads features.")
        self.intermediate_dim = 4 * self.d_model if intermediate_dim is None else positive_int(
            "intermediate_dim", intermediate_dim)
        self.num_layers = positive_int("num_layers", num_layers)
        self.max_length = positive_int("max_length", max_length)
        self.dropout = _rate("dropout", dropout)
        if position_encoding not in POSITION_ENCODINGS:
            raise ValueError(f"position_encoding must be one of {POSITION_ENCODINGS}, got {position_encoding!r}.")
        self.position_encoding = position_encoding
        self.normalize_first = bool(normalize_first)
        self.activation = keras.activations.serialize(keras.activations.get(activation))
        self.pad_id = non_negative_int("pad_id", pad_id)
        self.seed = optional_seed("seed", seed)
        self.embedding = TokenAndPositionEmbedding(self.vocab_size, self.d_model, self.max_length,
                                                   position_encoding, name="embedding")
        self.embedding_dropout = keras.layers.Dropout(self.dropout, seed=self.seed, name="embedding_dropout")
        self.final_norm = keras.layers.LayerNormalization(epsilon=1e-5, name="final_norm") \
            if self.normalize_first else None

    def _block_options(self):
        return dict(intermediate_dim=self.intermediate_dim, num_heads=self.num_heads, dropout=self.dropout,
                    activation=self.activation, normalize_first=self.normalize_first, seed=self.seed)

    def _embed(self, ids, training):
        return self.embedding_dropout(self.embedding(ids), training=training)

    def _finish(self, x):
        return x if self.final_norm is None else self.final_norm(x)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "d_model": self.d_model,
            "num_heads": self.num_heads,
            "intermediate_dim": self.intermediate_dim,
            "num_layers": self.num_layers,
            "max_length": self.max_length,
            "dropout": self.dropout,
            "position_encoding": self.position_encoding,
            "normalize_first": self.normalize_first,
            "activation": self.activation,
            "pad_id": self.pad_id,
            "seed": self.seed,
        }


@keras.saving.register_keras_serializable(package="dlcourse")
class TransformerEncoderStack(_Stack):
    """The Transformer's encoder: token and position embedding, then `num_layers` encoder blocks.

    z = Block_L(... Block_1(a) ...), a^i = sqrt(d_model) E[x_i] + p_i; ids equal to `pad_id` are
    masked as keys in every block. With `normalize_first=True` (pre-LN) a final LayerNorm follows
    the last block. The encoder of `Transformer`, and the encoder-only (BERT-style) model of
    §5.3.2 (`dlcourse.nlp.pretraining`).

    Args:
        vocab_size: number of token ids.
        d_model, num_heads, intermediate_dim, num_layers: the width, heads per attention,
            feed-forward width (default 4 d_model) and depth.
        max_length: longest sequence. Defaults to 128.
        dropout, position_encoding, normalize_first, activation, seed: as in `Transformer`.
        pad_id: id of the padding token. Defaults to 0.
        **kwargs: base layer arguments.

    Call arguments:
        ids: int tensor (batch, S).
        training: whether dropout is active.
        return_attention_scores: whether to also return the list of each block's weights
            (batch, heads, S, S).

    Returns:
        The memory z (batch, S, d_model) (or (z, weights)).

    Example:

    >>> encoder = TransformerEncoderStack(vocab_size=10, d_model=8, num_heads=2, num_layers=1)
    >>> tuple(encoder(np.array([[4, 5, 0]])).shape)
    (1, 3, 8)
    """

    def __init__(self, vocab_size, **kwargs):
        super().__init__(vocab_size, **kwargs)
        self.blocks = [TransformerEncoderBlock(**self._block_options(), name=f"block_{i}")
                       for i in range(self.num_layers)]

    def build(self, ids_shape):
        self.embedding.build(ids_shape)
        shape = (*ids_shape, self.d_model)
        for block in self.blocks:
            block.build(shape)
        if self.final_norm is not None:
            self.final_norm.build(shape)

    def call(self, ids, training=None, return_attention_scores=False):
        mask = padding_mask(ids, self.pad_id)
        x = self._embed(ids, training)
        scores = []
        for block in self.blocks:
            x, weights = block(x, padding_mask=mask, return_attention_scores=True, training=training)
            scores.append(weights)
        x = self._finish(x)
        return (x, scores) if return_attention_scores else x

    def compute_output_shape(self, ids_shape):
        return (*ids_shape, self.d_model)


@keras.saving.register_keras_serializable(package="dlcourse")
class TransformerDecoderStack(_Stack):
    """The Transformer's decoder: embedding, then `num_layers` decoder blocks (causal).

    With `use_cross_attention=True` (the encoder-decoder's decoder) each block also attends to
    the encoder's memory z; with False it is the decoder-only language model of §5.3.2 and
    chapter 8. Target ids equal to `pad_id` are masked as keys.

    Args:
        vocab_size and the rest: as for `TransformerEncoderStack`.
        use_cross_attention: whether the blocks attend to an encoder output. Defaults to True.

    Call arguments:
        ids: int tensor (batch, T), the target prefix starting with <bos>.
        memory: the encoder output z (batch, S, d_model) (only with cross-attention).
        memory_padding_mask: boolean (batch, S), True at real source tokens.
        training: whether dropout is active.
        return_attention_scores: whether to also return each block's dict of weights.

    Returns:
        Hidden states (batch, T, d_model) (or (states, weights)).

    Example:

    >>> decoder = TransformerDecoderStack(10, d_model=8, num_heads=2, num_layers=1,
    ...                                   use_cross_attention=False)
    >>> tuple(decoder(np.array([[2, 5, 6]])).shape)
    (1, 3, 8)
    """

    def __init__(self, vocab_size, use_cross_attention=True, **kwargs):
        super().__init__(vocab_size, **kwargs)
        self.use_cross_attention = bool(use_cross_attention)
        self.blocks = [TransformerDecoderBlock(**self._block_options(), use_cross_attention=self.use_cross_attention,
                                               name=f"block_{i}") for i in range(self.num_layers)]

    def build(self, ids_shape, memory_shape=None):
        self.embedding.build(ids_shape)
        shape = (*ids_shape, self.d_model)
        for block in self.blocks:
            block.build(shape, memory_shape if self.use_cross_attention else None)
        if self.final_norm is not None:
            self.final_norm.build(shape)

    def call(self, ids, memory=None, memory_padding_mask=None, training=None, return_attention_scores=False,
             start_index=0):
        mask = padding_mask(ids, self.pad_id)
        x = self.embedding_dropout(self.embedding(ids, start_index=start_index), training=training)
        scores = []
        for block in self.blocks:
            x, weights = block(x, memory, decoder_padding_mask=mask, encoder_padding_mask=memory_padding_mask,
                               return_attention_scores=True, training=training)
            scores.append(weights)
        x = self._finish(x)
        return (x, scores) if return_attention_scores else x

    def compute_output_shape(self, ids_shape, memory_shape=None):
        return (*ids_shape, self.d_model)

    def get_config(self):
        return {**super().get_config(), "use_cross_attention": self.use_cross_attention}


@keras.saving.register_keras_serializable(package="dlcourse")
class Transformer(keras.Model):
    """The encoder-decoder Transformer for translation (the notes' figure 9).

    The source x_1..x_S is embedded, a^i = sqrt(d_model) E_src[x_i] + p_i (p the position
    encoding), and passed through `num_encoder_layers` encoder blocks to the memory z; the target
    prefix <bos> y_1 .. y_{T-1} is embedded alike and passed through `num_decoder_layers`
    decoder blocks (masked self-attention, cross-attention to z, feed-forward); a final dense
    layer gives the logits of P(y_t | y_<t, x) over the target vocabulary at every position t.
    Trained with teacher forcing on the shifted target and a cross-entropy that ignores
    padding, it models the notes' P(y|x) = prod_t P(y_t | y_1, ..., y_{t-1}, x) in parallel.
    The sqrt(d_model) scaling, the final LayerNorm of pre-LN stacks and dropout are ours
    (Vaswani et al.); ids equal to `pad_id` are masked as keys everywhere.

    Args:
        source_vocab_size, target_vocab_size: vocabulary sizes (positive integers).
        d_model: the width of every position's vector. Defaults to 64.
        num_heads: heads per attention (d_model must be a multiple). Defaults to 4.
        intermediate_dim: feed-forward width. Defaults to 4 d_model.
        num_encoder_layers, num_decoder_layers: stack depths. Default 2 each.
        max_length: longest sequence (needed by learned position embeddings). Defaults to 128.
        dropout: dropout rate in the blocks. Defaults to 0.
        position_encoding: "sinusoidal" (the default), "learned" or None.
        normalize_first: pre-LN blocks (True) or post-LN (False, the default).
        activation: feed-forward activation. Defaults to "relu".
        pad_id: id of the padding token in both vocabularies. Defaults to 0.
        seed: optional seed of the dropout.
        **kwargs: base model arguments.

    Call arguments:
        inputs: the pair (source_ids (batch, S), target_input_ids (batch, T)), or a dict with
            keys "source" and "target".
        training: whether dropout is active.

    Returns:
        Logits of shape (batch, T, target_vocab_size).

    Example:

    >>> model = Transformer(20, 30, d_model=16, num_heads=2, num_encoder_layers=1,
    ...                     num_decoder_layers=1)
    >>> source = np.array([[5, 6, 7, 0]]); target = np.array([[2, 8, 9]])
    >>> tuple(model((source, target)).shape)
    (1, 3, 30)
    """

    def __init__(self, source_vocab_size, target_vocab_size, d_model=64, num_heads=4, intermediate_dim=None,
                 num_encoder_layers=2, num_decoder_layers=2, max_length=128, dropout=0.0,
                 position_encoding="sinusoidal", normalize_first=False, activation="relu", pad_id=0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.source_vocab_size = positive_int("source_vocab_size", source_vocab_size)
        self.target_vocab_size = positive_int("target_vocab_size", target_vocab_size)
        shared = dict(d_model=d_model, num_heads=num_heads, intermediate_dim=intermediate_dim, max_length=max_length,
                      dropout=dropout, position_encoding=position_encoding, normalize_first=normalize_first,
                      activation=activation, pad_id=pad_id, seed=seed)
        self.encoder = TransformerEncoderStack(self.source_vocab_size, num_layers=num_encoder_layers, **shared,
                                               name="encoder")
        self.decoder = TransformerDecoderStack(self.target_vocab_size, num_layers=num_decoder_layers, **shared,
                                               name="decoder")
        self.output_projection = keras.layers.Dense(self.target_vocab_size, name="logits")
        self.pad_id = self.encoder.pad_id

    def build(self, input_shape):
        source_shape, target_shape = (input_shape["source"], input_shape["target"]) \
            if isinstance(input_shape, dict) else input_shape
        self.encoder.build(source_shape)
        self.decoder.build(target_shape, (*source_shape, self.encoder.d_model))
        self.output_projection.build((*target_shape, self.encoder.d_model))

    def encode(self, source_ids, training=None):
        """The memory z (batch, S, d_model) and the source padding mask (batch, S)."""
        source_ids = ops.convert_to_tensor(source_ids)
        return self.encoder(source_ids, training=training), padding_mask(source_ids, self.pad_id)

    def decode(self, target_ids, memory, source_mask, training=None, return_attention_scores=False):
        """Logits (batch, T, target_vocab_size) of the next token after every target prefix;
        with `return_attention_scores=True` also each decoder block's dict of weights."""
        hidden, scores = self.decoder(ops.convert_to_tensor(target_ids), memory, source_mask, training=training,
                                      return_attention_scores=True)
        logits = self.output_projection(hidden)
        return (logits, scores) if return_attention_scores else logits

    def call(self, inputs, training=None):
        source_ids, target_ids = (inputs["source"], inputs["target"]) if isinstance(inputs, dict) else inputs
        memory, source_mask = self.encode(source_ids, training=training)
        return self.decode(target_ids, memory, source_mask, training=training)

    def step_function(self, source_ids):
        """`step_fn(prefixes) -> log P(next token | prefix, x)` (rows, V) for one source sentence.

        The function `dlcourse.nlp.decoding.greedy_decode` and `beam_search` call: the source
        (shape (S,) or (1, S)) is encoded once, and every call runs the decoder on a batch of
        prefixes (rows, t) that start with <bos> (the memory is repeated for each row).
        """
        source_ids = np.asarray(source_ids).reshape(1, -1)
        memory, source_mask = self.encode(source_ids)

        def step_fn(prefixes):
            prefixes = np.asarray(prefixes, dtype="int32")
            rows = prefixes.shape[0]
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "You are using a softmax over axis")  # a 1-token prefix
                logits = self.decode(prefixes, ops.repeat(memory, rows, axis=0),
                                     ops.repeat(source_mask, rows, axis=0))
            return keras.ops.convert_to_numpy(ops.log_softmax(logits[:, -1], axis=-1))

        return step_fn

    def greedy_translate(self, source_ids, bos_id, eos_id, max_length):
        """Greedy decoding of a whole batch of sources at once.

        The same tokens as `greedy_decode(self.step_function(x), ...)` for every source row x
        (a row stops at <eos>), computed batched: each step runs the decoder on every row's
        prefix and appends the argmax.

        Args:
            source_ids: int array (batch, S), padded with `pad_id`.
            bos_id, eos_id: ids of <bos> and <eos> in the target vocabulary.
            max_length: the most tokens to generate per row.

        Returns:
            A list of `batch` lists of token ids, each ending at (and including) <eos> if one
            was produced.
        """
        max_length = positive_int("max_length", max_length)
        memory, source_mask = self.encode(np.asarray(source_ids))
        prefixes = np.full((memory.shape[0], 1), bos_id, dtype="int32")
        done = np.zeros(memory.shape[0], dtype=bool)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "You are using a softmax over axis")  # a 1-token prefix
            for _ in range(max_length):
                logits = self.decode(prefixes, memory, source_mask)
                best = np.argmax(keras.ops.convert_to_numpy(logits[:, -1]), axis=-1).astype("int32")
                best = np.where(done, eos_id, best)  # a finished row only repeats <eos>
                prefixes = np.concatenate([prefixes, best[:, None]], axis=1)
                done |= best == eos_id
                if done.all():
                    break
        results = []
        for row in prefixes[:, 1:].tolist():
            results.append(row[: row.index(eos_id) + 1] if eos_id in row else row)
        return results

    def get_config(self):
        encoder, decoder = self.encoder, self.decoder
        return {
            **super().get_config(),
            "source_vocab_size": self.source_vocab_size,
            "target_vocab_size": self.target_vocab_size,
            "d_model": encoder.d_model,
            "num_heads": encoder.num_heads,
            "intermediate_dim": encoder.intermediate_dim,
            "num_encoder_layers": encoder.num_layers,
            "num_decoder_layers": decoder.num_layers,
            "max_length": encoder.max_length,
            "dropout": encoder.dropout,
            "position_encoding": encoder.position_encoding,
            "normalize_first": encoder.normalize_first,
            "activation": encoder.activation,
            "pad_id": encoder.pad_id,
            "seed": encoder.seed,
        }
