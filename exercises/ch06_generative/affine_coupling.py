# %% [markdown]
"""An affine coupling layer: forward, inverse and log-determinant (7 points)
Lecture: §6.3 Flow-based Deep Generative Models

The notes build a flow-based model from a sequence of invertible transformations. Beyond the
notes, one such transformation is RealNVP's affine coupling layer (Dinh et al., 2017). A binary
mask b (D,) keeps the dimensions with b_d = 1 as they are; the others are scaled and shifted
by amounts computed from the kept ones only:

    z = b * x + (1 - b) * ( x * exp(s(b * x)) + t(b * x) )          (elementwise)

Here s and t are one layer each (our choice; RealNVP uses deeper networks):

    s(u) = tanh(u W_s + c_s),    t(u) = u W_t + c_t,

with u = b * x a row vector (1, D), W_s and W_t (D, D), c_s and c_t (D,). Because b * z = b * x,
the layer inverts exactly without inverting s or t:

    x = b * z + (1 - b) * ( (z - t(b * z)) * exp(-s(b * z)) ),

and its Jacobian dz/dx is triangular (after ordering the kept dimensions first), so

    log |det dz/dx| = sum_d (1 - b_d) s_d(b * x).

Implement with numpy only, for a batch x (N, D) or z (N, D) of rows, mask (D,) of 0.0 and 1.0,
w_s and w_t (D, D), c_s and c_t (D,):

- `coupling_forward(x, mask, w_s, c_s, w_t, c_t)` -> (z, log_det): z (N, D) and
  log |det dz/dx| per row, log_det (N,);
- `coupling_inverse(z, mask, w_s, c_s, w_t, c_t)` -> x (N, D).

You may not use dlcourse.generative, keras, tensorflow or scipy.
"""

# %%
import numpy as np


# %%
def coupling_forward(x, mask, w_s, c_s, w_t, c_t):
    """z = b x + (1 - b)(x exp(s(b x)) + t(b x)) and log|det dz/dx| = sum (1 - b) s(b x)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def coupling_inverse(z, mask, w_s, c_s, w_t, c_t):
    """x = b z + (1 - b)((z - t(b z)) exp(-s(b z))), shape (N, D)."""
    # YOUR CODE HERE
    raise NotImplementedError()
