# %% [markdown]
"""Remedies for the vanishing gradient: ReLU and identity initialisation (6 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

The notes' RNN is h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t). Write g for its activation (the
notes use g = tanh) and store vectors as rows, so that

    a_t = h_{t-1} W_hh + x_t W_xh,      h_t = g(a_t)

with W_xh of shape (input_dim, units) and W_hh (units, units). The gradient that reaches h_0
from step t passes through the Jacobian

    dh_t/dh_0 = dh_1/dh_0 . dh_2/dh_1 . ... . dh_t/dh_{t-1}    (matrix products, dh_0/dh_0 = I)
    dh_t/dh_{t-1} = W_hh diag(g'(a_t))

where entry [i, j] of dh_t/dh_{t-1} is d h_t[j] / d h_{t-1}[i], i.e. W_hh[i, j] g'(a_t[j]).
The notes name three remedies for its vanishing:

1. Choose the activation wisely: ReLU, relu(a) = max(a, 0), has derivative 1 where a > 0 (and
   0 where a < 0; at a = 0 exactly, where the notes say nothing, we take 0, as TensorFlow
   does), so an active unit passes the gradient on unshrunk, while tanh'(a) = 1 - tanh(a)^2
   is below 1 wherever a != 0.
2. Initialise the weights wisely, "often to 1". The notes say no more; for the matrix W_hh
   this means the identity, W_hh = I, as in the IRNN of Le, Jaitly and Hinton (2015). Then
   each factor is diag(g'(a_t)): exactly I for ReLU units that stay active.
3. Build gated cells: the LSTM (the exercise lstm_cell_state_gradient).

One remedy alone is not enough: tanh with W_hh = I still shrinks the gradient by 1 - h^2 at
every step, and ReLU with small random W_hh still shrinks it through W_hh.

Implement with numpy only:

- `activation_derivative(a, activation)` -> g'(a) for an array a of any shape: a float array of
  the shape of a, for activation "tanh" or "relu" (relu'(0) = 0);
- `state_gradient_norms(x, h0, W_xh, W_hh, activation)` -> an array of shape (batch, T) whose
  entry [b, t - 1] is the Frobenius norm (the square root of the sum of the squared entries)
  of dh_t/dh_0 for sequence b, t = 1..T, for the RNN h_t = g(h_{t-1} W_hh + x_t W_xh) with g
  the named activation. x has shape (batch, T, input_dim), h0 (batch, units). Each sequence
  of the batch has its own Jacobian.

You may not use keras, tensorflow, torch or jax (no automatic differentiation), nor
dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def activation_derivative(a, activation):
    """g'(a) elementwise, for activation "tanh" or "relu" (relu'(0) = 0)."""
    ### BEGIN SOLUTION
    a = np.asarray(a, dtype=float)
    if activation == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if activation == "relu":
        return np.where(a > 0, 1.0, 0.0)
    raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}.")
    ### END SOLUTION


def state_gradient_norms(x, h0, W_xh, W_hh, activation):
    """Return ||dh_t/dh_0||_F for every sequence and t = 1..T, shape (batch, T)."""
    ### BEGIN SOLUTION
    x, h = np.asarray(x, dtype=float), np.asarray(h0, dtype=float)
    W_hh = np.asarray(W_hh, dtype=float)
    g = np.tanh if activation == "tanh" else (lambda a: np.maximum(a, 0.0))
    norms = np.zeros(x.shape[:2])
    for b in range(x.shape[0]):
        h_b, jacobian = h[b], np.eye(h.shape[1])
        for t in range(x.shape[1]):
            a = h_b @ W_hh + x[b, t] @ W_xh
            h_b = g(a)
            jacobian = jacobian @ (W_hh * activation_derivative(a, activation))
            norms[b, t] = np.sqrt(np.sum(jacobian**2))
    return norms
    ### END SOLUTION
