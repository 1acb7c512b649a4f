# %% [markdown]
"""Why the LSTM's gradient survives: the cell-state path (6 points)
Lecture: §3.2 Long Short Term Memory

The notes' LSTM, with [h_{t-1}, x_t] the concatenation of the previous hidden state and the
input, is

    f_t  = sigmoid(W_f [h_{t-1}, x_t] + b_f)        forget step
    i_t  = sigmoid(W_i [h_{t-1}, x_t] + b_i)        store step
    c~_t = tanh(W_c [h_{t-1}, x_t] + b_c)
    c_t  = f_t * c_{t-1} + i_t * c~_t               update step (* is elementwise)
    o_t  = sigmoid(W_o [h_{t-1}, x_t] + b_o)        output step
    h_t  = o_t * tanh(c_t)

with sigmoid(z) = 1 / (1 + exp(-z)). The notes print W_i in the forget step; that is a typo:
the forget gate has its own weights W_f (and bias b_f), as every LSTM does.

The notes ask why the LSTM is a more robust model in terms of gradient, and leave the answer
"not finished!". Here is the answer this exercise examines. The cell state is updated
additively, so along the direct path from c_{t-1} to c_t (holding h_{t-1}, and with it every
gate, fixed)

    dc_t/dc_{t-1} = diag(f_t)

and the gradient from c_T back to c_k along the cell state is the elementwise product

    dc_T/dc_k = diag(f_{k+1} * f_{k+2} * ... * f_T)          (dc_T/dc_T = I, the empty product)

No weight matrix and no tanh' enter this product, only the forget gates, which the network
learns and which can sit near 1 (Keras starts b_f at 1): the cell path fades only where the
cell chooses to forget. The vanilla RNN's gradient passes through a product of factors
W_hh^T diag(1 - h^2) instead, which shrinks geometrically for small recurrent weights whatever
the data. (Beyond this exercise: the full Jacobian dc_T/dc_k adds the paths that run from
c_{t-1} through h_{t-1} into the gates; each such detour passes through a gate's weights and a
sigmoid' <= 1/4 or tanh' <= 1, like the RNN's factors. The direct path is the one that no
weight matrix touches, and with small gate weights it carries most of the gradient.)

We store vectors as rows, so [h_{t-1}, x_t] has shape (batch, units + input_dim), the h part
first, and multiplies each W from the left: f_t = sigmoid([h_{t-1}, x_t] W_f + b_f), with W_f
of shape (units + input_dim, units) and b_f of shape (units,); the same for i, c and o.
`params` is a dict with the weights "W_f", "W_i", "W_c", "W_o", each (units + input_dim, units),
and the biases "b_f", "b_i", "b_c", "b_o", each (units,).

Implement with numpy only:

- `forget_gates(x, h0, c0, params)` -> f of shape (batch, T, units), whose entry [:, t - 1] is
  f_t, for the LSTM run over x (batch, T, input_dim) from h0 and c0, each of shape
  (batch, units);
- `cell_path_gradients(f)` -> an array of shape (batch, T + 1, units) whose entry [:, k] is
  the diagonal of dc_T/dc_k, the product of f_j over j = k + 1..T, for k = 0..T (so entry
  [:, T] is all ones), for f of shape (batch, T, units) laid out as forget_gates returns it.

You may not use keras, tensorflow, torch or jax (no automatic differentiation), nor
dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # 1 / (1 + exp(-z)), without overflow in exp


def forget_gates(x, h0, c0, params):
    """Return the forget gates f_1..f_T, shape (batch, T, units)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    h, c = np.asarray(h0, dtype=float), np.asarray(c0, dtype=float)
    gates = []
    for t in range(x.shape[1]):
        hx = np.concatenate([h, x[:, t]], axis=-1)
        f = _sigmoid(hx @ params["W_f"] + params["b_f"])
        i = _sigmoid(hx @ params["W_i"] + params["b_i"])
        o = _sigmoid(hx @ params["W_o"] + params["b_o"])
        c = f * c + i * np.tanh(hx @ params["W_c"] + params["b_c"])
        h = o * np.tanh(c)
        gates.append(f)
    return np.stack(gates, axis=1)
    ### END SOLUTION


def cell_path_gradients(f):
    """Return the diagonals of dc_T/dc_k for k = 0..T, shape (batch, T + 1, units)."""
    ### BEGIN SOLUTION
    f = np.asarray(f, dtype=float)
    steps = f.shape[1]
    products = np.ones((f.shape[0], steps + 1, f.shape[2]))
    for k in range(steps - 1, -1, -1):
        products[:, k] = f[:, k] * products[:, k + 1]  # f[:, k] is f_{k+1}
    return products
    ### END SOLUTION
