"""Normalizing flows: RealNVP's affine coupling layers, exact log-likelihood, sampling by inversion.

Lecture: §6 Generative Model; §6.3 Flow-based Deep Generative Models

The notes build a flow-based model from a sequence of invertible transformations. Beyond the
notes, what makes that useful is the change of variables: for an invertible, differentiable
z = f(x) and a base density p(z) (here N(0, I)),

    log p(x) = log p(z) + log |det dz/dx|,

and for z = f_K(... f_1(x)) the log-determinants of the steps add. So a flow gives the exact
likelihood (train by maximising it) and samples (x = f^-1(z), z ~ N(0, I)).

RealNVP's affine coupling (Dinh et al., 2017) keeps the dimensions of a binary mask b and
scales and shifts the others by networks s and t of the kept ones:

    z = b * x + (1 - b) * ( x * exp(s(b * x)) + t(b * x) ),
    x = b * z + (1 - b) * ( (z - t(b * z)) * exp(-s(b * z)) ),
    log |det dz/dx| = sum_d (1 - b_d) s_d(b * x),

a triangular Jacobian, so the determinant costs O(D) instead of O(D^3); alternating masks let
every dimension be transformed.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.generative import _gradients

__all__ = ["standard_normal_log_prob", "AffineCoupling", "RealNVP", "alternating_masks", "density_on_grid",
           "integrate_on_grid"]


def standard_normal_log_prob(z):
    """log N(z; 0, I) per row: -1/2 sum_d z_d^2 - (D / 2) log(2 pi), (N, D) -> (N,).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import standard_normal_log_prob
    >>> round(float(standard_normal_log_prob(ops.zeros((1, 2)))[0]), 4)
    -1.8379
    """
    dim = ops.shape(z)[-1]
    return -0.5 * ops.sum(ops.square(z), axis=-1) - 0.5 * dim * math.log(2.0 * math.pi)


def alternating_masks(dim, num_layers):
    """Binary masks (num_layers, dim): layer k keeps the dimensions d with d % 2 == k % 2.

    Example:

    >>> from dlcourse.generative import alternating_masks
    >>> alternating_masks(2, 3).tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    positive_int("dim", dim)
    positive_int("num_layers", num_layers)
    return np.array([[float(d % 2 == k % 2) for d in range(dim)] for k in range(num_layers)], dtype=np.float32)


@keras.saving.register_keras_serializable(package="dlcourse")
class AffineCoupling(keras.layers.Layer):
    """RealNVP's affine coupling layer x -> z with its log |det dz/dx| (see the module docstring).

    s and t share one MLP of the masked input b * x (ReLU hidden layers, an output of 2D
    numbers): s = tanh(first D) (bounded scales keep training stable), t = the other D. The
    output layer starts at zero, so a new layer is the identity.

    Args:
        mask: the binary mask b, a sequence of D zeros and ones (1 = kept).
        hidden_units: widths of the hidden layers of the shared MLP.

    Call arguments:
        x: (N, D).

    Returns:
        (z, log_det): z (N, D) and log |det dz/dx| (N,). `inverse(z)` returns x (N, D).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import AffineCoupling
    >>> layer = AffineCoupling([1, 0], hidden_units=(8,))
    >>> z, log_det = layer(ops.ones((3, 2)))
    >>> tuple(z.shape), tuple(log_det.shape)
    ((3, 2), (3,))
    """

    def __init__(self, mask, hidden_units=(64, 64), **kwargs):
        super().__init__(**kwargs)
        mask = [float(m) for m in mask]
        if not mask or any(m not in (0.0, 1.0) for m in mask):
            raise ValueError(f"mask must be a non-empty sequence of 0s and 1s, got {mask!r}.")
        self.mask = mask
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.hidden_layers = [keras.layers.Dense(u, activation="relu", name=f"hidden_{i}")
                              for i, u in enumerate(self.hidden_units)]
        self.output_layer = keras.layers.Dense(2 * len(mask), kernel_initializer="zeros", name="scale_and_shift")

    def build(self, input_shape):
        shape = tuple(input_shape)
        if shape[-1] != len(self.mask):
            raise ValueError(f"AffineCoupling with a mask of {len(self.mask)} dimensions got inputs of shape {shape}.")
        for layer in self.hidden_layers:
            layer.build(shape)
            shape = shape[:-1] + (layer.units,)
        self.output_layer.build(shape)

    def _scale_and_shift(self, kept):
        h = kept
        for layer in self.hidden_layers:
            h = layer(h)
        h = self.output_layer(h)
        dim = len(self.mask)
        return ops.tanh(h[:, :dim]), h[:, dim:]

    def call(self, x):
        b = ops.cast(ops.convert_to_tensor(self.mask), x.dtype)
        kept = b * x
        s, t = self._scale_and_shift(kept)
        z = kept + (1.0 - b) * (x * ops.exp(s) + t)
        return z, ops.sum((1.0 - b) * s, axis=-1)

    def inverse(self, z):
        """x = b z + (1 - b)((z - t(b z)) exp(-s(b z))), (N, D)."""
        b = ops.cast(ops.convert_to_tensor(self.mask), z.dtype)
        kept = b * z
        s, t = self._scale_and_shift(kept)
        return kept + (1.0 - b) * (z - t) * ops.exp(-s)

    def get_config(self):
        return {**super().get_config(), "mask": self.mask, "hidden_units": self.hidden_units}


@keras.saving.register_keras_serializable(package="dlcourse")
class RealNVP(_gradients.TensorFlowSteps, keras.Model):
    """A stack of affine coupling layers with alternating masks on a N(0, I) base: exact log p(x).

    `call(x)` returns log p(x) = log N(f(x); 0, I) + sum_k log |det dz_k/dz_(k-1)|;
    `train_step` minimises -mean log p(x) and reports `loss` and `log_likelihood` (nats per
    example); `sample(n)` inverts the stack on base samples.

    Args:
        dim: D, the data dimension.
        num_coupling_layers: number of coupling layers K.
        hidden_units: widths of the hidden layers of each s and t.
        seed: seed of `sample`'s base noise.

    Call arguments:
        x: (N, D).

    Returns:
        log p(x), (N,).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import RealNVP
    >>> flow = RealNVP(2, num_coupling_layers=2, hidden_units=(8,))
    >>> [round(float(v), 4) for v in flow(ops.zeros((1, 2)))]  # a new flow is the identity
    [-1.8379]
    """

    def __init__(self, dim=2, num_coupling_layers=6, hidden_units=(64, 64), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.dim = positive_int("dim", dim)
        self.num_coupling_layers = positive_int("num_coupling_layers", num_coupling_layers)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.seed = seed
        self.coupling_layers = [AffineCoupling(mask.tolist(), self.hidden_units, name=f"coupling_{k}")
                                for k, mask in enumerate(alternating_masks(self.dim, self.num_coupling_layers))]
        self.noise = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("loss", "log_likelihood")}
        self.build((None, self.dim))

    def build(self, input_shape):
        for layer in self.coupling_layers:
            if not layer.built:
                layer.build(tuple(input_shape))
        self.built = True

    @property
    def metrics(self):
        return list(self.trackers.values())

    def forward(self, x):
        """(z, log_det): the base point z = f(x) (N, D) and the summed log |det dz/dx| (N,)."""
        z = ops.convert_to_tensor(x, "float32")
        log_det = ops.zeros(ops.shape(z)[:1], dtype=z.dtype)
        for layer in self.coupling_layers:
            z, step = layer(z)
            log_det = log_det + step
        return z, log_det

    def inverse(self, z):
        """x = f^-1(z), (N, D): the layers' inverses in reverse order."""
        x = ops.convert_to_tensor(z, "float32")
        for layer in reversed(self.coupling_layers):
            x = layer.inverse(x)
        return x

    def log_prob(self, x):
        """The exact log p(x), (N,)."""
        z, log_det = self.forward(x)
        return standard_normal_log_prob(z) + log_det

    def call(self, x):
        return self.log_prob(x)

    def sample(self, num_samples, seed=None):
        """x = f^-1(z) for z ~ N(0, I), (num_samples, D)."""
        z = keras.random.normal((num_samples, self.dim), seed=self.noise if seed is None else seed)
        return self.inverse(z)

    def _loss(self, x):
        log_likelihood = ops.mean(self.log_prob(x))
        return -log_likelihood, {"loss": -log_likelihood, "log_likelihood": log_likelihood}

    def _report(self, values):
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        return self._report(_gradients.minimise(self.optimizer, lambda: self._loss(x), lambda: self.trainable_variables))

    def test_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        return self._report(self._loss(x)[1])

    def get_config(self):
        return {**super().get_config(), "dim": self.dim, "num_coupling_layers": self.num_coupling_layers,
                "hidden_units": self.hidden_units, "seed": self.seed}


def density_on_grid(log_prob, bounds=((-2.0, 3.0), (-1.5, 2.0)), num=200):
    """A 2-D density p(x) = exp(log_prob(x)) at the centres of a num x num grid of cells.

    Args:
        log_prob: a function (N, 2) -> (N,) of log-densities (a `RealNVP`, or its `log_prob`).
        bounds: ((x_lo, x_hi), (y_lo, y_hi)) of the grid.
        num: cells per axis.

    Returns:
        (xs, ys, density): cell centres xs (num,), ys (num,), density (num, num) with
        density[i, j] = p(xs[j], ys[i]), numpy float64.

    Example:

    >>> from dlcourse.generative import density_on_grid, standard_normal_log_prob, integrate_on_grid
    >>> xs, ys, p = density_on_grid(standard_normal_log_prob, ((-6, 6), (-6, 6)), num=60)
    >>> round(integrate_on_grid(xs, ys, p), 4)
    1.0
    """
    (x_lo, x_hi), (y_lo, y_hi) = bounds
    positive_int("num", num)
    xs = x_lo + (np.arange(num) + 0.5) * (x_hi - x_lo) / num
    ys = y_lo + (np.arange(num) + 0.5) * (y_hi - y_lo) / num
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1).astype("float32")
    log_p = np.concatenate([keras.ops.convert_to_numpy(log_prob(points[i:i + 8192]))
                            for i in range(0, len(points), 8192)])
    return xs, ys, np.exp(log_p.astype(np.float64)).reshape(num, num)


def integrate_on_grid(xs, ys, density):
    """The midpoint-rule integral sum(density) * dx * dy of `density_on_grid`'s output, a float."""
    return float(np.sum(density) * (xs[1] - xs[0]) * (ys[1] - ys[0]))
