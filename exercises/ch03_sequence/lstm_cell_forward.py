# %% [markdown]
"""LSTM cell forward pass (5 points)
Lecture: §3.2 Long Short Term Memory

A long short-term memory (LSTM) cell carries a cell state c next to the hidden state h, and
gates decide what to forget, what to store and what to output. With [h_{t-1}, x_t] the
concatenation of the previous hidden state and the current input, the notes' steps are

    forget:  f_t  = sigmoid(W_f [h_{t-1}, x_t] + b_f)
    store:   i_t  = sigmoid(W_i [h_{t-1}, x_t] + b_i)
             c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)
    update:  c_t  = f_t * c_{t-1} + i_t * c~_t
    output:  o_t  = sigmoid(W_o [h_{t-1}, x_t] + b_o)
             h_t  = o_t * tanh(c_t)

with sigmoid(z) = 1 / (1 + exp(-z)) (the notes' sigma) and * the elementwise product (the
notes write it as a dot). Erratum: the notes' forget step reads sigmoid(W_i [h_{t-1}, x_t] + b_f); that W_i is a
typo for W_f -- every gate has its own matrix, and the forget gate's is W_f.

In the notes [h_{t-1}, x_t] is a column and each W multiplies it from the left. We store
vectors as rows (a batch is a matrix of rows), so [h_{t-1}, x_t] has shape
(batch, units + input_dim), the h part first, and it multiplies each matrix from the left;
our W_f is the notes' W_f transposed, of shape (units + input_dim, units):
f_t = sigmoid([h_{t-1}, x_t] W_f + b_f), b_f of shape (units,); the same for i, c and o.

`params` is a dict with the weights "W_f", "W_i", "W_c", "W_o", each (units + input_dim, units),
and the biases "b_f", "b_i", "b_c", "b_o", each (units,).

Implement with numpy only:

- `lstm_step(x_t, h_prev, c_prev, params)` -> the tuple (h_t, c_t), each (batch, units),
  for x_t of shape (batch, input_dim) and h_prev, c_prev of shape (batch, units);
- `lstm_forward(x, h0, c0, params)` -> the tuple (h, c_T): the hidden states h_1..h_T of shape
  (batch, T, units) and the last cell state c_T of shape (batch, units), for x of shape
  (batch, T, input_dim) and h0, c0 of shape (batch, units).

Fill in the helper `_sigmoid(z)` too and use it for the three gates f_t, i_t and o_t.

You may not use keras, tensorflow or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def _sigmoid(z):
    """sigmoid(z) = 1 / (1 + exp(-z)), elementwise."""
    # YOUR CODE HERE
    raise NotImplementedError()


def lstm_step(x_t, h_prev, c_prev, params):
    """One LSTM step: return (h_t, c_t), each (batch, units)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def lstm_forward(x, h0, c0, params):
    """Run the LSTM over x (batch, T, input_dim): return (h of shape (batch, T, units), c_T)."""
    # YOUR CODE HERE
    raise NotImplementedError()
