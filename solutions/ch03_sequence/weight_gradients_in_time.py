# %% [markdown]
"""Which weight does the vanishing gradient affect? (6 points)
Lecture: §3.1 Recurrent Neural Network(RNN)

The notes' RNN runs, for t = 1..T from a fixed h_0,

    h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t),      y_hat_t = W_hy^T h_t

with the loss L_t = 1/2 (y_hat_t - y_t)^2 at each step, and asks why the gradient vanishes
and which weight that affects. We store vectors as rows (a batch is a matrix of rows), so the
same equations read

    a_t = h_{t-1} W_hh + x_t W_xh,      h_t = tanh(a_t),      y_hat_t = h_t W_hy

with W_xh of shape (input_dim, units), W_hh (units, units) and W_hy (units, output_units).

Take the loss of the last step alone, L_T, summed over the sequences of the batch and the
outputs (beyond the notes, which write one scalar output). The notes' chain rule for W_hy,
dL_T/dW_hy = dL_T/dy_hat_T . dy_hat_T/dW_hy, is in row form

    dL_T/dW_hy = h_T^T (y_hat_T - y_T)

and involves step T alone: as the notes say, it is not affected by deeper layers. For W_xh
the notes' chain rule breaks off at "dh_t/dW_xh is", unfinished. It goes on like this: h_T
depends on W_xh through every earlier state as well, so the gradient is a sum over the steps
k = 1..T,

    dL_T/dW_xh = sum_k x_k^T delta_k,       dL_T/dW_hh = sum_k h_{k-1}^T delta_k

where delta_k = dL_T/da_k is computed backwards from the loss (* is elementwise, and
tanh'(a) = 1 - tanh(a)^2):

    delta_T = ((y_hat_T - y_T) W_hy^T) * (1 - h_T^2)
    delta_k = (delta_{k+1} W_hh^T) * (1 - h_k^2)          for k = T-1, ..., 1

Each step back multiplies by one more factor W_hh^T (small for small recurrent weights) and
diag(1 - h_k^2) (never above 1): the term of step k, at distance T - k from the loss, shrinks
geometrically with that distance. The far past hardly moves W_xh and W_hh (the
vanishing gradient), while W_hy never sees it.

Implement `weight_gradient_terms(x, y, h0, W_xh, W_hh, W_hy)` with numpy only, for x of shape
(batch, T, input_dim) with T >= 1, y of shape (batch, output_units) (the target of the last
step) and h0 of shape (batch, units). Return a dict with the keys

- "loss": L_T, the float sum over the batch and the outputs of 1/2 (y_hat_T - y_T)^2;
- "W_hy": dL_T/dW_hy, shape (units, output_units);
- "W_xh_terms": shape (T, input_dim, units), entry [k - 1] the term x_k^T delta_k of step k
  (summed over the batch), for k = 1..T;
- "W_hh_terms": shape (T, units, units), entry [k - 1] the term h_{k-1}^T delta_k.

The sums of the terms over k are dL_T/dW_xh and dL_T/dW_hh. (The gradient of the whole loss
L = sum_t L_t adds such pieces up over t: the exercise bptt_gradients.)

You may not use keras, tensorflow, torch or jax (no automatic differentiation), nor
dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def weight_gradient_terms(x, y, h0, W_xh, W_hh, W_hy):
    """Return {"loss", "W_hy", "W_xh_terms", "W_hh_terms"} for the last step's loss L_T."""
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    states = [np.asarray(h0, dtype=float)]
    for t in range(x.shape[1]):
        states.append(np.tanh(states[-1] @ W_hh + x[:, t] @ W_xh))
    h_T = states[-1]
    error = h_T @ W_hy - y
    steps = x.shape[1]
    W_xh_terms = np.zeros((steps,) + np.shape(W_xh))
    W_hh_terms = np.zeros((steps,) + np.shape(W_hh))
    delta = (error @ W_hy.T) * (1.0 - h_T**2)
    for k in range(steps, 0, -1):
        W_xh_terms[k - 1] = x[:, k - 1].T @ delta
        W_hh_terms[k - 1] = states[k - 1].T @ delta
        delta = (delta @ W_hh.T) * (1.0 - states[k - 1] ** 2)
    return {"loss": 0.5 * float(np.sum(error**2)), "W_hy": h_T.T @ error,
            "W_xh_terms": W_xh_terms, "W_hh_terms": W_hh_terms}
    ### END SOLUTION
