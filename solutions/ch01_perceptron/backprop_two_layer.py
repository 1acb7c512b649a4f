# %% [markdown]
"""Backpropagation by hand for a network with one hidden layer (7 points)

The network has a sigmoid hidden layer and a sigmoid output layer,
sigma(z) = 1 / (1 + exp(-z)). Forward propagation of x, shape (N, n_inputs), is

    z1 = x W1 + b1,   a1 = sigma(z1),   z2 = a1 W2 + b2,   y_hat = sigma(z2)

with parameters in a dict {"W1": (n_inputs, H), "b1": (H,), "W2": (H, K), "b2": (K,)}, so
y_hat has shape (N, K). The loss L is averaged over all N*K entries:

    "binary_cross_entropy":  L = -mean( y log(y_hat) + (1 - y) log(1 - y_hat) )
    "mean_squared_error":    L = mean( (y_hat - y)^2 )

Implement, in numpy:

1. `forward_propagation(params, x)` -> `(y_hat, cache)`: y_hat of shape (N, K) and a cache
   of whatever intermediate values your backward pass needs (any Python object).

2. `backward_propagation(params, cache, y, loss="binary_cross_entropy")` -> a dict of
   gradients {"W1": dL/dW1, "b1": dL/db1, "W2": dL/dW2, "b2": dL/db2}, each of the shape of
   its parameter; y has shape (N, K). Use the chain rule, layer by layer:

       dL/dz2 = (y_hat - y) / (N K)                                  for binary cross-entropy
       dL/dz2 = 2 (y_hat - y) / (N K) * sigma(z2) (1 - sigma(z2))    for mean squared error
       dL/dW2 = a1^T dL/dz2,   dL/db2 = dL/dz2 summed over the samples
       dL/dz1 = (dL/dz2 W2^T) * sigma(z1) (1 - sigma(z1))
       dL/dW1 = x^T dL/dz1,    dL/db1 = dL/dz1 summed over the samples

   Raise ValueError for any other `loss`. Do not modify `params`.

The grader checks your gradients against central finite differences
(L(theta + h) - L(theta - h)) / 2h of the loss. You may not use keras, tensorflow, jax,
torch, autograd or dlcourse.perceptron.
"""

# %%
import numpy as np


# %%
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward_propagation(params, x):
    """Return (y_hat of shape (N, K), cache)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    z1 = x @ params["W1"] + params["b1"]
    a1 = _sigmoid(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    y_hat = _sigmoid(z2)
    return y_hat, (x, a1, y_hat)
    ### END SOLUTION


def backward_propagation(params, cache, y, loss="binary_cross_entropy"):
    """Return {"W1", "b1", "W2", "b2"}: the gradients of the loss."""
    ### BEGIN SOLUTION
    x, a1, y_hat = cache
    y = np.asarray(y, dtype=float).reshape(y_hat.shape)
    if loss == "binary_cross_entropy":
        dz2 = (y_hat - y) / y_hat.size
    elif loss == "mean_squared_error":
        dz2 = 2.0 * (y_hat - y) / y_hat.size * y_hat * (1.0 - y_hat)
    else:
        raise ValueError(
            f"loss must be 'binary_cross_entropy' or 'mean_squared_error', got {loss!r}."
        )
    dz1 = (dz2 @ params["W2"].T) * a1 * (1.0 - a1)
    return {
        "W1": x.T @ dz1,
        "b1": dz1.sum(axis=0),
        "W2": a1.T @ dz2,
        "b2": dz2.sum(axis=0),
    }
    ### END SOLUTION
