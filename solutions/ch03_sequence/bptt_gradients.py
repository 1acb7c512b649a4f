# %% [markdown]
"""Backpropagation through time (6 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

To train an RNN we unroll it over the sequence and apply the chain rule backwards through
the unrolled graph: backpropagation through time (BPTT). The notes' vanilla RNN is

    h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t),     y_hat_t = W_hy^T h_t

for t = 1..T from a given h_0, with the loss L_t = 1/2 (y_hat_t - y_t)^2 at every step and
L = sum_t L_t. The same weights are used at every step, so their gradients add up over the
steps, and a gradient-descent step is W_hy <- W_hy - dL/dW_hy = W_hy - sum_t dL_t/dW_hy (the
same for W_xh and W_hh). The notes start the chain rule as

    dL_t/dW_hy = dL_t/dy_hat_t . dy_hat_t/dW_hy                   (no recurrence involved)
    dL_t/dW_xh = dL_t/dy_hat_t . dy_hat_t/dh_t . dh_t/dW_xh,
    dh_t/dW_xh = tanh'(.) . d(W_hh^T h_{t-1} + W_xh^T x_t)/dW_xh

and leave dh_t/dW_xh unfinished: h_t depends on W_xh directly and again through h_{t-1},
h_{t-2}, ..., so the gradient must flow back through every earlier step, picking up one factor
W_hh and one tanh' per step. That is the answer to the notes' question which weights suffer
from a vanishing gradient: W_xh and W_hh, not W_hy. Here is the whole recursion. We store a
batch of vectors as rows, so with the same matrices the forward pass reads (a_t is our name
for the argument of tanh)

    a_t = h_{t-1} W_hh + x_t W_xh,     h_t = tanh(a_t),     y_hat_t = h_t W_hy

and L sums 1/2 (y_hat_t - y_t)^2 over every step, sequence and output. Going backwards from
t = T to t = 1, the hidden state h_t gets gradient both from its own output and from the next
step (nothing comes from beyond T):

    dL/dy_hat_t = y_hat_t - y_t
    dL/dh_t     = dL/dy_hat_t W_hy^T + dL/da_{t+1} W_hh^T
    dL/da_t     = dL/dh_t * (1 - h_t^2)               (tanh'(a) = 1 - tanh(a)^2)

    dL/dW_hy = sum_t h_t^T dL/dy_hat_t
    dL/dW_xh = sum_t x_t^T dL/da_t
    dL/dW_hh = sum_t h_{t-1}^T dL/da_t

The notes keep h_0 fixed; beyond the notes, we also ask for the gradient with respect to it
(what a learned initial state, or an earlier chunk of a long sequence, would receive):

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
    ### BEGIN SOLUTION
    x, y, h = (np.asarray(a, dtype=float) for a in (x, y, h0))
    states = [h]
    for t in range(x.shape[1]):
        states.append(np.tanh(states[-1] @ W_hh + x[:, t] @ W_xh))
    y_hat = np.stack([h_t @ W_hy for h_t in states[1:]], axis=1)
    error = y_hat - y
    grads = {"W_xh": np.zeros_like(W_xh, dtype=float), "W_hh": np.zeros_like(W_hh, dtype=float),
             "W_hy": np.zeros_like(W_hy, dtype=float)}
    da_next = np.zeros_like(h)
    for t in range(x.shape[1], 0, -1):
        h_t, h_previous = states[t], states[t - 1]
        grads["W_hy"] += h_t.T @ error[:, t - 1]
        dh = error[:, t - 1] @ W_hy.T + da_next @ W_hh.T
        da = dh * (1.0 - h_t**2)
        grads["W_xh"] += x[:, t - 1].T @ da
        grads["W_hh"] += h_previous.T @ da
        da_next = da
    grads["h0"] = da_next @ W_hh.T
    grads["loss"] = 0.5 * float(np.sum(error**2))
    return grads
    ### END SOLUTION
