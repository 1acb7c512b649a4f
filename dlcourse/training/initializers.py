"""Weight initialization: Xavier (Glorot) uniform and He normal.

Chapter 2 ("training a neural network"): the scale of the initial weights decides whether the
signal and the gradients keep their variance from layer to layer. Xavier keeps
Var(w) = 2 / (fan_in + fan_out) for tanh/sigmoid networks; He keeps Var(w) = 2 / fan_in for ReLU
networks, which zero half of their inputs.
"""

from __future__ import annotations

import math
import random

import keras

from dlcourse.arguments import optional_seed

__all__ = ["XavierUniform", "HeNormal", "compute_fans"]


def compute_fans(shape):
    """Return (fan_in, fan_out) of a weight tensor of the given shape.

    A dense kernel of shape (fan_in, fan_out) is read directly. A convolution kernel of shape
    (k_1, ..., k_d, in_channels, out_channels) sees k_1 * ... * k_d * in_channels inputs per
    output unit, so

        fan_in  = receptive_field * in_channels,
        fan_out = receptive_field * out_channels,   receptive_field = k_1 * ... * k_d.

    A vector (a bias) has fan_in = fan_out = its length; a scalar has fans 1.

    Args:
        shape: tuple of positive integers.

    Returns:
        A tuple of two Python ints `(fan_in, fan_out)`.

    Example:

    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(int(d) for d in shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class _SeededInitializer(keras.initializers.Initializer):
    """Shared seed handling: an int seed (or None) gives the same values on every call, a
    `keras.random.SeedGenerator` gives fresh values on each call -- Keras' own convention."""

    def __init__(self, seed=None):
        self._init_seed = seed = optional_seed("seed", seed, allow_generator=True)
        # An unseeded initializer still draws one seed up front (from Python's generator, which
        # keras.utils.set_random_seed seeds), so that one instance returns the same tensor on
        # every call, as Keras' own initializers do.
        self.seed = seed if seed is not None else random.randint(1, 10**9)

    def get_config(self):
        return {**super().get_config(), "seed": keras.saving.serialize_keras_object(self._init_seed)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("seed"), dict):
            config["seed"] = keras.saving.deserialize_keras_object(config["seed"])
        return cls(**config)


@keras.saving.register_keras_serializable(package="dlcourse")
class XavierUniform(_SeededInitializer):
    """Xavier (Glorot) uniform initializer.

    Draws every weight independently from a uniform distribution on [-limit, limit] with

        limit = sqrt(6 / (fan_in + fan_out)),

    so that Var(w) = limit^2 / 3 = 2 / (fan_in + fan_out): the average of the variance that
    keeps activations stable in the forward pass (1 / fan_in) and gradients stable in the
    backward pass (1 / fan_out). Fans follow `compute_fans` (a convolution kernel counts its
    receptive field). Same distribution as `keras.initializers.GlorotUniform`.

    Args:
        seed: an integer (the same tensor on every call), a `keras.random.SeedGenerator`
            (fresh values on every call) or None.

    Call arguments:
        shape: shape of the weight tensor.
        dtype: float dtype, defaults to Keras' float type.

    Returns:
        A tensor of the given shape.

    Example:

    >>> w = XavierUniform(seed=0)((64, 32))
    >>> float(keras.ops.max(keras.ops.abs(w))) <= (6 / 96) ** 0.5
    True
    """

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return keras.random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)


@keras.saving.register_keras_serializable(package="dlcourse")
class HeNormal(_SeededInitializer):
    """He (Kaiming) normal initializer for ReLU networks.

    Draws every weight independently from a normal distribution

        w ~ N(0, sigma^2),   sigma = sqrt(2 / fan_in),

    the variance that keeps the activations' second moment constant through ReLU layers (ReLU
    passes half of the variance). This is the lecture's plain normal distribution;
    `keras.initializers.HeNormal` draws from a normal truncated at two of its standard
    deviations and widens it so that the variance is the same 2 / fan_in -- the two agree in
    mean and variance but not in their tails.

    Args:
        seed: an integer (the same tensor on every call), a `keras.random.SeedGenerator`
            (fresh values on every call) or None.

    Call arguments:
        shape: shape of the weight tensor.
        dtype: float dtype, defaults to Keras' float type.

    Returns:
        A tensor of the given shape.

    Example:

    >>> w = HeNormal(seed=0)((512, 256))
    >>> abs(float(keras.ops.var(w)) - 2 / 512) < 2e-4
    True
    """

    def __call__(self, shape, dtype=None):
        fan_in, _ = compute_fans(shape)
        stddev = math.sqrt(2.0 / fan_in)
        return keras.random.normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
