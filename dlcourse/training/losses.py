"""Loss functions of the notes: categorical cross-entropy and mean squared error.

Lecture: §2.4 Loss Function; §2.4.1 Cross-Entropy Loss; §2.4.2 MSE Loss

The notes' losses over N samples and C classes (one-hot y_ij, predicted probabilities p_ij) and
over N regression targets:

    L = -(1/N) sum_i sum_j y_ij log p_ij,        L = (1/N) sum_i (y_i - y_hat_i)^2

Each class is a `keras.losses.Loss`: `call` returns one loss per example (the inner sum over the
classes, or the mean over the outputs), and Keras reduces them (by default the mean over the
batch, the notes' 1/N). Beyond the notes: clipping the probabilities and the logits form.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.perceptron.losses import MeanSquaredErrorLoss

__all__ = [
    "CategoricalCrossentropy",
    "MeanSquaredError",
    "categorical_crossentropy",
    "mean_squared_error",
]

# Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, as Keras does, so that a
# confident wrong prediction costs a large finite loss instead of infinity.
EPSILON = 1e-7


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Cross-entropy between one-hot (or soft) targets and predicted class probabilities.

        L = - sum_k y_k log p_k,      p = softmax(z) when the inputs are logits z.

    From logits the log-probabilities are computed as z - logsumexp(z), which stays finite for
    large logits where log(softmax(z)) would underflow.

    Args:
        y_true: targets, shape (batch, ..., classes), rows summing to 1.
        y_pred: probabilities (rows summing to 1) or, with `from_logits=True`, logits; same
            shape as `y_true`.
        from_logits: whether `y_pred` holds logits.

    Returns:
        Per-example losses, shape (batch, ...).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if from_logits:
        log_p = ops.log_softmax(y_pred, axis=-1)
    else:
        log_p = ops.log(ops.clip(y_pred, EPSILON, 1.0 - EPSILON))
    return -ops.sum(y_true * log_p, axis=-1)


def mean_squared_error(y_true, y_pred):
    """Mean over the last axis of the squared errors.

        L = (1 / d) sum_j (y_j - yhat_j)^2

    Args:
        y_true: targets, shape (batch, ..., d).
        y_pred: predictions, same shape.

    Returns:
        Per-example losses, shape (batch, ...).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras.saving.register_keras_serializable(package="dlcourse")
class CategoricalCrossentropy(keras.losses.Loss):
    """Categorical cross-entropy loss for one-hot targets.

        L = - sum_k y_k log p_k,      p = softmax(z) when `from_logits=True`

    Passing logits (`from_logits=True`, with no softmax in the model) is the numerically stable
    choice. Probabilities are clipped to [1e-7, 1 - 1e-7] before the log; unlike
    `keras.losses.CategoricalCrossentropy` they are not renormalised to sum to 1.

    Args:
        from_logits: whether predictions are logits rather than probabilities.
        reduction: how per-example losses combine; Keras' options, default the batch mean.
        name: loss name.
        dtype: the dtype of the loss computation.

    Call arguments:
        y_true: one-hot targets, shape (batch, classes).
        y_pred: probabilities or logits, shape (batch, classes).
        sample_weight: optional weights, shape (batch,).

    Returns:
        A scalar tensor (the reduced loss).

    Example:

    >>> from dlcourse.training import CategoricalCrossentropy
    >>> loss = CategoricalCrossentropy()
    >>> round(float(loss([[0.0, 1.0]], [[0.5, 0.5]])), 4)  # -log 0.5
    0.6931
    """

    def __init__(
        self,
        from_logits=False,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        if not isinstance(from_logits, bool):
            raise ValueError(f"from_logits must be True or False, got {from_logits!r}.")
        self.from_logits = from_logits

    def call(self, y_true, y_pred):
        return categorical_crossentropy(y_true, y_pred, from_logits=self.from_logits)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


# One concept, one implementation: the MSE loss is taught (and defined) in chapter 1.
MeanSquaredError = MeanSquaredErrorLoss
