# %% [markdown]
"""Backpropagation through time (6 points)

To train an RNN we unroll it over the sequence and apply the chain rule backwards through
the unrolled graph: backpropagation through time. With batches stored as rows (the
transposes of the lecture's matrices), the forward pass of the vanilla RNN is

    a_t = h_{t-1} W_hh + x_t W_xh,     h_t = tanh(a_t),     y_hat_t = h_t W_hy

for t = 1..T from a given h_0, and the loss sums the squared error over every step,
sequence and output:

    L = sum over t of 1/2 (y_hat_t - y_t)^2

Going backwards from t = T to t = 1, the hidden state h_t gets gradient both from its own
output and from the next step (nothing comes from beyond T):

    dL/dy_hat_t = y_hat_t - y_t
    dL/dh_t     = dL/dy_hat_t W_hy^T + dL/da_{t+1} W_hh^T
    dL/da_t     = dL/dh_t * (1 - h_t^2)               (tanh'(a) = 1 - tanh(a)^2)

and since the same weights are used at every step, their gradients add up over the steps:

    dL/dW_hy = sum_t h_t^T dL/dy_hat_t
    dL/dW_xh = sum_t x_t^T dL/da_t
    dL/dW_hh = sum_t h_{t-1}^T dL/da_t
    dL/dh_0  = dL/da_1 W_hh^T

Shapes: x (batch, T, input_dim), y (batch, T, output_units), h0 (batch, units),
W_xh (input_dim, units), W_hh (units, units), W_hy (units, output_units).

Implement `bptt_gradients(x, y, h0, W_xh, W_hh, W_hy)` with numpy only. It returns a dict
with the keys "loss" (the float L) and "W_xh", "W_hh", "W_hy", "h0" (the gradients dL/dW_xh,
dL/dW_hh, dL/dW_hy, dL/dh_0, each of the shape of what it differentiates).

You may not use keras, tensorflow, torch or jax (no automatic differentiation), nor
dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def bptt_gradients(x, y, h0, W_xh, W_hh, W_hy):
    """Return {"loss", "W_xh", "W_hh", "W_hy", "h0"}: the loss and its gradients."""
    # YOUR CODE HERE
    raise NotImplementedError()
