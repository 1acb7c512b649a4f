# %% [markdown]
"""Backpropagation by hand for a network with one hidden layer (7 points)
Lecture: §1 From Perceptron to Neural Network

The notes' network with one hidden layer computes, for inputs X (one sample per row),

    Z = b(1) + X W(1)^T,    Y_hat = g(b(2) + g(Z) W(2)^T)

and is trained by gradient descent on the cost J(W), the loss averaged over the samples,
W <- W - eta dJ(W)/dW. The weights of the hidden layer affect the loss only through the layers
after them; backward propagation is how their gradients are found from the loss. The notes stop
there: the layer-by-layer derivation below is beyond the notes.

Here g is the sigmoid, sigma(z) = 1 / (1 + exp(-z)), on both layers, and, as Keras stores Dense
kernels, the weight matrices are kept transposed: W1 = W(1)^T of shape (n_inputs, H),
W2 = W(2)^T of shape (H, K). Forward propagation of x, shape (N, n_inputs), is

    z1 = x W1 + b1,   a1 = sigma(z1),   z2 = a1 W2 + b2,   y_hat = sigma(z2)

(z1 is the notes' Z), with parameters in a dict {"W1": (n_inputs, H), "b1": (H,),
"W2": (H, K), "b2": (K,)}, so y_hat has shape (N, K). The loss L is averaged over all N*K
entries, the notes' binary cross-entropy or squared error per entry:

    "binary_cross_entropy":  L = -mean( y log(y_hat) + (1 - y) log(1 - y_hat) )
    "mean_squared_error":    L = mean( (y - y_hat)^2 )

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
    # YOUR CODE HERE
    raise NotImplementedError()


def backward_propagation(params, cache, y, loss="binary_cross_entropy"):
    """Return {"W1", "b1", "W2", "b2"}: the gradients of the loss."""
    # YOUR CODE HERE
    raise NotImplementedError()
