"""Weight penalties of the notes: L1 and L2 regularization.

Lecture: §2.3.1 L1 Regularization; §2.3.2 L2 Regularization

The notes add a penalty on the weights W, with strength lambda, to the data loss:

    L = L_data + lambda ||W||_1,    ||W||_1 = sum_{i,j} |W_ij|          (L1, sparse weights)
    L = L_data + lambda ||W||^2,    ||W||^2 = sum_{i,j} W_ij^2          (L2, small weights)

which pulls the weights towards zero during training and so limits the model's effective
capacity. Pass these as `kernel_regularizer=` to a layer; Keras adds the penalty to the loss.
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["L1", "L2"]


def _check_strength(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="dlcourse")
class L1(keras.regularizers.Regularizer):
    """L1 penalty: lambda times the sum of absolute weights.

        lambda ||W||_1 = lambda * sum_i |w_i|,        d/dw_i = lambda * sign(w_i)

    (with sign(0) = 0, the subgradient automatic differentiation uses). The gradient has the
    same size for every non-zero weight, so small weights are driven exactly to zero: L1 makes
    weights sparse. Same penalty as `keras.regularizers.L1`.

    Args:
        l1: the strength lambda >= 0. Defaults to 0.01.

    Call arguments:
        x: the weight tensor, any shape.

    Returns:
        A scalar tensor.

    Example:

    >>> import keras
    >>> from dlcourse.training import L1
    >>> float(L1(0.5)(keras.ops.convert_to_tensor([1.0, -2.0])))
    1.5
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_strength("l1", l1)

    def __call__(self, x):
        return ops.multiply(ops.cast(self.l1, x.dtype), ops.sum(ops.abs(x)))

    def get_config(self):
        return {"l1": self.l1}


@keras.saving.register_keras_serializable(package="dlcourse")
class L2(keras.regularizers.Regularizer):
    """L2 penalty (weight decay): lambda times the sum of squared weights.

        lambda ||W||^2 = lambda * sum_i w_i^2,        d/dw_i = 2 lambda w_i

    The gradient is proportional to the weight, so a gradient step shrinks every weight by the
    same factor (1 - 2 eta lambda) -- hence "weight decay" -- and large weights are penalised
    most. Same penalty as `keras.regularizers.L2` (no factor 1/2).

    Args:
        l2: the strength lambda >= 0. Defaults to 0.01.

    Call arguments:
        x: the weight tensor, any shape.

    Returns:
        A scalar tensor.

    Example:

    >>> import keras
    >>> from dlcourse.training import L2
    >>> float(L2(0.5)(keras.ops.convert_to_tensor([1.0, -2.0])))
    2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_strength("l2", l2)

    def __call__(self, x):
        return ops.multiply(ops.cast(self.l2, x.dtype), ops.sum(ops.square(x)))

    def get_config(self):
        return {"l2": self.l2}
