# %% [markdown]
"""Vanilla RNN forward pass (4 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

A recurrent neural network reads a sequence x_1, ..., x_T one step at a time and carries a
hidden state h from step to step. The notes' vanilla RNN computes, at every step t,

    h_t     = tanh(W_hh^T h_{t-1} + W_xh^T x_t)
    y_hat_t = W_hy^T h_t

with the same weights W_xh, W_hh, W_hy at every step, starting from a given h_0. With the
transposes, x_t, h_t and y_hat_t are column vectors and the notes' matrices have the shapes
W_xh (input_dim, units), W_hh (units, units) and W_hy (units, output_units); these are the
matrices you are given.

We process a batch of sequences at once and store each vector as a row (as Keras does): x_t is
(batch, input_dim), h_t is (batch, units). Transposing both sides of the notes' equation
((W^T h)^T = h^T W) and stacking the rows of a batch gives the same computation, with the same
matrices, for the whole batch:

    h_t = tanh(h_{t-1} W_hh + x_t W_xh),      y_hat_t = h_t W_hy

Shapes: x (batch, T, input_dim), h0 (batch, units), W_xh (input_dim, units),
W_hh (units, units), W_hy (units, output_units).

Implement `rnn_forward(x, h0, W_xh, W_hh, W_hy)` with numpy only. It returns the tuple
(y_hat, h): y_hat of shape (batch, T, output_units) holds y_hat_1..y_hat_T, and h of shape
(batch, T, units) holds the hidden states h_1..h_T (not h_0).

You may not use keras, tensorflow or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def rnn_forward(x, h0, W_xh, W_hh, W_hy):
    """Return (y_hat, h): outputs (batch, T, output_units), hidden states (batch, T, units)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    h = np.asarray(h0, dtype=float)
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(h @ W_hh + x[:, t] @ W_xh)
        states.append(h)
    h = np.stack(states, axis=1)
    return h @ W_hy, h
    ### END SOLUTION
