"""Weight initialization: symmetry breaking, Xavier (Glorot) uniform and He normal.

Lecture: §2.1 Initialization

The notes' three points, in order. Symmetry breaking: when every weight of a layer starts at the
same value (e.g. zero), all its neurons get the same gradient and stay copies of one another,
so the weights start random; `identical_units` tells whether the units of a dense layer are
still copies. Xavier initialization, W ~ U(-sqrt(6 / (fan_in + fan_out)),
sqrt(6 / (fan_in + fan_out))), keeps the variance of the activations stable across layers
(Var(W) = 2 / (fan_in + fan_out)); He initialization, W ~ N(0, 2 / fan_in), does so for ReLU
networks, whose activations are zero half of the time. Beyond the notes: the fans of a
convolution kernel (`compute_fans`), which count its receptive field.
"""

from __future__ import annotations

import math
import random

import keras
import numpy as np

from dlcourse.arguments import optional_seed

__all__ = ["XavierUniform", "HeNormal", "compute_fans", "identical_units"]


def identical_units(kernel, bias=None, next_kernel=None, tol=1e-9):
    """Whether all units of a dense layer are copies of one another (symmetry not broken).

    Unit j of a layer y = g(x W + b) owns column j of its kernel W (n_inputs, units), entry j
    of its bias b, and row j of the next layer's kernel (units, n_next). The units are
    identical when every unit's parameters are within `tol` of unit 0's:

        max_j max |W[:, j] - W[:, 0]|,  max_j |b_j - b_0|,  max_j max |W_next[j, :] - W_next[0, :]|
        are all <= tol.

    A layer started from a constant (e.g. `keras.initializers.Zeros()` or `Constant(c)`) and
    trained by gradient descent stays identical -- each unit gets the same gradient -- while a
    random start (`XavierUniform`, `HeNormal`) is not.

    Args:
        kernel: the layer's kernel, shape (n_inputs, units) (an array or a Keras variable).
        bias: its bias, shape (units,), or None.
        next_kernel: the next layer's kernel, shape (units, n_next), or None.
        tol: the largest difference that still counts as equal, >= 0.

    Returns:
        A Python bool; True for a layer of a single unit.

    Example:

    >>> import numpy as np
    >>> from dlcourse.training import identical_units
    >>> identical_units(np.full((3, 4), 0.5), np.zeros(4), np.ones((4, 2)))
    True
    >>> identical_units(np.random.default_rng(0).normal(size=(3, 4)))
    False
    """
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol >= 0:
        raise ValueError(f"tol must be a non-negative number, got {tol!r}.")
    kernel = np.asarray(keras.ops.convert_to_numpy(kernel), dtype=np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must have shape (n_inputs, units), got shape {kernel.shape}.")
    differences = [np.abs(kernel - kernel[:, :1])]
    if bias is not None:
        bias = np.asarray(keras.ops.convert_to_numpy(bias), dtype=np.float64).reshape(-1)
        differences.append(np.abs(bias - bias[:1]))
    if next_kernel is not None:
        next_kernel = np.asarray(keras.ops.convert_to_numpy(next_kernel), dtype=np.float64)
        if next_kernel.ndim != 2 or next_kernel.shape[0] != kernel.shape[1]:
            raise ValueError(f"next_kernel must have shape (units, n_next) with units = {kernel.shape[1]}, "
                             f"got shape {next_kernel.shape}.")
        differences.append(np.abs(next_kernel - next_kernel[:1, :]))
    return bool(max(float(d.max(initial=0.0)) for d in differences) <= tol)


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

    >>> from dlcourse.training import compute_fans
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

    >>> import keras
    >>> from dlcourse.training import XavierUniform
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
    passes half of the variance). This is the notes' plain normal distribution;
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

    >>> import keras
    >>> from dlcourse.training import HeNormal
    >>> w = HeNormal(seed=0)((512, 256))
    >>> abs(float(keras.ops.var(w)) - 2 / 512) < 2e-4
    True
    """

    def __call__(self, shape, dtype=None):
        fan_in, _ = compute_fans(shape)
        stddev = math.sqrt(2.0 / fan_in)
        return keras.random.normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
