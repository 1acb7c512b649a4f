"""Batch normalization, with its training-time and inference-time behaviour.

Lecture: §2.3.3 Batch Normalization

The notes normalise the input x of an activation over the mini-batch and then scale and shift
it with learned gamma and beta:

    x_hat_i = (x_i - E[x]) / sqrt(Var[x] + epsilon),     y_i = gamma x_hat_i + beta

Beyond the notes, which describe training only: the moving statistics that replace E[x] and
Var[x] at inference, as Keras keeps them.
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["BatchNormalization"]


@keras.saving.register_keras_serializable(package="dlcourse")
class BatchNormalization(keras.layers.Layer):
    """Batch normalization of the features on the last axis.

    In training (`training=True`) each feature is standardised with the statistics of the
    current mini-batch, then scaled and shifted by the learned gamma and beta:

        mu = mean_batch(x),   sigma^2 = mean_batch((x - mu)^2)
        y  = gamma * (x - mu) / sqrt(sigma^2 + epsilon) + beta

    and the moving statistics, used at inference, follow exponential moving averages:

        moving_mean     <- momentum * moving_mean     + (1 - momentum) * mu
        moving_variance <- momentum * moving_variance + (1 - momentum) * sigma^2

    At inference (`training=False` or None) the layer is a fixed affine map:

        y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.

    "mean_batch" averages over every axis except the feature axis, so an image batch
    (batch, height, width, channels) is normalised per channel. sigma^2 is the biased
    (divide-by-n) batch variance, both for normalising and for the moving average -- Keras'
    convention (PyTorch puts the unbiased variance into its running estimate). With the same
    weights this layer computes what `keras.layers.BatchNormalization(axis=-1)` computes.

    Args:
        momentum: weight of the old moving statistics, in [0, 1). Defaults to 0.99.
        epsilon: small positive number added to the variance. Defaults to 1e-3.
        center: whether to add the learned offset beta. Defaults to True.
        scale: whether to multiply by the learned scale gamma. Defaults to True.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a tensor of shape (batch, ..., features).
        training: True to normalise with batch statistics and update the moving ones.

    Returns:
        A tensor of the same shape as `inputs`.

    Example:

    >>> import keras
    >>> from dlcourse.training import BatchNormalization
    >>> layer = BatchNormalization()
    >>> y = layer(keras.ops.convert_to_tensor([[1.0], [3.0]]), training=True)
    >>> [round(float(v), 4) for v in y[:, 0]]  # (x - 2) / sqrt(1 + 0.001)
    [-0.9995, 0.9995]
    """

    def __init__(self, momentum=0.99, epsilon=1e-3, center=True, scale=True, **kwargs):
        super().__init__(**kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not (
            0.0 <= momentum < 1.0
        ):
            raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or epsilon <= 0:
            raise ValueError(f"epsilon must be a positive number, got {epsilon!r}.")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.supports_masking = True

    def build(self, input_shape):
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                "BatchNormalization needs a known feature (last) dimension, got input shape "
                f"{tuple(input_shape)}; give the model's Input a fixed last dimension."
            )
        shape = (features,)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer="ones")
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer="zeros")
        self.moving_mean = self.add_weight(
            shape=shape, name="moving_mean", initializer="zeros", trainable=False
        )
        self.moving_variance = self.add_weight(
            shape=shape, name="moving_variance", initializer="ones", trainable=False
        )

    def call(self, inputs, training=None):
        if training:
            mean, variance = self._batch_moments(inputs)
            self._update_moving_statistics(mean, variance)
        else:
            mean = ops.cast(self.moving_mean, inputs.dtype)
            variance = ops.cast(self.moving_variance, inputs.dtype)
        return self._normalize(inputs, mean, variance)

    def _batch_moments(self, inputs):
        axes = tuple(range(len(inputs.shape) - 1))
        mean = ops.mean(inputs, axis=axes)
        # d sigma^2 / d mu = -2 mean_batch(x - mu) = 0, so holding mu constant here leaves every
        # gradient as it is and saves the backward pass a trip through the batch
        variance = ops.mean(ops.square(inputs - ops.stop_gradient(mean)), axis=axes)
        return mean, variance

    def _update_moving_statistics(self, mean, variance):
        momentum = self.momentum
        self.moving_mean.assign(
            momentum * self.moving_mean + (1.0 - momentum) * ops.cast(mean, self.moving_mean.dtype)
        )
        self.moving_variance.assign(
            momentum * self.moving_variance
            + (1.0 - momentum) * ops.cast(variance, self.moving_variance.dtype)
        )

    def _normalize(self, inputs, mean, variance):
        # gamma * (x - mu) / sqrt(sigma^2 + epsilon) + beta, computed as x * a + b with the
        # per-feature a = gamma / sqrt(sigma^2 + epsilon) and b = beta - mu * a: two passes
        # over the batch instead of four
        a = ops.rsqrt(variance + self.epsilon)
        if self.scale:
            a = a * ops.cast(self.gamma, inputs.dtype)
        b = -mean * a
        if self.center:
            b = b + ops.cast(self.beta, inputs.dtype)
        return inputs * a + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
        }
