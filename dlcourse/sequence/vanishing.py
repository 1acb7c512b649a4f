"""Measuring vanishing gradients: how much h_t still depends on the initial state.

Lecture: §3.1 Recurrent Neural Network(RNN); §3.2 Long Short Term Memory

The notes ask why the gradient of an RNN vanishes, and why the LSTM is more robust (leaving
the second answer unfinished). Backpropagation through time multiplies one Jacobian per step,
so the gradient that reaches the start of a long sequence is a long product:

    dh_t/ds_0 = dh_1/ds_0 . dh_2/dh_1 . ... . dh_t/dh_{t-1}

For the notes' vanilla RNN, h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), each factor is (in the
row form of `VanillaRNNCell`, entry [i, j] = d h_t[j] / d h_{t-1}[i]) W_hh diag(1 - h_t^2),
whose norm is below 1 for small recurrent weights, so the product vanishes geometrically. The
LSTM's cell state is updated additively, c_t = f_t * c_{t-1} + i_t * c~_t, and dc_t/dc_{t-1}
contains the forget gate f_t itself: with the forget bias near 1 that factor stays close to 1
and the gradient survives.

`state_jacobian_norms` measures ||dh_t/ds_0|| for any Keras RNN cell with automatic
differentiation; `dlcourse.sequence.rnn_state_jacobian_norms` is the by-hand numpy version for
the vanilla RNN. This is the one module of dlcourse.sequence that needs TensorFlow: Keras 3 has
no backend-neutral gradient tape, so `state_jacobian_norms` runs on the TensorFlow backend only
(it raises a clear error on JAX or PyTorch; the numpy version runs anywhere).
"""

from __future__ import annotations

import numpy as np

from dlcourse._backend import require_tensorflow

__all__ = ["state_jacobian_norms"]


def state_jacobian_norms(cell, inputs, initial_state=None):
    """The norms ||dh_t/ds_0||_F for t = 1..T, by `tf.GradientTape`.

    Loads TensorFlow, and needs it as the Keras backend: on another backend it raises
    NotImplementedError (`dlcourse.sequence.rnn_state_jacobian_norms` is the backend-free
    numpy version for the vanilla RNN).

    s_0 is the whole initial state of the cell: h_0 for a vanilla RNN, both h_0 and c_0 for an
    LSTM (the Frobenius norm of the Jacobian with respect to all of them). h_t is the cell's
    first state (`states[0]`), which for every Keras cell is the hidden state.

    Args:
        cell: a built or unbuilt Keras RNN cell (`VanillaRNNCell`, `LSTMCell`,
            `keras.layers.LSTMCell`, ...).
        inputs: inputs, array of shape (batch, T, input_dim).
        initial_state: list of initial states, each (batch, state_size); zeros by default.
            Everything runs in the cell's compute dtype (float32 by default).

    Returns:
        A numpy array of shape (batch, T): entry [b, t - 1] is ||dh_t/ds_0||_F of sequence b.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import state_jacobian_norms
    >>> from dlcourse.sequence import LSTMCell
    >>> norms = state_jacobian_norms(LSTMCell(4), np.zeros((2, 6, 3), "float32"))
    >>> norms.shape
    (2, 6)
    """
    require_tensorflow("state_jacobian_norms")
    import tensorflow as tf

    dtype = cell.compute_dtype
    inputs = tf.convert_to_tensor(np.asarray(inputs), dtype=dtype)
    if inputs.shape.rank != 3:
        raise ValueError(f"inputs must have shape (batch, time, input_dim), got {tuple(inputs.shape)}.")
    batch, steps = inputs.shape[0], inputs.shape[1]
    if initial_state is None:
        initial_state = cell.get_initial_state(batch)
    initial_state = [tf.convert_to_tensor(s, dtype=dtype) for s in initial_state]
    units = initial_state[0].shape[-1]
    # One copy of the batch per hidden unit j: copy j backpropagates h_t[:, j] only, so a
    # single tape.gradient call per step yields every row of every sequence's Jacobian.
    inputs = tf.tile(inputs, [units, 1, 1])
    initial_state = [tf.tile(s, [units, 1]) for s in initial_state]
    selector = tf.repeat(tf.eye(units, dtype=dtype), batch, axis=0)  # row j * batch + b is e_j
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(initial_state)
        states, picked = list(initial_state), []
        for t in range(steps):
            _, states = cell(inputs[:, t], states)
            states = list(states) if isinstance(states, (list, tuple)) else [states]
            picked.append(tf.reduce_sum(states[0] * selector))
    norms = np.zeros((batch, steps))  # squared norms, summed over the initial states
    for t, h in enumerate(picked):
        rows = tape.gradient(h, initial_state)  # [j * batch + b] is dh_t[b, j] / ds_0[b]
        for r in rows:
            if r is not None:  # a state that h_t does not depend on contributes nothing
                norms[:, t] += tf.reduce_sum(tf.reshape(tf.square(r), (units, batch, -1)), axis=[0, 2]).numpy()
    norms = np.sqrt(norms)
    del tape
    return norms
