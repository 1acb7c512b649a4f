# %% [markdown]
"""Symmetry breaking: why weights start random (6 points)
Lecture: §2.1 Initialization; §1 From Perceptron to Neural Network

The notes' first rule of weight initialization: when all weights start at the same value (for
example zero), every neuron of a layer gets the same gradient, so the neurons stay copies of
one another and the layer learns no more than a single neuron would. Initializing the weights
randomly breaks this symmetry. You will watch it happen in a network with one hidden layer.

Forward propagation in the notes' form (§1), with sigmoid hidden units g and the identity as
the output activation (a regression output):

    Z = b(1) + X W(1)^T,    Y_hat = b(2) + g(Z) W(2)^T

As Keras does, we store each weight matrix transposed: W1 = W(1)^T of shape (n_inputs, H) and
W2 = W(2)^T of shape (H, K), so that with X of shape (N, n_inputs)

    Z = X W1 + b1,    A = g(Z) = 1 / (1 + exp(-Z)),    Y_hat = A W2 + b2

with b1 of shape (H,) and b2 of shape (K,). Hidden unit j owns column j of W1, entry j of b1
and row j of W2. The loss is the mean squared error over all N*K entries,
J = mean((Y_hat - Y)^2), and training is the notes' gradient descent, W <- W - eta dJ/dW, for
each of W1, b1, W2, b2. The parameters travel as a dict
{"W1": (n_inputs, H), "b1": (H,), "W2": (H, K), "b2": (K,)}, Y has shape (N, K).

Implement with numpy only:

1. `hidden_layer_gradients(params, x, y)` -> a dict {"W1", "b1", "W2", "b2"} of the gradients
   dJ/dW1, dJ/db1, dJ/dW2, dJ/db2, each of the shape of its parameter. The notes leave the
   derivation out; the chain rule gives

       dJ/dY_hat = 2 (Y_hat - Y) / (N K)
       dJ/dW2 = A^T dJ/dY_hat,       dJ/db2 = dJ/dY_hat summed over the samples
       dJ/dZ  = (dJ/dY_hat W2^T) * A (1 - A)            (elementwise product)
       dJ/dW1 = X^T dJ/dZ,           dJ/db1 = dJ/dZ summed over the samples

2. `hidden_units_identical(params, tol=1e-9)` -> a Python bool: True when every hidden unit j
   has the parameters of unit 0 up to `tol`, i.e. each of max |W1[:, j] - W1[:, 0]|,
   |b1[j] - b1[0]| and max |W2[j, :] - W2[0, :]| is at most `tol` (a difference of exactly
   tol still counts as identical). A layer with a single hidden unit is identical (True).

3. `symmetry_after_training(params, x, y, eta, steps, tol=1e-9)` -> (new_params, identical):
   `steps` gradient-descent steps from `params` with learning rate eta, where new_params is
   the dict after the last step and identical is a numpy bool array of length steps + 1 with
   identical[t] = hidden_units_identical(parameters after t steps, tol) (t = 0: the start).

Do not modify `params` or its arrays.

You may not use keras, tensorflow, jax, torch, autograd, dlcourse.training or
dlcourse.perceptron.
"""

# %%
import numpy as np


# %%
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def hidden_layer_gradients(params, x, y):
    """Return {"W1", "b1", "W2", "b2"}: the gradients of the mean squared error."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    a = _sigmoid(x @ params["W1"] + params["b1"])
    y_hat = a @ params["W2"] + params["b2"]
    d_y_hat = 2.0 * (y_hat - np.asarray(y, dtype=float).reshape(y_hat.shape)) / y_hat.size
    d_z = (d_y_hat @ np.asarray(params["W2"]).T) * a * (1.0 - a)
    return {
        "W1": x.T @ d_z,
        "b1": d_z.sum(axis=0),
        "W2": a.T @ d_y_hat,
        "b2": d_y_hat.sum(axis=0),
    }
    ### END SOLUTION


# %%
def hidden_units_identical(params, tol=1e-9):
    """True when every hidden unit has the parameters of unit 0, up to `tol`."""
    ### BEGIN SOLUTION
    w1, b1, w2 = (np.asarray(params[name], dtype=float) for name in ("W1", "b1", "W2"))
    largest = max(
        np.max(np.abs(w1 - w1[:, :1])),
        np.max(np.abs(b1 - b1[0])),
        np.max(np.abs(w2 - w2[:1, :])),
    )
    return bool(largest <= tol)
    ### END SOLUTION


# %%
def symmetry_after_training(params, x, y, eta, steps, tol=1e-9):
    """Run `steps` gradient-descent steps; return (new params, identical of shape (steps + 1,))."""
    ### BEGIN SOLUTION
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    identical = [hidden_units_identical(params, tol)]
    for _ in range(steps):
        grads = hidden_layer_gradients(params, x, y)
        params = {name: value - eta * grads[name] for name, value in params.items()}
        identical.append(hidden_units_identical(params, tol))
    return params, np.array(identical, dtype=bool)
    ### END SOLUTION
