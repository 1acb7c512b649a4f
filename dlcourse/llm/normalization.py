"""RMSNorm: layer normalization without the mean, the normalization of LLaMA-style LLMs.

Lecture: §8 Foundation Models: LLM; §5.3 Transformer

The notes leave chapter 8 as a heading; this follows Zhang and Sennrich (2019), "Root Mean
Square Layer Normalization", as CS336's first assignment does. Chapter 5's LayerNorm
(`dlcourse.nlp.transformer`) centres and scales each position's feature vector,
gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta; RMSNorm keeps only the rescaling,

    RMSNorm(x) = g * x / sqrt(mean_j(x_j^2) + eps)        (one gain g per feature, no bias)

which is cheaper (no mean, no beta) and trains as well. Importing this module registers it
with `dlcourse.nlp.transformer.register_normalization` under the name "rms", so every chapter-5
block accepts `normalization="rms"`.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.nlp.transformer import register_normalization

__all__ = ["RMSNormalization", "rms_norm"]


def rms_norm(x, gain, epsilon=1e-6):
    """g * x / sqrt(mean(x^2) + eps) over the last axis (the function of `RMSNormalization`).

    Args:
        x: a tensor (..., d).
        gain: g, shape (d,).
        epsilon: eps inside the square root. Defaults to 1e-6.

    Returns:
        A tensor of the shape of x.

    Example:

    >>> import keras
    >>> from dlcourse.llm.normalization import rms_norm
    >>> [round(float(v), 4) for v in keras.ops.convert_to_numpy(rms_norm([[3.0, 4.0]], [1.0, 1.0], 0.0))[0]]
    [0.8485, 1.1314]
    """
    x = ops.convert_to_tensor(x)
    if "float" not in str(x.dtype):
        x = ops.cast(x, "float32")
    mean_square = ops.mean(ops.square(x), axis=-1, keepdims=True)
    return x * ops.rsqrt(mean_square + epsilon) * ops.cast(gain, x.dtype)


@keras.saving.register_keras_serializable(package="dlcourse")
class RMSNormalization(keras.layers.Layer):
    """RMSNorm over the last axis: g * x / sqrt(mean(x^2) + eps), a trainable gain g.

    Equal to `keras.layers.RMSNormalization(epsilon=eps)` on the same gain (Keras names it
    "scale"). Beyond the notes (chapter 8 is a heading there): Zhang and Sennrich (2019).

    Args:
        epsilon: eps inside the square root (a positive number). Defaults to 1e-6.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor (..., d).

    Returns:
        A tensor of the same shape.

    Example:

    >>> import keras
    >>> from dlcourse.llm.normalization import RMSNormalization
    >>> layer = RMSNormalization()
    >>> tuple(layer(keras.ops.ones((2, 3, 4))).shape), tuple(layer.weights[0].shape)
    ((2, 3, 4), (4,))
    """

    def __init__(self, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not epsilon > 0:
            raise ValueError(f"epsilon must be a positive number, got {epsilon!r}.")
        self.epsilon = float(epsilon)
        self.supports_masking = True

    def build(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(f"RMSNormalization needs a known feature dimension, got shape {tuple(input_shape)}.")
        self.scale = self.add_weight(shape=(input_shape[-1],), name="scale", initializer="ones")

    def call(self, inputs):
        return rms_norm(inputs, self.scale, self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


def _rms(epsilon, name):
    return RMSNormalization(epsilon=epsilon, name=name)


register_normalization("rms", _rms)
