# %% [markdown]
"""Vanishing gradients in a vanilla RNN (4 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

The notes ask why the gradient of an RNN vanishes. Backpropagation through time multiplies one
Jacobian per step, so how much of a gradient survives from step t back to the start is
measured by the Jacobian of h_t with respect to the initial state h_0. For the notes' RNN,
h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), with W_xh (input_dim, units) and W_hh (units, units);
in the row form of a batch (the same matrices) h_t = tanh(h_{t-1} W_hh + x_t W_xh), and the
chain rule gives

    dh_t/dh_0 = dh_{t-1}/dh_0 . dh_t/dh_{t-1}         (a matrix product, dh_0/dh_0 = I)
    dh_t/dh_{t-1} = W_hh diag(1 - h_t^2)

where entry [i, j] of dh_t/dh_{t-1} is d h_t[j] / d h_{t-1}[i], i.e. W_hh[i, j] (1 - h_t[j]^2),
and entry [i, j] of dh_t/dh_0 is d h_t[j] / d h_0[i]. Since |tanh'| <= 1, the norm of
dh_t/dh_0 shrinks geometrically when the recurrent weights are small: the vanishing gradient.
(The notes' remedies -- ReLU, whose derivative is 1 where it is positive, a careful
initialization, and gated cells such as the LSTM -- each keep these factors from shrinking.)

Implement `state_jacobian_norms(x, h0, W_xh, W_hh)` with numpy only. x has shape
(batch, T, input_dim), h0 (batch, units), W_xh (input_dim, units), W_hh (units, units). Return
an array of shape (batch, T) whose entry [b, t - 1] is the Frobenius norm (the square root of
the sum of the squared entries) of dh_t/dh_0 for sequence b, for t = 1..T. Each sequence of
the batch has its own Jacobian (h_t of one sequence does not depend on h_0 of another).

You may not use keras, tensorflow, torch or jax (no automatic differentiation), nor
dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def state_jacobian_norms(x, h0, W_xh, W_hh):
    """Return ||dh_t/dh_0||_F for every sequence and t = 1..T, shape (batch, T)."""
    # YOUR CODE HERE
    raise NotImplementedError()
