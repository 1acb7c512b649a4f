# %% [markdown]
"""A vanilla RNN cell for keras.layers.RNN (4 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

Keras separates what happens at one time step (a *cell*) from the loop over the sequence
(`keras.layers.RNN`). A cell is a layer whose `call(inputs, states)` takes x_t and the list of
previous states and returns the tuple (output_t, new_states); its attributes `state_size` and
`output_size` tell `keras.layers.RNN` the sizes of the state and of the output.

Write the notes' vanilla RNN as such a cell. The notes' step is

    h_t     = tanh(W_hh^T h_{t-1} + W_xh^T x_t)        the new hidden state
    y_hat_t = W_hy^T h_t                               the output

with W_xh of shape (input_dim, units), W_hh (units, units), W_hy (units, output_units), and
no biases. Keras stores a batch of vectors as rows, x_t (batch, input_dim) and h_t
(batch, units); transposing the notes' equation ((W^T h)^T = h^T W) gives, with the same
matrices,

    h_t = tanh(h_{t-1} W_hh + x_t W_xh),     y_hat_t = h_t W_hy

Write the Keras layer `VanillaRNNCell(units, output_units, **kwargs)`:

- `state_size` is `units` and `output_size` is `output_units` (set them in `__init__`);
- `build(input_shape)`, with input_shape = (batch, input_dim), creates the three weights with
  `add_weight` in the order W_xh, W_hh, W_hy;
- `call(inputs, states)` takes x_t (batch, input_dim) and states = [h_{t-1}] and returns
  (y_hat_t, [h_t]), computed with `keras.ops`.

Then `keras.layers.RNN(VanillaRNNCell(units, output_units), return_sequences=True)` maps a batch
of sequences (batch, T, input_dim) to the outputs y_hat_1..y_hat_T (batch, T, output_units),
starting from h_0 = 0 or from a given `initial_state`.

You may not use keras.layers.SimpleRNN, keras.layers.SimpleRNNCell, keras.layers.Dense,
keras.layers.LSTM, keras.layers.LSTMCell, keras.layers.GRU, keras.layers.GRUCell, tensorflow
or dlcourse.sequence.
"""

# %%
import keras
from keras import ops


# %%
class VanillaRNNCell(keras.layers.Layer):
    """h_t = tanh(h_{t-1} W_hh + x_t W_xh), y_hat_t = h_t W_hy (the notes' step, in rows)."""

    def __init__(self, units, output_units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.output_units = output_units
        # YOUR CODE HERE
        raise NotImplementedError()

    def build(self, input_shape):
        # YOUR CODE HERE
        raise NotImplementedError()

    def call(self, inputs, states):
        # YOUR CODE HERE
        raise NotImplementedError()
