"""Rotary position embedding (RoPE): positions as rotations of the queries and keys.

Lecture: §8 Foundation Models: LLM; §5.3 Transformer; §3.3 Attention Mechanism

The notes leave chapter 8 as a heading; this module follows the RoPE paper (Su et al., 2021,
RoFormer), as CS336's first assignment does. The notes' §5.3 names "possible position
representation improvements" as an open point of the Transformer; chapter 5's position
encodings (`dlcourse.nlp.positional`) are *added* to the token embeddings, a^i = W x^i + p_i.
RoPE instead rotates each query and key inside the attention, so that the notes' score
alpha_{1,i} = q^1 . k^i / sqrt(d) (§3.3), written alpha_{t,s} for query t and key s, sees only
the offset t - s. The d features are split into
d / 2 pairs; pair i of the vector at position m is turned by the angle m * theta_i,

    [x'_a]   [cos(m theta_i)  -sin(m theta_i)] [x_a]
    [x'_b] = [sin(m theta_i)   cos(m theta_i)] [x_b],      theta_i = 10000^(-2i / d),

and since R(m)^T R(n) = R(n - m), (R(m) q) . (R(n) k) = q . R(n - m) k: shifting both
positions by the same amount leaves every score unchanged. Which two features form pair i is a
convention: the paper pairs neighbours (a, b) = (2i, 2i + 1) ("interleaved"); GPT-NeoX, LLaMA's
Hugging Face port and `keras_hub.layers.RotaryEmbedding` pair the two halves, (a, b) =
(i, i + d/2) ("halves", our default, so that keras_hub is the oracle). The two differ only by a
fixed permutation of the features, which a learned W^q, W^k absorbs.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import is_int
from dlcourse.nlp.positional import _check_wavelength

__all__ = ["PAIRINGS", "rope_angles", "apply_rope", "RotaryEmbedding"]

PAIRINGS = ("halves", "interleaved")


def _check_pairing(pairing):
    if pairing not in PAIRINGS:
        raise ValueError(f"pairing must be one of {PAIRINGS}, got {pairing!r}.")
    return pairing


def rope_angles(positions, depth, max_wavelength=10000):
    """The rotation angles m * theta_i of RoPE, for positions m and pairs i = 0 .. depth/2 - 1.

    Args:
        positions: positions m, a tensor of any shape (integers or floats).
        depth: the feature size d (an even positive integer).
        max_wavelength: the base of theta_i = max_wavelength^(-2i / d). Defaults to 10000.

    Returns:
        A float32 tensor of shape (*positions.shape, depth // 2).

    Example:

    >>> import keras
    >>> from dlcourse.llm.rope import rope_angles
    >>> [round(float(a), 4) for a in keras.ops.convert_to_numpy(rope_angles([1], 4))[0]]
    [1.0, 0.01]
    """
    if not is_int(depth) or depth < 2 or depth % 2:
        raise ValueError(f"RoPE rotates pairs of features: the feature size must be even, got {depth!r}.")
    max_wavelength = _check_wavelength(max_wavelength)
    pair = ops.arange(0, depth, 2, dtype="float32")
    inverse = ops.power(ops.cast(max_wavelength, "float32"), -pair / float(depth))
    positions = ops.cast(ops.convert_to_tensor(positions), "float32")
    return ops.expand_dims(positions, -1) * inverse


def apply_rope(x, positions=None, start_index=0, max_wavelength=10000, pairing="halves"):
    """Rotate every feature pair of x by its position's angle (RoPE).

    For the vector at position m, pair i = (x_a, x_b) becomes
    (x_a cos(m theta_i) - x_b sin(m theta_i), x_a sin(m theta_i) + x_b cos(m theta_i)) with
    theta_i = max_wavelength^(-2i / d); "halves" pairs feature i with i + d/2 (keras_hub's and
    GPT-NeoX's layout), "interleaved" pairs 2i with 2i + 1 (the RoPE paper's).

    Args:
        x: a tensor of shape (batch, T, d) or (batch, T, heads, d): the sequence is axis 1 and
            the features the last axis (d even).
        positions: optional positions m, shape (T,) or (batch, T). Defaults to
            start_index, ..., start_index + T - 1.
        start_index: the position of the first token when `positions` is None (an integer or
            integer tensor), e.g. the number of tokens already in a key/value cache.
        max_wavelength: the base of the angles (10000 in the paper).
        pairing: "halves" (the default) or "interleaved".

    Returns:
        A tensor of the shape and dtype of x: position m rotated by R(m).

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from dlcourse.llm.rope import apply_rope
    >>> x = np.ones((1, 3, 4), dtype="float32")
    >>> y = keras.ops.convert_to_numpy(apply_rope(x))
    >>> y.shape, bool(np.allclose(y[:, 0], x[:, 0]))  # position 0 is not rotated
    ((1, 3, 4), True)
    """
    pairing = _check_pairing(pairing)
    x = ops.convert_to_tensor(x)
    if len(x.shape) not in (3, 4):
        raise ValueError(f"apply_rope needs x of shape (batch, T, d) or (batch, T, heads, d), got {tuple(x.shape)}.")
    depth = x.shape[-1]
    if positions is None:
        positions = ops.arange(ops.shape(x)[1]) + start_index
    angles = rope_angles(positions, depth, max_wavelength)  # (T, d/2) or (batch, T, d/2)
    if len(angles.shape) == 2:
        angles = ops.expand_dims(angles, 0)
    if len(x.shape) == 4:
        angles = ops.expand_dims(angles, 2)  # one angle per (position, pair), shared by the heads
    cos, sin = ops.cast(ops.cos(angles), x.dtype), ops.cast(ops.sin(angles), x.dtype)
    if pairing == "halves":
        first, second = x[..., : depth // 2], x[..., depth // 2:]
        return ops.concatenate([first * cos - second * sin, first * sin + second * cos], axis=-1)
    pairs = ops.reshape(x, (*ops.shape(x)[:-1], depth // 2, 2))
    first, second = pairs[..., 0], pairs[..., 1]
    rotated = ops.stack([first * cos - second * sin, first * sin + second * cos], axis=-1)
    return ops.reshape(rotated, ops.shape(x))


@keras.saving.register_keras_serializable(package="dlcourse")
class RotaryEmbedding(keras.layers.Layer):
    """RoPE as a layer (no weights): `apply_rope` with a fixed base and pairing.

    Equal to `keras_hub.layers.RotaryEmbedding(max_wavelength)` with the default "halves"
    pairing. Beyond the notes (chapter 8 is a heading there): the RoPE paper's rotation.

    Args:
        max_wavelength: the base of theta_i = max_wavelength^(-2i / d). Defaults to 10000.
        pairing: "halves" (the default, keras_hub's) or "interleaved" (the paper's).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: (batch, T, d) or (batch, T, heads, d), d even.
        start_index: the position of the first token. Defaults to 0.
        positions: optional positions (T,) or (batch, T), overriding `start_index`.

    Returns:
        The rotated tensor, same shape as `inputs`.

    Example:

    >>> import keras
    >>> from dlcourse.llm.rope import RotaryEmbedding
    >>> tuple(RotaryEmbedding()(keras.ops.ones((2, 5, 3, 8))).shape)
    (2, 5, 3, 8)
    """

    def __init__(self, max_wavelength=10000, pairing="halves", **kwargs):
        super().__init__(**kwargs)
        self.max_wavelength = _check_wavelength(max_wavelength)
        self.pairing = _check_pairing(pairing)
        self.supports_masking = True

    def call(self, inputs, start_index=0, positions=None):
        return apply_rope(inputs, positions=positions, start_index=start_index,
                          max_wavelength=self.max_wavelength, pairing=self.pairing)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_wavelength": self.max_wavelength, "pairing": self.pairing}
