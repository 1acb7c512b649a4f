"""Backpropagation through time, by hand, in numpy, for the notes' vanilla RNN.

Lecture: §3.1 Recurrent Neural Network(RNN)

The notes' RNN is h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), y_hat_t = W_hy^T h_t, trained on
L = sum_t L_t with L_t = 1/2 (y_hat_t - y_t)^2 for a fixed h_0. The notes start the chain rule
(dL_t/dW_hy = dL_t/dy_hat_t . dy_hat_t/dW_hy, and dL_t/dW_xh through dh_t/dW_xh) and leave
dh_t/dW_xh unfinished; this module carries it out. The RNN is unrolled over the sequence and
the chain rule runs backwards through the unrolled graph. In the row-vector form of
`VanillaRNNCell`, with the notes' matrices (x_t (batch, input_dim), h_t (batch, units),
W_xh (input_dim, units), W_hh (units, units), W_hy (units, output_units)), and a_t our name for
the argument of tanh:

    a_t = h_{t-1} W_hh + x_t W_xh,   h_t = tanh(a_t),   y_hat_t = h_t W_hy
    L   = sum over t (and batch, outputs) of 1/2 (y_hat_t - y_t)^2

Backwards, from t = T down to 1, with dL/dh_{T+1} contributions equal to zero:

    dL/dy_hat_t = y_hat_t - y_t
    dL/dh_t     = dL/dy_hat_t W_hy^T + dL/da_{t+1} W_hh^T      (the output, and the future)
    dL/da_t     = dL/dh_t * (1 - h_t^2)                         (tanh' = 1 - tanh^2)
    dL/dW_hy   += h_t^T dL/dy_hat_t
    dL/dW_xh   += x_t^T dL/da_t
    dL/dW_hh   += h_{t-1}^T dL/da_t
    dL/dh_0     = dL/da_1 W_hh^T                                 (beyond the notes' fixed h_0)

Each step back in time multiplies the gradient by diag(1 - h_t^2) W_hh^T (dL/dh_{t-1}
receives dL/dh_t diag(1 - h_t^2) W_hh^T), so the part of dL_t that reaches step s < t is a
product of t - s such factors and shrinks (or grows) geometrically with t - s: the vanishing
gradient the notes ask about (and the exploding one), which `rnn_state_jacobian_norms`
measures. It affects W_xh and W_hh, whose gradients collect these paths, and not W_hy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["rnn_forward", "sequence_loss", "bptt_gradients", "rnn_state_jacobian_norms"]


def _as_batch(x, h0):
    x = np.asarray(x, dtype=float)
    h0 = np.asarray(h0, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, input_dim), got shape {x.shape}.")
    if h0.ndim != 2 or h0.shape[0] != x.shape[0]:
        raise ValueError(
            f"h0 must have shape (batch, units) with batch = {x.shape[0]}, got shape {h0.shape}.")
    return x, h0


def rnn_forward(x, h0, W_xh, W_hh, W_hy):
    """Run the vanilla RNN over a batch of sequences.

    h_t = tanh(h_{t-1} W_hh + x_t W_xh), y_hat_t = h_t W_hy for t = 1..T: the notes'
    h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), y_hat_t = W_hy^T h_t, one row per sequence.

    Args:
        x: inputs, shape (batch, T, input_dim).
        h0: initial hidden state, shape (batch, units).
        W_xh: (input_dim, units). W_hh: (units, units). W_hy: (units, output_units).

    Returns:
        The tuple (y_hat, h): y_hat of shape (batch, T, output_units) and the hidden states
        h_1..h_T of shape (batch, T, units).

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import rnn_forward
    >>> y, h = rnn_forward(np.ones((1, 2, 1)), np.zeros((1, 1)), [[1.0]], [[0.0]], [[2.0]])
    >>> np.round(y[0, :, 0], 4).tolist()  # 2 tanh(1) at both steps: W_hh = 0 forgets
    [1.5232, 1.5232]
    """
    x, h = _as_batch(x, h0)
    W_xh, W_hh, W_hy = (np.asarray(w, dtype=float) for w in (W_xh, W_hh, W_hy))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(h @ W_hh + x[:, t] @ W_xh)
        states.append(h)
    h = np.stack(states, axis=1) if states else np.zeros((x.shape[0], 0, W_hh.shape[0]))
    return h @ W_hy, h


def sequence_loss(y_hat, y):
    """L = sum over every step, sample and output of 1/2 (y_hat - y)^2 (a float)."""
    return 0.5 * float(np.sum((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def bptt_gradients(x, y, h0, W_xh, W_hh, W_hy):
    """The loss and its gradients by backpropagation through time.

    Args:
        x: inputs, shape (batch, T, input_dim).
        y: targets, shape (batch, T, output_units).
        h0: initial hidden state, shape (batch, units).
        W_xh: (input_dim, units). W_hh: (units, units). W_hy: (units, output_units).

    Returns:
        A dict with "loss" (a float, L = sum 1/2 (y_hat - y)^2) and the gradients "W_xh",
        "W_hh", "W_hy", "h0", each of the shape of what it differentiates.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import bptt_gradients
    >>> g = bptt_gradients(np.ones((1, 1, 1)), np.zeros((1, 1, 1)), np.zeros((1, 1)),
    ...                    [[0.5]], [[1.0]], [[1.0]])
    >>> bool(np.isclose(g["W_hy"].item(), np.tanh(0.5) ** 2))  # dL/dW_hy = h y_hat
    True
    """
    x, h0 = _as_batch(x, h0)
    y = np.asarray(y, dtype=float)
    W_xh, W_hh, W_hy = (np.asarray(w, dtype=float) for w in (W_xh, W_hh, W_hy))
    y_hat, h = rnn_forward(x, h0, W_xh, W_hh, W_hy)
    if y.shape != y_hat.shape:
        raise ValueError(f"y must have shape {y_hat.shape} (batch, T, output_units), got {y.shape}.")
    previous = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # h_{t-1} for t = 1..T
    grads = {name: np.zeros_like(w) for name, w in (("W_xh", W_xh), ("W_hh", W_hh), ("W_hy", W_hy))}
    dy = y_hat - y
    da_next = np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        grads["W_hy"] += h[:, t].T @ dy[:, t]
        dh = dy[:, t] @ W_hy.T + da_next @ W_hh.T
        da = dh * (1.0 - h[:, t] ** 2)
        grads["W_xh"] += x[:, t].T @ da
        grads["W_hh"] += previous[:, t].T @ da
        da_next = da
    grads["h0"] = da_next @ W_hh.T
    grads["loss"] = sequence_loss(y_hat, y)
    return grads


def rnn_state_jacobian_norms(x, h0, W_xh, W_hh):
    """How strongly h_t still depends on h_0: the norms ||dh_t/dh_0|| for t = 1..T.

    The Jacobian follows the chain rule step by step,

        dh_t/dh_0 = dh_{t-1}/dh_0 . dh_t/dh_{t-1},   dh_t/dh_{t-1} = W_hh diag(1 - h_t^2)

    (entry [i, j] of dh_t/dh_{t-1} is d h_t[j] / d h_{t-1}[i]), so with |tanh'| <= 1 its norm
    is at most sigma_max(W_hh)^t times that of the identity: it decays geometrically when the
    largest singular value of W_hh is below 1. The norm is the Frobenius norm, per sequence.

    Args:
        x: inputs, shape (batch, T, input_dim).
        h0: initial hidden state, shape (batch, units).
        W_xh: (input_dim, units). W_hh: (units, units).

    Returns:
        An array of shape (batch, T): entry [b, t - 1] is ||dh_t/dh_0||_F of sequence b.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import rnn_state_jacobian_norms
    >>> norms = rnn_state_jacobian_norms(np.zeros((1, 3, 1)), np.zeros((1, 2)),
    ...                                  np.zeros((1, 2)), 0.5 * np.eye(2))
    >>> np.round(norms[0], 4).tolist()  # sqrt(2) 0.5^t while h stays 0
    [0.7071, 0.3536, 0.1768]
    """
    x, h = _as_batch(x, h0)
    W_xh, W_hh = np.asarray(W_xh, dtype=float), np.asarray(W_hh, dtype=float)
    jacobian = np.broadcast_to(np.eye(h.shape[1]), (h.shape[0],) + W_hh.shape)
    norms = []
    for t in range(x.shape[1]):
        h = np.tanh(h @ W_hh + x[:, t] @ W_xh)
        step = W_hh[None] * (1.0 - h**2)[:, None, :]  # (batch, units_{t-1}, units_t)
        jacobian = jacobian @ step
        norms.append(np.sqrt(np.sum(jacobian**2, axis=(1, 2))))
    return np.stack(norms, axis=1) if norms else np.zeros((x.shape[0], 0))
