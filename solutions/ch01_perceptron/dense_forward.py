# %% [markdown]
"""Dense layer forward pass (5 points)
Lecture: §1 From Perceptron to Neural Network

A perceptron takes a weighted sum of its inputs plus a bias and passes it through a non-linear
activation g. The notes write one perceptron, and a dense layer of them (a multi-output
perceptron, every input connected to every output), for an input row X as

    y_hat = g(b + X W^T)

where W holds one row of weights per output, shape (units, n_inputs), and b one bias per
output. Here, as Keras stores the kernel of a Dense layer, you are given that matrix
transposed: w = W^T, of shape (n_inputs, units), column i holding the weights of output i. For
a batch x of shape (batch, n_inputs), one sample per row, the layer is then

    z = x w + b,    y = g(z)            (x w + b is the notes' b + X W^T)

with b of shape (units,) and g applied elementwise. The notes' activations are

    sigmoid:  g(z) = 1 / (1 + exp(-z))
    tanh:     g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))
    relu:     g(z) = max(0, z)

Implement `dense_forward(x, w, b, activation)` with numpy only and return y, a float array
of shape (batch, units). `activation` is one of "sigmoid", "tanh", "relu"; raise
ValueError for any other value. Inputs may be large (|z| in the thousands): the sigmoid must
then return values close to 0 or 1, and tanh values close to -1 or 1, never NaN. Written as
above, exp(z) overflows there: rearrange the formulas (or use numpy's np.tanh).

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
