"""Loss functions of chapter 1: binary cross-entropy and mean squared error.

Lecture: §1 From Perceptron to Neural Network; §2.4.2 MSE Loss

The notes' losses of one prediction are L(y_hat_i, y_i) = -(y_i log y_hat_i + (1 - y_i)
log(1 - y_hat_i)) and L(y_hat_i, y_i) = (y_i - y_hat_i)^2, and the cost is their average,
J(W) = (1/n) sum_i L(y_hat_i, y_i). Here both are averaged over every entry of the batch
(samples and outputs), as Keras does; clipping and the logits form are beyond the notes:

    BCE = -mean( y log(p) + (1 - y) log(1 - p) ),   p clipped to [epsilon, 1 - epsilon]
    MSE = mean( (y_hat - y)^2 )

Clipping keeps log(0) out of the sum when a sigmoid saturates. From logits z (before the
sigmoid), the same BCE has the overflow-free form

    BCE = mean( max(z, 0) - z y + log(1 + exp(-|z|)) )

The numpy functions are what the by-hand backpropagation uses; the `keras.losses.Loss`
subclasses are the production forms for `model.compile(loss=...)`.
"""

import keras
import numpy as np
from keras import ops

EPSILON = 1e-7  # keras.config.epsilon(), so both agree on saturated probabilities


def binary_cross_entropy(y_true, y_pred, from_logits=False, epsilon=EPSILON):
    """Binary cross-entropy in numpy, averaged over all entries.

    BCE = -mean( y log(p) + (1 - y) log(1 - p) ) with p clipped to [epsilon, 1 - epsilon];
    with `from_logits=True`, `y_pred` holds z and BCE = mean( max(z, 0) - z y + log1p(exp(-|z|)) ).

    Args:
        y_true: labels in {0, 1} (or soft labels in [0, 1]), shape (batch,) or (batch, outputs).
        y_pred: predicted probabilities p (or logits z), same shape as `y_true`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        epsilon: clipping margin for probabilities.

    Returns:
        The loss, a Python float.

    Example:

    >>> from dlcourse.perceptron import binary_cross_entropy
    >>> round(binary_cross_entropy([1.0, 0.0], [0.5, 0.5]), 6)
    0.693147
    """
    y, p = _as_pair(y_true, y_pred)
    if from_logits:
        terms = np.maximum(p, 0.0) - p * y + np.log1p(np.exp(-np.abs(p)))
    else:
        p = np.clip(p, epsilon, 1.0 - epsilon)
        terms = -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    return float(np.mean(terms))


def mean_squared_error(y_true, y_pred):
    """Mean squared error in numpy, MSE = mean( (y_hat - y)^2 ) over all entries.

    Args:
        y_true: targets, shape (batch,) or (batch, outputs).
        y_pred: predictions y_hat, same shape as `y_true`.

    Returns:
        The loss, a Python float.

    Example:

    >>> from dlcourse.perceptron import mean_squared_error
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y, y_hat = _as_pair(y_true, y_pred)
    return float(np.mean(np.square(y_hat - y)))


def _as_pair(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}."
        )
    return y_true, y_pred


@keras.saving.register_keras_serializable(package="dlcourse")
class BinaryCrossEntropyLoss(keras.losses.Loss):
    """Binary cross-entropy as a Keras loss, for sigmoid outputs (or their logits).

    Per sample, averaged over its outputs, then reduced over the batch (mean by default):

        loss = -mean( y log(p) + (1 - y) log(1 - p) ),   p clipped to [epsilon, 1 - epsilon]
        loss = mean( max(z, 0) - z y + log(1 + exp(-|z|)) )       with from_logits=True

    The readable reference of `keras.losses.BinaryCrossentropy` (the tests prove they agree).

    Args:
        from_logits: whether predictions are logits z rather than probabilities p.
        epsilon: clipping margin for probabilities, a float in (0, 0.5).
        reduction: how per-sample losses are combined ("sum_over_batch_size", "sum", None, ...).
        name: name of the loss.

    Call arguments:
        y_true: labels, shape (batch, outputs).
        y_pred: probabilities or logits, shape (batch, outputs).
        sample_weight: optional per-sample weights, shape (batch,).

    Returns:
        A scalar tensor (or per-sample losses of shape (batch,) with `reduction=None`).

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import BinaryCrossEntropyLoss
    >>> loss = BinaryCrossEntropyLoss()
    >>> round(float(loss(np.array([[1.0], [0.0]]), np.array([[0.5], [0.5]]))), 6)
    0.693147
    """

    def __init__(
        self,
        from_logits=False,
        epsilon=EPSILON,
        reduction="sum_over_batch_size",
        name="binary_cross_entropy",
        **kwargs,
    ):
        super().__init__(name=name, reduction=reduction, **kwargs)
        if not 0.0 < float(epsilon) < 0.5:
            raise ValueError(f"epsilon must be a float in (0, 0.5), got {epsilon!r}.")
        self.from_logits = bool(from_logits)
        self.epsilon = float(epsilon)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(y_true, y_pred.dtype)
        if self.from_logits:
            terms = self._from_logits(y_true, y_pred)
        else:
            terms = self._from_probabilities(y_true, y_pred)
        return ops.mean(terms, axis=-1)

    def _from_probabilities(self, y_true, p):
        p = ops.clip(p, self.epsilon, 1.0 - self.epsilon)
        return -(y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p))

    def _from_logits(self, y_true, z):
        # log(1 + exp(-|z|)) never overflows, unlike log(sigmoid(z)) for large |z|.
        return ops.maximum(z, 0.0) - z * y_true + ops.log1p(ops.exp(-ops.abs(z)))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="dlcourse")
class MeanSquaredErrorLoss(keras.losses.Loss):
    """Mean squared error as a Keras loss.

    Per sample, averaged over its outputs, then reduced over the batch (mean by default):

        loss = mean( (y_hat - y)^2 )

    The readable reference of `keras.losses.MeanSquaredError` (the tests prove they agree).

    Args:
        reduction: how per-sample losses are combined ("sum_over_batch_size", "sum", None, ...).
        name: name of the loss.

    Call arguments:
        y_true: targets, shape (batch, outputs).
        y_pred: predictions, shape (batch, outputs).
        sample_weight: optional per-sample weights, shape (batch,).

    Returns:
        A scalar tensor (or per-sample losses of shape (batch,) with `reduction=None`).

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import MeanSquaredErrorLoss
    >>> loss = MeanSquaredErrorLoss()
    >>> float(loss(np.array([[1.0], [2.0]]), np.array([[1.0], [4.0]])))
    2.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", **kwargs):
        super().__init__(name=name, reduction=reduction, **kwargs)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(y_true, y_pred.dtype)
        return ops.mean(ops.square(y_pred - y_true), axis=-1)
