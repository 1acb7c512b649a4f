# %% [markdown]
"""Vanilla RNN forward pass (4 points)

A recurrent neural network reads a sequence x_1, ..., x_T one step at a time and carries a
hidden state h from step to step. The lecture's vanilla RNN computes, at every step t,

    h_t = tanh(W_hh h_{t-1} + W_xh x_t)
    y_t = W_hy h_t

with the same weights W_xh, W_hh, W_hy at every step, starting from a given h_0.

We process a batch of sequences at once and store vectors as rows (as Keras does), so the
matrices are the transposes of the lecture's and the equations read

    h_t = tanh(h_{t-1} W_hh + x_t W_xh),      y_t = h_t W_hy

Shapes: x (batch, T, input_dim), h0 (batch, units), W_xh (input_dim, units),
W_hh (units, units), W_hy (units, output_units).

Implement `rnn_forward(x, h0, W_xh, W_hh, W_hy)` with numpy only. It returns the tuple
(y, h): y of shape (batch, T, output_units) holds y_1..y_T, and h of shape (batch, T, units)
holds the hidden states h_1..h_T (not h_0).

You may not use keras, tensorflow or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def rnn_forward(x, h0, W_xh, W_hh, W_hy):
    """Return (y, h): outputs (batch, T, output_units) and hidden states (batch, T, units)."""
    # YOUR CODE HERE
    raise NotImplementedError()
