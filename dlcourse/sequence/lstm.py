"""The notes' long short-term memory (LSTM) cell, gate by gate, as a Keras RNN cell.

Lecture: §3.2 Long Short Term Memory

Besides the hidden state h an LSTM carries a cell state c that is changed only by elementwise
gating, which is why gradients survive along it. The notes' steps, with [h_{t-1}, x_t] the
concatenation of the previous hidden state and the current input:

    forget:  f_t  = sigmoid(W_f [h_{t-1}, x_t] + b_f)     what to keep of c_{t-1}
    store:   i_t  = sigmoid(W_i [h_{t-1}, x_t] + b_i)     how much new content to write
             c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)        the candidate content
    update:  c_t  = f_t * c_{t-1} + i_t * c~_t
    output:  o_t  = sigmoid(W_o [h_{t-1}, x_t] + b_o)     what to reveal
             h_t  = o_t * tanh(c_t)

(sigmoid is the notes' sigma, * their elementwise dot). Erratum: the notes' forget step reads
sigma(W_i [h_{t-1}, x_t] + b_f); that W_i is a typo for W_f, the forget gate's own matrix.
The notes ask why the LSTM is more robust for gradients and leave the answer unfinished: along
the cell state's direct path dc_t/dc_{t-1} = diag(f_t), a gate the cell learns and can hold
near 1, not a product with W_hh and tanh' at every step (see `dlcourse.sequence.vanishing`).

`keras.layers.LSTM` packs the same numbers into one `kernel` (input_dim, 4 units), one
`recurrent_kernel` (units, 4 units) and one `bias` (4 units), with the gates in the order
i, f, c, o; `gates_from_keras_lstm` and `keras_lstm_from_gates` convert between the two.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["LSTMCell", "GATES", "gates_from_keras_lstm", "keras_lstm_from_gates"]

GATES = ("f", "i", "c", "o")
# Position of each gate's block in Keras' packed kernels.
_KERAS_GATE_ORDER = ("i", "f", "c", "o")


@keras.saving.register_keras_serializable(package="dlcourse")
class LSTMCell(keras.layers.Layer):
    """One step of the notes' LSTM, for use inside `keras.layers.RNN`.

    For a batch of row vectors, with [h_{t-1}, x_t] the concatenation of h_{t-1}
    (batch, units) and x_t (batch, input_dim) along the feature axis, and each W_g of shape
    (units + input_dim, units) (the notes' W_g transposed, since rows multiply from the left):

        f_t = sigmoid([h_{t-1}, x_t] W_f + b_f),   i_t = sigmoid([h_{t-1}, x_t] W_i + b_i),
        c~_t = tanh([h_{t-1}, x_t] W_c + b_c),     o_t = sigmoid([h_{t-1}, x_t] W_o + b_o),
        c_t = f_t * c_{t-1} + i_t * c~_t,          h_t = o_t * tanh(c_t).

    The first `units` rows of each W_g multiply h_{t-1} (the recurrent part), the remaining
    `input_dim` rows multiply x_t. `get_weights()` returns
    [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o]. Beyond the notes, starting b_f at 1
    (`unit_forget_bias=True`, as Keras does) makes the cell remember by default: f is about sigmoid(1) = 0.73 before
    training, so the cell state, and its gradient, fade slowly.

    With the same numbers (see `keras_lstm_from_gates`), `keras.layers.RNN(LSTMCell(units))`
    computes what `keras.layers.LSTM(units)` computes.

    Args:
        units: size of the hidden and of the cell state (a positive integer).
        unit_forget_bias: whether b_f starts at 1 (the other biases start from
            `bias_initializer`, so at 0 with the default "zeros"). Defaults to True.
        kernel_initializer: initializer of the gate matrices W_f, W_i, W_c, W_o.
            Defaults to "glorot_uniform".
        bias_initializer: initializer of the biases (b_f too, unless `unit_forget_bias`).
            Defaults to "zeros".
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: x_t, a tensor of shape (batch, input_dim).
        states: the list [h_{t-1}, c_{t-1}], each of shape (batch, units).

    Returns:
        The tuple (h_t, [h_t, c_t]), each of shape (batch, units).

    Example:

    >>> layer = keras.layers.RNN(LSTMCell(3), return_state=True)
    >>> h, h_again, c = layer(keras.ops.ones((2, 4, 5)))
    >>> tuple(h.shape), tuple(c.shape)
    ((2, 3), (2, 3))
    """

    def __init__(self, units, unit_forget_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                "LSTMCell needs a known input dimension, got input shape "
                f"{tuple(input_shape)}; give the model's Input a fixed last dimension."
            )
        self.gate_kernels, self.gate_biases = {}, {}
        for gate in GATES:
            self.gate_kernels[gate] = self.add_weight(
                shape=(self.units + input_dim, self.units), name=f"W_{gate}",
                initializer=self.kernel_initializer)
            bias_initializer = self.bias_initializer
            if gate == "f" and self.unit_forget_bias:
                bias_initializer = "ones"
            self.gate_biases[gate] = self.add_weight(
                shape=(self.units,), name=f"b_{gate}", initializer=bias_initializer)

    def call(self, inputs, states, training=None):
        h_previous, c_previous = states[0], states[1]
        hx = ops.concatenate([h_previous, inputs], axis=-1)
        f = ops.sigmoid(self._gate_input(hx, "f"))
        i = ops.sigmoid(self._gate_input(hx, "i"))
        candidate = ops.tanh(self._gate_input(hx, "c"))
        o = ops.sigmoid(self._gate_input(hx, "o"))
        c = f * c_previous + i * candidate
        h = o * ops.tanh(c)
        return h, [h, c]

    def _gate_input(self, hx, gate):
        return ops.matmul(hx, self.gate_kernels[gate]) + self.gate_biases[gate]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


def gates_from_keras_lstm(kernel, recurrent_kernel, bias):
    """Unpack `keras.layers.LSTM` weights into the notes' per-gate weights (row form).

    Args:
        kernel: (input_dim, 4 units), gate blocks in Keras' order i, f, c, o.
        recurrent_kernel: (units, 4 units), same order.
        bias: (4 units,), same order.

    Returns:
        The list [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] of numpy arrays that
        `LSTMCell.set_weights` takes, each W_g of shape (units + input_dim, units) with the
        recurrent rows first.

    Example:

    >>> kernel, recurrent = np.zeros((5, 12)), np.zeros((3, 12))
    >>> bias = np.repeat([0.0, 1.0, 2.0, 3.0], 3)  # i, f, c, o
    >>> weights = gates_from_keras_lstm(kernel, recurrent, bias)
    >>> weights[0].shape, weights[1].tolist()  # W_f, and b_f is Keras' second block
    ((8, 3), [1.0, 1.0, 1.0])
    """
    kernel, recurrent_kernel, bias = (np.asarray(a) for a in (kernel, recurrent_kernel, bias))
    units = recurrent_kernel.shape[0]
    if kernel.shape[-1] != 4 * units or recurrent_kernel.shape != (units, 4 * units) or (
            bias.shape != (4 * units,)):
        raise ValueError(
            "Keras LSTM weights must have shapes (input_dim, 4 units), (units, 4 units) and "
            f"(4 units,), got {kernel.shape}, {recurrent_kernel.shape} and {bias.shape}.")
    weights = []
    for gate in GATES:
        block = slice(_KERAS_GATE_ORDER.index(gate) * units,
                      (_KERAS_GATE_ORDER.index(gate) + 1) * units)
        weights.append(np.concatenate([recurrent_kernel[:, block], kernel[:, block]], axis=0))
        weights.append(bias[block])
    return weights


def keras_lstm_from_gates(weights):
    """Pack the notes' per-gate weights (row form) into `keras.layers.LSTM`'s layout.

    Args:
        weights: [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] as `LSTMCell.get_weights()` returns.

    Returns:
        The list [kernel, recurrent_kernel, bias] that `keras.layers.LSTM.set_weights` takes.
    """
    if len(weights) != 2 * len(GATES):
        raise ValueError(
            f"weights must be [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o], got {len(weights)} arrays.")
    by_gate = {gate: (np.asarray(weights[2 * k]), np.asarray(weights[2 * k + 1]))
               for k, gate in enumerate(GATES)}
    units = by_gate["f"][1].shape[0]
    ordered = [by_gate[gate] for gate in _KERAS_GATE_ORDER]
    kernel = np.concatenate([w[units:] for w, _ in ordered], axis=1)
    recurrent_kernel = np.concatenate([w[:units] for w, _ in ordered], axis=1)
    bias = np.concatenate([b for _, b in ordered])
    return [kernel, recurrent_kernel, bias]
