"""Linear image classifiers: the softmax classifier and the multi-class SVM, with their gradients.

Lecture: §4.3 Image Classification; §2.4.1 Cross-Entropy Loss

The notes' two classifiers of §4.3 on a linear score function. A linear classifier scores
each of C classes for a flattened image x (D pixels, a column of ones appended for the bias --
the "bias trick"):

    s = x W,   W of shape (D, C),   predicted class argmax_j s_j

The notes' multi-class SVM loss (they write the correct class's score s_{y_i} as s_i) and
regularization penalty R(W) = sum_k sum_l W_{k,l}^2; the notes leave the softmax classifier
unfinished, and we finish it with their cross-entropy of §2.4.1:

    multi-class SVM (hinge):  L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + Delta)
    softmax (cross-entropy):  p_ij = exp(s_ij) / sum_k exp(s_ik),   L_i = -log p_{i, y_i}

The training loss of N images (ours, the usual combination) is

    L = 1/N sum_i L_i + lambda R(W)

Beyond the notes, their gradients with respect to the scores (then dL/dW = X^T dL/ds + 2 lambda W):

    SVM:      dL_i/ds_j   = 1[s_j - s_{y_i} + Delta > 0]                      (j != y_i)
              dL_i/ds_{y_i} = -(number of classes j != y_i with a positive margin)
    softmax:  dL_i/ds_j   = p_ij - 1[j = y_i]

The softmax classifier subtracts max_j s_ij from each row before exponentiating: the
probabilities do not change, and exp never overflows.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

__all__ = [
    "softmax",
    "softmax_cross_entropy",
    "multiclass_hinge",
    "softmax_loss",
    "softmax_loss_naive",
    "svm_loss",
    "svm_loss_naive",
    "MulticlassHinge",
]


def _scores_and_labels(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    if scores.ndim != 2 or y.shape != (scores.shape[0],):
        raise ValueError(
            f"scores must have shape (N, C) and y shape (N,), got {scores.shape} and {y.shape}."
        )
    if y.dtype.kind not in "iu" or y.min(initial=0) < 0 or y.max(initial=0) >= scores.shape[1]:
        raise ValueError(f"y must hold integer class indices in [0, {scores.shape[1]}), got {y!r}.")
    return scores, y


def _weights_and_data(w, x, y):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if w.ndim != 2 or x.ndim != 2 or x.shape[1] != w.shape[0]:
        raise ValueError(f"x must have shape (N, D) and W shape (D, C), got {x.shape} and {w.shape}.")
    return w, x, np.asarray(y)


def softmax(scores):
    """Row-wise softmax, p_ij = exp(s_ij - max_k s_ik) / sum_k exp(s_ik - max_k s_ik).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import softmax
    >>> softmax(np.array([[0.0, np.log(3.0)]]))
    array([[0.25, 0.75]])
    """
    scores = np.asarray(scores, dtype=np.float64)
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(scores, y):
    """Mean softmax cross-entropy of scores and its gradient, dL/ds = (p - onehot(y)) / N.

    Args:
        scores: s, shape (N, C).
        y: integer labels, shape (N,).

    Returns:
        The tuple (loss, dscores): a float and an array of shape (N, C).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import softmax_cross_entropy
    >>> loss, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(loss, 6), round(float(np.log(4)), 6), grad[0].tolist()
    (1.386294, 1.386294, [-0.375, 0.125, 0.125, 0.125])
    """
    scores, y = _scores_and_labels(scores, y)
    n = scores.shape[0]
    log_norm = np.log(np.exp(scores - scores.max(axis=1, keepdims=True)).sum(axis=1)) + scores.max(axis=1)
    loss = float(np.mean(log_norm - scores[np.arange(n), y]))
    dscores = softmax(scores)
    dscores[np.arange(n), y] -= 1.0
    return loss, dscores / n


def multiclass_hinge(scores, y, delta=1.0):
    """Mean multi-class SVM loss of scores, L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta), and dL/ds.

    Args:
        scores: s, shape (N, C).
        y: integer labels, shape (N,).
        delta: the margin Delta, a number >= 0.

    Returns:
        The tuple (loss, dscores): a float and an array of shape (N, C).

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import multiclass_hinge
    >>> loss, grad = multiclass_hinge(np.array([[3.2, 5.1, -1.7]]), np.array([0]))
    >>> round(loss, 6), grad.tolist()
    (2.9, [[-1.0, 1.0, 0.0]])
    """
    scores, y = _scores_and_labels(scores, y)
    n = scores.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + delta)
    margins[rows, y] = 0.0
    loss = float(margins.sum() / n)
    positive = (margins > 0).astype(np.float64)
    positive[rows, y] = -positive.sum(axis=1)
    return loss, positive / n


def softmax_loss(w, x, y, reg=0.0):
    """Softmax classifier loss with L2 penalty and its gradient, vectorized.

        L = 1/N sum_i -log p_{i, y_i} + reg ||W||^2,   dL/dW = X^T (P - Y) / N + 2 reg W

    Args:
        w: W, shape (D, C).
        x: X, shape (N, D) (append a column of ones for a bias).
        y: integer labels, shape (N,).
        reg: lambda, the L2 strength.

    Returns:
        The tuple (loss, dW): a float and an array of W's shape.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import softmax_loss
    >>> loss, dw = softmax_loss(np.zeros((3, 2)), np.ones((4, 3)), np.array([0, 1, 0, 1]))
    >>> round(loss, 6), dw.shape
    (0.693147, (3, 2))
    """
    w, x, y = _weights_and_data(w, x, y)
    loss, dscores = softmax_cross_entropy(x @ w, y)
    return loss + reg * float(np.sum(w * w)), x.T @ dscores + 2.0 * reg * w


def softmax_loss_naive(w, x, y, reg=0.0):
    """`softmax_loss` with explicit loops over samples and classes (for checking)."""
    w, x, y = _weights_and_data(w, x, y)
    n, c = x.shape[0], w.shape[1]
    loss, dw = 0.0, np.zeros_like(w)
    for i in range(n):
        scores = x[i] @ w
        scores = scores - scores.max()
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss -= np.log(p[y[i]])
        for j in range(c):
            dw[:, j] += (p[j] - (j == y[i])) * x[i]
    return loss / n + reg * float(np.sum(w * w)), dw / n + 2.0 * reg * w


def svm_loss(w, x, y, reg=0.0, delta=1.0):
    """Multi-class SVM loss with L2 penalty and its gradient, vectorized.

        L = 1/N sum_i sum_{j != y_i} max(0, s_ij - s_{i, y_i} + delta) + reg ||W||^2

    Args:
        w: W, shape (D, C).
        x: X, shape (N, D).
        y: integer labels, shape (N,).
        reg: lambda, the L2 strength.
        delta: the margin Delta. Defaults to 1.

    Returns:
        The tuple (loss, dW): a float and an array of W's shape.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import svm_loss
    >>> loss, dw = svm_loss(np.zeros((3, 4)), np.ones((2, 3)), np.array([0, 2]))
    >>> loss, dw.shape   # 3 wrong classes, each with margin 0 - 0 + 1
    (3.0, (3, 4))
    """
    w, x, y = _weights_and_data(w, x, y)
    loss, dscores = multiclass_hinge(x @ w, y, delta)
    return loss + reg * float(np.sum(w * w)), x.T @ dscores + 2.0 * reg * w


def svm_loss_naive(w, x, y, reg=0.0, delta=1.0):
    """`svm_loss` with explicit loops over samples and classes: the notes' sum over j != y_i as written."""
    w, x, y = _weights_and_data(w, x, y)
    n, c = x.shape[0], w.shape[1]
    loss, dw = 0.0, np.zeros_like(w)
    for i in range(n):
        scores = x[i] @ w
        for j in range(c):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + delta
            if margin > 0:
                loss += margin
                dw[:, j] += x[i]
                dw[:, y[i]] -= x[i]
    return loss / n + reg * float(np.sum(w * w)), dw / n + 2.0 * reg * w


@keras.saving.register_keras_serializable(package="dlcourse")
class MulticlassHinge(keras.losses.Loss):
    """The multi-class SVM loss (Weston-Watkins) as a Keras loss on one-hot labels.

    Per sample, with scores s and true class y:

        loss = sum_{j != y} max(0, s_j - s_y + delta)

    reduced over the batch (mean by default). Not `keras.losses.CategoricalHinge`, which keeps
    only the largest wrong score, max(0, 1 + max_{j != y} s_j - s_y) (Crammer-Singer; Keras
    takes that max over (1 - onehot) * s, so a 0 stands in for the true class).

    Args:
        delta: the margin Delta, a number >= 0. Defaults to 1.
        reduction: how per-sample losses are combined ("sum_over_batch_size", "sum", None).
        name: name of the loss.

    Call arguments:
        y_true: one-hot labels, shape (batch, C).
        y_pred: scores (not probabilities), shape (batch, C).

    Returns:
        The reduced loss (a scalar), or per-sample losses of shape (batch,) with reduction None.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import MulticlassHinge
    >>> loss = MulticlassHinge()
    >>> round(float(loss(np.array([[1.0, 0.0, 0.0]]), np.array([[3.2, 5.1, -1.7]]))), 4)
    2.9
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="multiclass_hinge"):
        super().__init__(reduction=reduction, name=name)
        if isinstance(delta, bool) or not isinstance(delta, (int, float)) or delta < 0:
            raise ValueError(f"delta must be a non-negative number (the margin), got {delta!r}.")
        self.delta = float(delta)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(y_true, y_pred.dtype)
        true_score = ops.sum(y_true * y_pred, axis=-1, keepdims=True)
        margins = ops.relu(y_pred - true_score + self.delta) * (1.0 - y_true)
        return ops.sum(margins, axis=-1)

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}
