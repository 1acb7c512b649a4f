"""Dropout: the notes' form, and inverted dropout, the form used in practice.

Lecture: §2.3.4 Dropout

The notes drop each unit of a layer output h with probability p in training, without
rescaling:

    h_tilde = h ⊙ r,    r_i ~ Bernoulli(1 - p)

so that E[h_tilde] = (1 - p) h; at test time (a rule the notes leave out, from Srivastava et
al., 2014) every unit is kept and the output is scaled to match, h_tilde = (1 - p) h. That is
`Dropout`. Beyond the notes, `InvertedDropout` divides the kept units by 1 - p in training and
is the identity at test time, as `keras.layers.Dropout` is; for the same mask its output is the
notes' output divided by 1 - p, in training and at test time, so the two agree in expectation.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import optional_seed

__all__ = ["Dropout", "InvertedDropout"]


@keras.saving.register_keras_serializable(package="dlcourse")
class Dropout(keras.layers.Layer):
    """The notes' dropout: zero units in training, scale by the keep probability at test time.

    In training every unit is kept independently with probability 1 - p (p = `rate`), and the
    kept units pass unchanged:

        h_tilde = h ⊙ r,    r_i ~ Bernoulli(1 - p),

    so that E[h_tilde_i] = (1 - p) h_i. At test time (`training=False` or None) no unit is
    dropped and the output is scaled to that expectation:

        h_tilde = (1 - p) h.

    Unlike `keras.layers.Dropout` (which is `InvertedDropout`), this layer changes its input at
    test time. A fresh mask is drawn on every call from the layer's
    `keras.random.SeedGenerator`, by the rule of `keras.layers.Dropout` (keep a unit when a
    uniform number is at least p), so that with the same seed both drop the same units.

    Args:
        rate: p, the probability of dropping a unit, in [0, 1).
        seed: an integer seed for the mask's random generator, or None.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor of any shape.
        training: True to drop units; otherwise the test-time rule applies.

    Returns:
        A tensor of the same shape as `inputs`.

    Example:

    >>> import keras
    >>> from dlcourse.training import Dropout
    >>> layer = Dropout(0.5, seed=1)
    >>> y = layer(keras.ops.ones((1, 8)), training=True)
    >>> set(float(v) for v in y[0]) <= {0.0, 1.0}
    True
    >>> [float(v) for v in layer(keras.ops.ones((1, 2)))[0]]  # test time: (1 - p) h
    [0.5, 0.5]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
            raise ValueError(
                f"rate must be a number in [0, 1) (the probability p of dropping a unit), got {rate!r}."
            )
        self.rate = float(rate)
        self.seed = optional_seed("seed", seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if not training:
            return self._test_time(inputs)
        if self.rate == 0.0:
            return inputs
        return self._drop(inputs, self._keep_mask(inputs))

    def _keep_mask(self, inputs):
        # r_i = 1 with probability 1 - p: uniform >= p, the comparison keras.layers.Dropout makes.
        uniform = keras.random.uniform(ops.shape(inputs), dtype=inputs.dtype, seed=self.seed_generator)
        return ops.greater_equal(uniform, self.rate)

    def _drop(self, inputs, keep):
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def _test_time(self, inputs):
        return inputs * (1.0 - self.rate) if self.rate else inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlcourse")
class InvertedDropout(Dropout):
    """Inverted dropout: drop units in training and rescale the survivors; identity at test time.

    Beyond the notes (their form is `Dropout`): in training every unit is kept independently
    with probability 1 - p (p = `rate`), and kept units are divided by 1 - p,

        h_tilde = h ⊙ r / (1 - p),    r_i ~ Bernoulli(1 - p),

    so that E[h_tilde_i] = h_i. Because the rescaling happens during training, test time needs
    no correction: with `training=False` (or None) the layer is the identity. For the same mask
    this is the notes' `Dropout` divided by 1 - p, in training and at test time. A fresh mask
    is drawn on every call from the layer's `keras.random.SeedGenerator`; with the same seed
    the layer gives the output of `keras.layers.Dropout(rate, seed=seed)` (TensorFlow backend).

    Args:
        rate: p, the probability of dropping a unit, in [0, 1).
        seed: an integer seed for the mask's random generator, or None.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor of any shape.
        training: True to drop units; otherwise the input passes unchanged.

    Returns:
        A tensor of the same shape as `inputs`.

    Example:

    >>> import keras
    >>> from dlcourse.training import InvertedDropout
    >>> layer = InvertedDropout(0.5, seed=1)
    >>> y = layer(keras.ops.ones((1, 8)), training=True)
    >>> set(float(v) for v in y[0]) <= {0.0, 2.0}
    True
    """

    def _drop(self, inputs, keep):
        return ops.where(keep, inputs / (1.0 - self.rate), ops.zeros_like(inputs))

    def _test_time(self, inputs):
        return inputs
