"""The vanilla recurrent neural network cell of the notes, as a Keras RNN cell.

Lecture: §3.1 Recurrent Neural Network(RNN)

An RNN reads a sequence one step at a time and carries a hidden state h from step to step,
with the same weights at every step. The notes' step is

    h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t),      y_hat_t = W_hy^T h_t

for column vectors, with W_xh of shape (input_dim, units), W_hh (units, units) and W_hy
(units, output_units). Keras stores a batch of vectors as rows; transposing both sides
((W^T h)^T = h^T W) gives the same step, with the same matrices, for a whole batch:

    h_t = tanh(h_{t-1} W_hh + x_t W_xh),      y_hat_t = h_t W_hy

These matrices are exactly the layouts of `keras.layers.SimpleRNN`'s `kernel` and
`recurrent_kernel` and of `keras.layers.Dense`'s `kernel`, so weights move between them
unchanged.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["VanillaRNNCell"]


@keras.saving.register_keras_serializable(package="dlcourse")
class VanillaRNNCell(keras.layers.Layer):
    """One step of the notes' vanilla RNN, for use inside `keras.layers.RNN`.

    From the input x_t (batch, input_dim) and the previous hidden state h_{t-1}
    (batch, units) the cell computes

        h_t = tanh(h_{t-1} W_hh + x_t W_xh + b_h),     y_hat_t = h_t W_hy + b_y

    the row form of the notes' h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), y_hat_t = W_hy^T h_t,
    with the notes' matrices themselves. Beyond the notes, the biases b_h and b_y exist only
    with `use_bias=True`. The same weights are reused at every step.
    `keras.layers.RNN(VanillaRNNCell(units, output_units))` runs it over a sequence; with
    `use_bias=False` its hidden states are those of `keras.layers.SimpleRNN(units,
    use_bias=False)` with `kernel = W_xh` and `recurrent_kernel = W_hh`, and its outputs are a
    `keras.layers.Dense(output_units, use_bias=False)` with kernel W_hy applied to them.

    Args:
        units: size of the hidden state h (a positive integer).
        output_units: size of the output y (a positive integer). Defaults to `units`.
        use_bias: whether to add the biases b_h and b_y (beyond the notes). Defaults to False,
            the notes' form.
        kernel_initializer: initializer of W_xh and W_hy. Defaults to "glorot_uniform".
        recurrent_initializer: initializer of W_hh. Defaults to "orthogonal".
        bias_initializer: initializer of b_h and b_y. Defaults to "zeros".
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: x_t, a tensor of shape (batch, input_dim).
        states: a list holding h_{t-1}, shape (batch, units).

    Returns:
        The tuple (y_hat_t, [h_t]): y_hat_t of shape (batch, output_units), h_t of shape
        (batch, units).

    Example:

    >>> import keras
    >>> from dlcourse.sequence import VanillaRNNCell
    >>> layer = keras.layers.RNN(VanillaRNNCell(4, output_units=2), return_sequences=True)
    >>> tuple(layer(keras.ops.ones((3, 5, 6))).shape)
    (3, 5, 2)
    """

    def __init__(self, units, output_units=None, use_bias=False,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.output_units = self.units if output_units is None else positive_int(
            "output_units", output_units)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.state_size = self.units
        self.output_size = self.output_units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                "VanillaRNNCell needs a known input dimension, got input shape "
                f"{tuple(input_shape)}; give the model's Input a fixed last dimension."
            )
        self.w_xh = self.add_weight(shape=(input_dim, self.units), name="W_xh",
                                    initializer=self.kernel_initializer)
        self.w_hh = self.add_weight(shape=(self.units, self.units), name="W_hh",
                                    initializer=self.recurrent_initializer)
        self.w_hy = self.add_weight(shape=(self.units, self.output_units), name="W_hy",
                                    initializer=self.kernel_initializer)
        self.b_h = self.b_y = None
        if self.use_bias:
            self.b_h = self.add_weight(shape=(self.units,), name="b_h",
                                       initializer=self.bias_initializer)
            self.b_y = self.add_weight(shape=(self.output_units,), name="b_y",
                                       initializer=self.bias_initializer)

    def call(self, inputs, states, training=None):
        h_previous = states[0] if isinstance(states, (list, tuple)) else states
        h = self._next_hidden_state(inputs, h_previous)
        return self._output(h), [h]

    def _next_hidden_state(self, x, h_previous):
        z = ops.matmul(h_previous, self.w_hh) + ops.matmul(x, self.w_xh)
        if self.use_bias:
            z = z + self.b_h
        return ops.tanh(z)

    def _output(self, h):
        y = ops.matmul(h, self.w_hy)
        if self.use_bias:
            y = y + self.b_y
        return y

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "output_units": self.output_units,
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }
