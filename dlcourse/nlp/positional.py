"""Position encodings: what tells self-attention where each token sits.

Lecture: §3.3 Attention Mechanism; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure

Self-attention treats its inputs as a set: permuting the positions permutes the outputs and
nothing else. The notes' first step of self-attention is therefore to feed the whole sequence in
at once *and encode position information*, a^i = W x^i, with the position of token i mixed into
its embedding; their §5.3 names "position representation" as one of the Transformer's open
points. The notes give no formula, so here are the two standard choices (Vaswani et al., 2017;
d2l §11.6), both ours beyond the notes, both *added* to the token embeddings, a^i = W x^i + p_i:

- sinusoidal (fixed, no weights): for position t and feature pairs 2j, 2j + 1 of d_model,

      p_t[2j]     = sin(t / max_wavelength^(2j / d_model))
      p_t[2j + 1] = cos(t / max_wavelength^(2j / d_model))

  with max_wavelength = 10000. The wavelengths grow geometrically from 2 pi to 10000 * 2 pi,
  so low features tell near positions apart and high ones far positions, and p_{t+k} is a
  linear function (a rotation of every pair) of p_t, which makes relative offsets easy to
  read for attention. It is defined for any length, also longer than those seen in training.
- learned: a trainable table P of shape (max_length, d_model), p_t = P[t] (BERT, GPT-2); it
  cannot go past max_length.

Both layers return the encoding p (shape of their input), to be added to the embeddings, as
`keras_hub.layers.SinePositionEncoding` and `keras_hub.layers.PositionEmbedding` do, so that
a model chooses how to combine them. Chapter 8's rotary encoding (RoPE) acts inside the
attention instead, on the queries and keys, and needs neither.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, positive_int

__all__ = ["sinusoidal_position_encoding", "SinusoidalPositionEncoding", "LearnedPositionEmbedding"]


def _check_wavelength(max_wavelength):
    if isinstance(max_wavelength, bool) or not isinstance(max_wavelength, (int, float, np.number)) \
            or not max_wavelength > 1:
        raise ValueError(f"max_wavelength must be a number > 1, got {max_wavelength!r}.")
    return float(max_wavelength)


def sinusoidal_position_encoding(length, depth, max_wavelength=10000, start=0):
    """The sinusoidal position encoding as a numpy array (the layer's reference form).

    Row t holds p_{start + t}: p[t, 2j] = sin(t / max_wavelength^(2j / depth)) and
    p[t, 2j + 1] = cos(t / max_wavelength^(2j / depth)), sines in the even features and
    cosines in the odd ones (beyond the notes, which give no formula; Vaswani et al., 2017).
    An odd `depth` ends with a sine.

    Args:
        length: number of positions T (a positive integer).
        depth: number of features d_model (a positive integer).
        max_wavelength: the base of the geometric wavelengths, 10000 in the paper.
        start: the first position (a non-negative integer), e.g. the number of tokens already
            decoded.

    Returns:
        A float64 array of shape (length, depth) with values in [-1, 1].

    Example:

    >>> p = sinusoidal_position_encoding(3, 4)
    >>> p.shape, p[0].tolist()  # position 0: sin 0 = 0, cos 0 = 1
    ((3, 4), [0.0, 1.0, 0.0, 1.0])
    """
    length = positive_int("length", length)
    depth = positive_int("depth", depth)
    start = non_negative_int("start", start)
    max_wavelength = _check_wavelength(max_wavelength)
    positions = np.arange(start, start + length, dtype=float)[:, None]
    pair = 2 * (np.arange(depth) // 2)
    angles = positions / max_wavelength ** (pair / depth)
    return np.where(np.arange(depth) % 2 == 0, np.sin(angles), np.cos(angles))


@keras.saving.register_keras_serializable(package="dlcourse")
class SinusoidalPositionEncoding(keras.layers.Layer):
    """The fixed sinusoidal position encoding p_t (no weights), to add to token embeddings.

    p_t[2j] = sin(t / max_wavelength^(2j / d_model)), p_t[2j + 1] = cos(same angle), the same
    numbers as `sinusoidal_position_encoding` (beyond the notes, which ask for position
    information but give no formula). Equal to `keras_hub.layers.SinePositionEncoding`.

    Args:
        max_wavelength: the base of the geometric wavelengths (a number > 1). Defaults to 10000.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: the token embeddings, shape (batch, T, d_model); only their shape is used.
        start_index: the position of the first token (an integer or integer tensor), for
            decoding one position at a time. Defaults to 0.

    Returns:
        The encoding, broadcast to the shape of `inputs` (row t is p_{start_index + t}).

    Example:

    >>> x = keras.ops.zeros((2, 5, 8))
    >>> tuple((x + SinusoidalPositionEncoding()(x)).shape)
    (2, 5, 8)
    """

    def __init__(self, max_wavelength=10000, **kwargs):
        super().__init__(**kwargs)
        self.max_wavelength = _check_wavelength(max_wavelength)
        self.supports_masking = True

    def call(self, inputs, start_index=0):
        shape = ops.shape(inputs)
        length, depth = shape[-2], shape[-1]
        positions = ops.cast(ops.arange(length) + start_index, self.compute_dtype)
        pair = ops.cast(2 * (ops.arange(depth) // 2), self.compute_dtype)
        inverse_wavelengths = ops.power(ops.cast(self.max_wavelength, self.compute_dtype),
                                        -pair / ops.cast(depth, self.compute_dtype))
        angles = ops.expand_dims(positions, -1) * ops.expand_dims(inverse_wavelengths, 0)
        even = ops.equal(ops.arange(depth) % 2, 0)
        encoding = ops.where(even, ops.sin(angles), ops.cos(angles))
        return ops.broadcast_to(encoding, shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_wavelength": self.max_wavelength}


@keras.saving.register_keras_serializable(package="dlcourse")
class LearnedPositionEmbedding(keras.layers.Layer):
    """A trainable position table P of shape (max_length, d_model): p_t = P[t].

    Beyond the notes (which give no form of the position information): BERT's and GPT-2's
    choice. Sequences may be shorter than `max_length`, never longer. Equal to
    `keras_hub.layers.PositionEmbedding(sequence_length=max_length)` on the same table.

    Args:
        max_length: the longest sequence the table covers (a positive integer).
        initializer: initializer of P. Defaults to "glorot_uniform".
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: the token embeddings, shape (batch, T, d_model), T <= max_length.
        start_index: the position of the first token (an integer), for decoding one position
            at a time. Defaults to 0.

    Returns:
        P[start_index : start_index + T], broadcast to the shape of `inputs`.

    Example:

    >>> layer = LearnedPositionEmbedding(max_length=16)
    >>> tuple(layer(keras.ops.zeros((2, 5, 8))).shape), tuple(layer.weights[0].shape)
    ((2, 5, 8), (16, 8))
    """

    def __init__(self, max_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.max_length = positive_int("max_length", max_length)
        self.initializer = keras.initializers.get(initializer)
        self.supports_masking = True

    def build(self, input_shape):
        depth = input_shape[-1]
        if depth is None:
            raise ValueError(
                f"LearnedPositionEmbedding needs a known feature dimension, got input shape "
                f"{tuple(input_shape)}; give the model's Input a fixed last dimension.")
        length = input_shape[-2]
        if length is not None and length > self.max_length:
            raise ValueError(
                f"LearnedPositionEmbedding(max_length={self.max_length}) got sequences of length "
                f"{length}; raise max_length or shorten the inputs.")
        self.embeddings = self.add_weight(shape=(self.max_length, depth), name="embeddings",
                                          initializer=self.initializer)

    def call(self, inputs, start_index=0):
        shape = ops.shape(inputs)
        # the variable's value, not the variable: jax's slice cannot take a Keras variable
        table = ops.slice(ops.convert_to_tensor(self.embeddings), (start_index, 0), (shape[-2], shape[-1]))
        return ops.broadcast_to(ops.cast(table, self.compute_dtype), shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_length": self.max_length,
                "initializer": keras.initializers.serialize(self.initializer)}
