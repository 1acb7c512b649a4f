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

How the numbers are stored (ours, for speed): the four gates' matrices are packed side by
side, as `keras.layers.LSTM` packs them, in one `kernel` (input_dim, 4 units) that multiplies
x_t, one `recurrent_kernel` (units, 4 units) that multiplies h_{t-1} and one `bias`
(4 units), with the gate blocks in Keras' order i, f, c, o. Since
[h_{t-1}, x_t] W_g = h_{t-1} W_g[:units] + x_t W_g[units:], a step is then two matrix
products for all four gates together instead of four, and the weights move between
`keras.layers.RNN(LSTMCell(units))` and `keras.layers.LSTM(units)` unchanged. The notes'
per-gate matrices stay at hand as views: `cell.W_f` (the notes' W_f in row form, shape
(units + input_dim, units)), `cell.b_f`, ..., `cell.W_o`, `cell.b_o`, all four as a list from
`gate_weights()` and set by `set_gate_weights`; `gates_from_keras_lstm` and
`keras_lstm_from_gates` convert between the packed and the per-gate layout.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["LSTMCell", "GATES", "gates_from_keras_lstm", "keras_lstm_from_gates"]

GATES = ("f", "i", "c", "o")
# Position of each gate's block in the packed kernels (Keras' order).
_KERAS_GATE_ORDER = ("i", "f", "c", "o")


def _block(gate, units):
    position = _KERAS_GATE_ORDER.index(gate)
    return slice(position * units, (position + 1) * units)


def _gate_view(kind, gate):
    if kind == "W":
        def view(self):
            return self.gate_kernel(gate)
        doc = (f"The notes' W_{gate} in row form, shape (units + input_dim, units): the rows that "
               f"multiply h_{{t-1}}, then those that multiply x_t (a view of the packed kernels).")
    else:
        def view(self):
            return self.gate_bias(gate)
        doc = f"The notes' b_{gate}, shape (units,) (a view of the packed bias)."
    view.__doc__ = doc
    return property(view)


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
    `input_dim` rows multiply x_t. Beyond the notes, for speed, the cell stores the four W_g
    packed as `keras.layers.LSTM` does: `get_weights()` returns [kernel, recurrent_kernel,
    bias] of shapes (input_dim, 4 units), (units, 4 units) and (4 units,), gate blocks in the
    order i, f, c, o, where the kernel holds the x_t rows of every W_g and the recurrent kernel
    the h_{t-1} rows. Each W_g and b_g is a named view (`cell.W_f`, `cell.b_f`, ...);
    `gate_weights()` returns [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] and `set_gate_weights`
    takes that list. Beyond the notes, starting b_f at 1 (`unit_forget_bias=True`, as Keras
    does) makes the cell remember by default: f is about sigmoid(1) = 0.73 before training, so
    the cell state, and its gradient, fade slowly.

    `keras.layers.RNN(LSTMCell(units))` computes what `keras.layers.LSTM(units)` computes, on
    the same weights (`set_weights` of the one takes `get_weights()` of the other).

    Args:
        units: size of the hidden and of the cell state (a positive integer).
        unit_forget_bias: whether b_f starts at 1 (the other biases start from
            `bias_initializer`, so at 0 with the default "zeros"). Defaults to True.
        kernel_initializer: initializer of the gate matrices W_f, W_i, W_c, W_o, each drawn
            whole, with shape (units + input_dim, units). Defaults to "glorot_uniform".
        bias_initializer: initializer of the biases (b_f too, unless `unit_forget_bias`).
            Defaults to "zeros".
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: x_t, a tensor of shape (batch, input_dim).
        states: the list [h_{t-1}, c_{t-1}], each of shape (batch, units).

    Returns:
        The tuple (h_t, [h_t, c_t]), each of shape (batch, units).

    Example:

    >>> import keras
    >>> from dlcourse.sequence import LSTMCell
    >>> cell = LSTMCell(3)
    >>> layer = keras.layers.RNN(cell, return_state=True)
    >>> h, h_again, c = layer(keras.ops.ones((2, 4, 5)))
    >>> tuple(h.shape), tuple(c.shape)
    ((2, 3), (2, 3))
    >>> tuple(cell.W_f.shape), [tuple(w.shape) for w in cell.get_weights()]
    ((8, 3), [(5, 12), (3, 12), (12,)])
    """

    W_f, W_i, W_c, W_o = (_gate_view("W", gate) for gate in GATES)
    b_f, b_i, b_c, b_o = (_gate_view("b", gate) for gate in GATES)

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
        units, dtype = self.units, self.variable_dtype
        # Each notes' W_g is drawn whole, (units + input_dim, units), in the order f, i, c, o,
        # then its h rows go to the recurrent kernel and its x rows to the kernel.
        gates = {}
        for gate in GATES:
            bias_initializer = "ones" if gate == "f" and self.unit_forget_bias else self.bias_initializer
            gates[gate] = (self.kernel_initializer((units + input_dim, units), dtype=dtype),
                           keras.initializers.get(bias_initializer)((units,), dtype=dtype))
        ordered = [gates[gate] for gate in _KERAS_GATE_ORDER]

        def packed(value):
            return lambda shape, dtype=None: ops.cast(value, dtype or self.variable_dtype)

        self.kernel = self.add_weight(
            shape=(input_dim, 4 * units), name="kernel",
            initializer=packed(ops.concatenate([w[units:] for w, _ in ordered], axis=1)))
        self.recurrent_kernel = self.add_weight(
            shape=(units, 4 * units), name="recurrent_kernel",
            initializer=packed(ops.concatenate([w[:units] for w, _ in ordered], axis=1)))
        self.bias = self.add_weight(
            shape=(4 * units,), name="bias", initializer=packed(ops.concatenate([b for _, b in ordered])))

    def call(self, inputs, states, training=None):
        h_previous, c_previous = states[0], states[1]
        # [h_{t-1}, x_t] W_g + b_g for the four gates at once, blocks in the order i, f, c, o.
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_previous, self.recurrent_kernel) + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        f = ops.sigmoid(z_f)
        i = ops.sigmoid(z_i)
        candidate = ops.tanh(z_c)
        o = ops.sigmoid(z_o)
        c = f * c_previous + i * candidate
        h = o * ops.tanh(c)
        return h, [h, c]

    def gate_kernel(self, gate):
        """The notes' W_gate in row form, (units + input_dim, units), h_{t-1}'s rows first.

        Args:
            gate: one of "f", "i", "c", "o".

        Returns:
            A tensor computed from the packed kernels (changing it changes nothing).
        """
        block = _block(self._check_gate(gate), self.units)
        return ops.concatenate([self.recurrent_kernel[:, block], self.kernel[:, block]], axis=0)

    def gate_bias(self, gate):
        """The notes' b_gate, shape (units,), from the packed bias; gate is "f", "i", "c" or "o"."""
        return self.bias[_block(self._check_gate(gate), self.units)]

    def gate_weights(self):
        """The notes' per-gate weights: the numpy list [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o]."""
        return gates_from_keras_lstm(*self.get_weights())

    def set_gate_weights(self, weights):
        """Set the cell from per-gate weights [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] (row form)."""
        self.set_weights(keras_lstm_from_gates(weights))

    def set_weights(self, weights):
        if len(weights) == 2 * len(GATES):
            raise ValueError(
                "LSTMCell.set_weights takes [kernel, recurrent_kernel, bias] in keras.layers.LSTM's "
                "layout, got 8 arrays; give per-gate weights [W_f, b_f, ..., b_o] to "
                "set_gate_weights instead.")
        super().set_weights(weights)

    def load_own_variables(self, store):
        # Models saved while the cell stored one variable per gate hold eight,
        # [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o]; they load into the packed layout.
        if len(store.keys()) == 2 * len(GATES):
            weights = keras_lstm_from_gates([np.asarray(store[str(k)]) for k in range(2 * len(GATES))])
            for variable, value in zip((self.kernel, self.recurrent_kernel, self.bias), weights):
                variable.assign(value)
            return
        super().load_own_variables(store)

    def _check_gate(self, gate):
        if not self.built:
            raise AttributeError(f"LSTMCell {self.name!r} is not built yet, so it has no gate weights; "
                                 "call it on an input (or build it) first.")
        if gate not in GATES:
            raise ValueError(f"gate must be one of {GATES}, got {gate!r}.")
        return gate

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
        `LSTMCell.set_gate_weights` takes (and `LSTMCell.gate_weights` returns), each W_g of
        shape (units + input_dim, units) with the recurrent rows first.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import gates_from_keras_lstm
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
        weights: [W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o] as `LSTMCell.gate_weights()` returns.

    Returns:
        The list [kernel, recurrent_kernel, bias] that `keras.layers.LSTM.set_weights` and
        `LSTMCell.set_weights` take.
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
