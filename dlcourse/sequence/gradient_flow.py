"""Gradient flow through time: which weights vanish, the remedies, and the LSTM's cell path.

Lecture: §3.1 Recurrent Neural Network(RNN); §3.2 Long Short Term Memory

The notes' RNN is h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), y_hat_t = W_hy^T h_t, with the loss
L_t = 1/2 (y_hat_t - y_t)^2. Here, as in `rnn_forward`, vectors are rows and the same equations
read a_t = h_{t-1} W_hh + x_t W_xh, h_t = tanh(a_t), y_hat_t = h_t W_hy (W_xh of shape
(input_dim, units), W_hh (units, units), W_hy (units, output_units)). The module answers the
notes' questions about gradients, and measures their remedies, in numpy, by hand:

- which weight the vanishing gradient affects (`weight_gradient_terms`): dL_T/dW_hy involves
  step T only, while dL_T/dW_xh and dL_T/dW_hh are sums over the steps k <= T of terms that
  pass through T - k factors W_hh^T diag(1 - h^2) and shrink geometrically with that distance;
- the notes' remedies, ReLU and initialising W_hh "to 1" (the identity, as in the IRNN of
  Le, Jaitly and Hinton, 2015; the notes say no more), measured by
  `recurrent_jacobian_norms` with `activation_derivative`;
- why the LSTM is more robust, which the notes leave unfinished: along the cell state alone,
  dc_t/dc_{t-1} = diag(f_t), so dc_T/dc_k is the product of the forget gates f_{k+1}..f_T
  (`lstm_forget_gates`, `cell_path_gradients`), with no weight matrix and no tanh' in it.
  The forget step uses W_f and b_f; the notes print W_i there, a typo.
"""

from __future__ import annotations

import numpy as np

from dlcourse.sequence.bptt import _as_batch, rnn_forward
from dlcourse.sequence.lstm import GATES, gates_from_keras_lstm

__all__ = [
    "weight_gradient_terms",
    "activation_derivative",
    "recurrent_jacobian_norms",
    "lstm_forget_gates",
    "cell_path_gradients",
]

ACTIVATIONS = ("tanh", "relu")


def weight_gradient_terms(x, y, h0, W_xh, W_hh, W_hy):
    """The gradient of the last step's loss, split into the contribution of every step.

    For L_T = 1/2 (y_hat_T - y_T)^2 (summed over the batch and the outputs), and with
    delta_k = dL_T/da_k computed backwards from the loss,

        delta_T = ((y_hat_T - y_T) W_hy^T) * (1 - h_T^2)
        delta_k = (delta_{k+1} W_hh^T) * (1 - h_k^2),       k = T-1, ..., 1

    the gradients are

        dL_T/dW_hy = h_T^T (y_hat_T - y_T)                 (step T only)
        dL_T/dW_xh = sum_k x_k^T delta_k,   dL_T/dW_hh = sum_k h_{k-1}^T delta_k

    The term of step k has passed through T - k factors W_hh^T diag(1 - h^2), so with small
    recurrent weights it shrinks geometrically with the distance T - k. For the loss of an
    earlier step t, pass x[:, :t].

    Args:
        x: inputs, shape (batch, T, input_dim), T >= 1.
        y: targets of the last step, shape (batch, output_units).
        h0: initial hidden state, shape (batch, units).
        W_xh: (input_dim, units). W_hh: (units, units). W_hy: (units, output_units).

    Returns:
        A dict with "loss" (the float L_T), "W_hy" (dL_T/dW_hy, (units, output_units)),
        "W_xh_terms" (T, input_dim, units) and "W_hh_terms" (T, units, units): entry [k - 1]
        is the term of step k, summed over the batch.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import weight_gradient_terms
    >>> g = weight_gradient_terms(np.ones((1, 3, 1)), np.zeros((1, 1)), np.zeros((1, 1)),
    ...                           [[0.5]], [[0.1]], [[1.0]])
    >>> norms = np.abs(g["W_xh_terms"][:, 0, 0])
    >>> np.round(norms / norms[-1], 4).tolist()  # each step back: a factor W_hh (1 - h^2)
    [0.0059, 0.0752, 1.0]
    """
    x, h0 = _as_batch(x, h0)
    y = np.asarray(y, dtype=float)
    W_xh, W_hh, W_hy = (np.asarray(w, dtype=float) for w in (W_xh, W_hh, W_hy))
    steps = x.shape[1]
    if steps < 1:
        raise ValueError("x must hold at least one time step, got a sequence of length 0.")
    y_hat, h = rnn_forward(x, h0, W_xh, W_hh, W_hy)
    if y.shape != y_hat[:, -1].shape:
        raise ValueError(
            f"y must have shape {y_hat[:, -1].shape} (batch, output_units): the target of the last "
            f"step, got {y.shape}.")
    error = y_hat[:, -1] - y
    previous = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # h_{k-1} for k = 1..T
    W_xh_terms = np.zeros((steps,) + W_xh.shape)
    W_hh_terms = np.zeros((steps,) + W_hh.shape)
    delta = (error @ W_hy.T) * (1.0 - h[:, -1] ** 2)
    for k in reversed(range(steps)):
        if k < steps - 1:
            delta = (delta @ W_hh.T) * (1.0 - h[:, k] ** 2)
        W_xh_terms[k] = x[:, k].T @ delta
        W_hh_terms[k] = previous[:, k].T @ delta
    return {"loss": 0.5 * float(np.sum(error**2)), "W_hy": h[:, -1].T @ error,
            "W_xh_terms": W_xh_terms, "W_hh_terms": W_hh_terms}


def activation_derivative(a, activation="tanh"):
    """g'(a) for the recurrent activation g, elementwise.

    tanh'(a) = 1 - tanh(a)^2, which is below 1 wherever a != 0; relu'(a) = 1 where a > 0 and 0
    elsewhere (0 at a = 0 exactly, as TensorFlow's gradient of `relu` takes it).

    Args:
        a: pre-activations, an array of any shape.
        activation: "tanh" or "relu".

    Returns:
        A float array of the shape of `a`.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import activation_derivative
    >>> activation_derivative(np.array([-1.0, 0.0, 2.0]), "relu").tolist()
    [0.0, 0.0, 1.0]
    """
    a = np.asarray(a, dtype=float)
    if activation == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if activation == "relu":
        return (a > 0).astype(float)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}.")


def _activation(a, activation):
    return np.tanh(a) if activation == "tanh" else np.maximum(a, 0.0)


def recurrent_jacobian_norms(x, h0, W_xh, W_hh, activation="tanh"):
    """The norms ||dh_t/dh_0||_F for t = 1..T of an RNN h_t = g(h_{t-1} W_hh + x_t W_xh).

    By the chain rule, with entry [i, j] of dh_t/dh_{t-1} equal to d h_t[j] / d h_{t-1}[i],

        dh_t/dh_0 = dh_{t-1}/dh_0 . dh_t/dh_{t-1},      dh_t/dh_{t-1} = W_hh diag(g'(a_t))

    With g = tanh this is `rnn_state_jacobian_norms`. The notes' remedies show here: with
    g = relu and W_hh = I every unit that stays active passes the gradient with factor exactly
    1, while tanh with W_hh = I, or relu with small random W_hh, still vanish.

    Args:
        x: inputs, shape (batch, T, input_dim).
        h0: initial hidden state, shape (batch, units).
        W_xh: (input_dim, units). W_hh: (units, units).
        activation: the recurrent activation g, "tanh" (the notes') or "relu".

    Returns:
        An array of shape (batch, T): entry [b, t - 1] is ||dh_t/dh_0||_F of sequence b.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import recurrent_jacobian_norms
    >>> x, h0 = np.zeros((1, 3, 1)), np.ones((1, 4))
    >>> np.round(recurrent_jacobian_norms(x, h0, np.zeros((1, 4)), np.eye(4), "relu"), 4).tolist()
    [[2.0, 2.0, 2.0]]
    >>> np.round(recurrent_jacobian_norms(x, h0, np.zeros((1, 4)), np.eye(4), "tanh"), 4).tolist()
    [[0.8399, 0.4937, 0.3354]]
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}.")
    x, h = _as_batch(x, h0)
    W_xh, W_hh = np.asarray(W_xh, dtype=float), np.asarray(W_hh, dtype=float)
    jacobian = np.broadcast_to(np.eye(h.shape[1]), (h.shape[0],) + W_hh.shape)
    norms = np.zeros(x.shape[:2])
    for t in range(x.shape[1]):
        a = h @ W_hh + x[:, t] @ W_xh
        h = _activation(a, activation)
        jacobian = jacobian @ (W_hh[None] * activation_derivative(a, activation)[:, None, :])
        norms[:, t] = np.sqrt(np.sum(jacobian**2, axis=(1, 2)))
    return norms


def _gate_weights(weights):
    """{"W_f": ..., "b_f": ..., ...} from a dict of that form, the per-gate list or the packed
    [kernel, recurrent_kernel, bias] of `LSTMCell.get_weights()` (and of keras.layers.LSTM)."""
    if isinstance(weights, dict):
        missing = [f"{kind}_{gate}" for gate in GATES for kind in "Wb" if f"{kind}_{gate}" not in weights]
        if missing:
            raise ValueError(f"the LSTM weights lack {', '.join(missing)}; give W_g and b_g for g in {GATES}.")
        return {key: np.asarray(weights[key], dtype=float) for key in weights}
    if len(weights) == 3:
        weights = gates_from_keras_lstm(*weights)
    if len(weights) != 2 * len(GATES):
        raise ValueError(
            f"weights must be [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] or [kernel, recurrent_kernel, "
            f"bias], got {len(weights)} arrays.")
    return {f"{kind}_{gate}": np.asarray(weights[2 * n + m], dtype=float)
            for n, gate in enumerate(GATES) for m, kind in enumerate("Wb")}


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def lstm_forget_gates(x, h0, c0, weights):
    """The forget gates f_1..f_T of the lecture's LSTM run over a batch of sequences.

    With [h, x] the concatenation of h_{t-1} and x_t (h first) and each W_g of shape
    (units + input_dim, units), the row form of the notes' gates:

        f_t = sigmoid([h_{t-1}, x_t] W_f + b_f),   i_t = sigmoid([h_{t-1}, x_t] W_i + b_i)
        c~_t = tanh([h_{t-1}, x_t] W_c + b_c),     o_t = sigmoid([h_{t-1}, x_t] W_o + b_o)
        c_t = f_t * c_{t-1} + i_t * c~_t,          h_t = o_t * tanh(c_t)

    Args:
        x: inputs, shape (batch, T, input_dim).
        h0, c0: initial hidden and cell state, each (batch, units).
        weights: [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o], as `LSTMCell.gate_weights()` returns
            them, or a dict with the keys "W_f", "b_f", ..., "b_o", or the packed
            [kernel, recurrent_kernel, bias] of `LSTMCell.get_weights()` and of
            `keras.layers.LSTM` (unpacked by `gates_from_keras_lstm`).

    Returns:
        An array of shape (batch, T, units): entry [:, t - 1] is f_t.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import lstm_forget_gates
    >>> w = [np.zeros((3, 2)), np.full(2, 1.0)] + [np.zeros((3, 2)), np.zeros(2)] * 3
    >>> f = lstm_forget_gates(np.ones((1, 2, 1)), np.zeros((1, 2)), np.zeros((1, 2)), w)
    >>> np.round(f, 4).tolist()  # sigmoid(b_f) = sigmoid(1) while W_f = 0
    [[[0.7311, 0.7311], [0.7311, 0.7311]]]
    """
    x, h = _as_batch(x, h0)
    c = np.asarray(c0, dtype=float)
    if c.shape != h.shape:
        raise ValueError(f"c0 must have the shape of h0, {h.shape}, got {c.shape}.")
    p = _gate_weights(weights)
    forget = np.zeros(x.shape[:2] + (h.shape[1],))
    for t in range(x.shape[1]):
        hx = np.concatenate([h, x[:, t]], axis=-1)
        f = _sigmoid(hx @ p["W_f"] + p["b_f"])
        i = _sigmoid(hx @ p["W_i"] + p["b_i"])
        o = _sigmoid(hx @ p["W_o"] + p["b_o"])
        c = f * c + i * np.tanh(hx @ p["W_c"] + p["b_c"])
        h = o * np.tanh(c)
        forget[:, t] = f
    return forget


def cell_path_gradients(forget):
    """The diagonals of dc_T/dc_k along the cell state alone, for k = 0..T.

    Holding h_{t-1} (so every gate) fixed, c_t = f_t * c_{t-1} + i_t * c~_t gives
    dc_t/dc_{t-1} = diag(f_t), so

        dc_T/dc_k = diag(f_{k+1} * f_{k+2} * ... * f_T),      dc_T/dc_T = I.

    Args:
        forget: forget gates, shape (batch, T, units), entry [:, t - 1] is f_t (as
            `lstm_forget_gates` returns them).

    Returns:
        An array of shape (batch, T + 1, units): entry [:, k] is the product of f_j over
        j = k + 1..T (all ones at k = T).

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import cell_path_gradients
    >>> cell_path_gradients(np.array([[[0.5], [0.9]]]))[0, :, 0].tolist()
    [0.45, 0.9, 1.0]
    """
    forget = np.asarray(forget, dtype=float)
    if forget.ndim != 3:
        raise ValueError(f"forget must have shape (batch, T, units), got shape {forget.shape}.")
    suffix = np.flip(np.cumprod(np.flip(forget, axis=1), axis=1), axis=1)  # prod over j >= k + 1
    return np.concatenate([suffix, np.ones(forget.shape[:1] + (1,) + forget.shape[2:])], axis=1)
