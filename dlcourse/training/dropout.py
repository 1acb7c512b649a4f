"""Inverted dropout, the form of dropout used in practice.

Chapter 2 ("training a neural network").
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import optional_seed

__all__ = ["InvertedDropout"]


@keras.saving.register_keras_serializable(package="dlcourse")
class InvertedDropout(keras.layers.Layer):
    """Inverted dropout: drop units in training and rescale the survivors.

    In training every unit is kept independently with probability 1 - rate, and kept units
    are divided by 1 - rate:

        m_i ~ Bernoulli(1 - rate),      y_i = m_i * x_i / (1 - rate),

    so that E[y_i] = x_i. Because the rescaling happens during training, inference needs no
    correction: with `training=False` (or None) the layer is the identity. (Plain dropout
    instead multiplies the weights by 1 - rate at test time.) A fresh mask is drawn on every
    call from the layer's `keras.random.SeedGenerator`. Same behaviour as
    `keras.layers.Dropout`.

    Args:
        rate: the probability of dropping a unit, in [0, 1).
        seed: an integer seed for the mask's random generator, or None.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor of any shape.
        training: True to drop units; otherwise the input passes unchanged.

    Returns:
        A tensor of the same shape as `inputs`.

    Example:

    >>> layer = InvertedDropout(0.5, seed=1)
    >>> y = layer(keras.ops.ones((1, 8)), training=True)
    >>> sorted(set(float(v) for v in y[0])) in ([0.0, 2.0], [0.0], [2.0])
    True
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
            raise ValueError(
                f"rate must be a number in [0, 1) (the probability of dropping a unit), got {rate!r}."
            )
        self.rate = float(rate)
        self.seed = optional_seed("seed", seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if not training or self.rate == 0.0:
            return inputs
        keep_probability = 1.0 - self.rate
        uniform = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        keep = ops.less(uniform, keep_probability)
        return ops.where(keep, inputs / keep_probability, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
