# %% [markdown]
"""Dense layer forward pass (5 points)

A layer of perceptrons (a dense layer) maps a batch of inputs to outputs with

    z = x W + b,    y = g(z)

where x has shape (batch, n_inputs), W (n_inputs, units), b (units,), and g is applied
elementwise. The activations are

    sigmoid:  g(z) = 1 / (1 + exp(-z))
    tanh:     g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))
    relu:     g(z) = max(0, z)

Implement `dense_forward(x, w, b, activation)` with numpy only and return y, a float array
of shape (batch, units). `activation` is one of "sigmoid", "tanh", "relu"; raise
ValueError for any other value. Inputs may be large (|z| in the thousands): the sigmoid must
then return values close to 0 or 1, never NaN.

You may not use keras, tensorflow or dlcourse.perceptron.
"""

# %%
import numpy as np


# %%
def dense_forward(x, w, b, activation="sigmoid"):
    """Return g(x W + b), shape (batch, units)."""
    ### BEGIN SOLUTION
    z = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + np.asarray(b, dtype=float)
    if activation == "sigmoid":
        # exp(-|z|) never overflows; pick the form that matches the sign of z.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if activation == "tanh":
        return np.tanh(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    raise ValueError(f"activation must be 'sigmoid', 'tanh' or 'relu', got {activation!r}.")
    ### END SOLUTION
