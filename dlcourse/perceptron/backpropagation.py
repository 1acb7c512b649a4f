"""Forward and backward propagation by hand, in numpy, for a network with one hidden layer.

Lecture: §1 From Perceptron to Neural Network

The notes' forward propagation is Z = b(1) + X W(1)^T, Y_hat = g(b(2) + g(Z) W(2)^T). Because
the hidden weights affect the loss only through the output layer, the notes train them by
backward propagation, which adjusts the weights from the loss, and gradient descent,
W <- W - eta dJ(W)/dW. The notes do not derive the gradients; beyond the notes, this module
does it with the chain rule. With our W1 = W(1)^T (n_inputs, hidden) and W2 = W(2)^T, forward
propagation keeps every intermediate value (the cache):

    z1 = x W1 + b1,   a1 = g1(z1),   z2 = a1 W2 + b2,   y_hat = g2(z2)

(z1 is the notes' Z) and backward propagation walks the same steps in reverse, one local
derivative at a time. With L averaged over all N*K entries of y_hat (N samples, K outputs):

    dL/dz2 = (y_hat - y) / (N K)                      sigmoid output + binary cross-entropy
    dL/dz2 = 2 (y_hat - y) / (N K) * g2'(z2)          mean squared error
    dL/dW2 = a1^T dL/dz2,        dL/db2 = sum over samples of dL/dz2
    dL/da1 = dL/dz2 W2^T,        dL/dz1 = dL/da1 * g1'(z1)
    dL/dW1 = x^T dL/dz1,         dL/db1 = sum over samples of dL/dz1

Parameters travel as a dict {"W1": (n_inputs, hidden), "b1": (hidden,), "W2": (hidden, K),
"b2": (K,)} -- the order and shapes of `TwoLayerNetwork.get_weights()`, so the same numbers
can be checked against Keras and `tf.GradientTape`. The BCE gradient ignores the clipping of
p to [1e-7, 1 - 1e-7], which only binds on a saturated sigmoid.
"""

import numpy as np

from dlcourse.perceptron.losses import binary_cross_entropy, mean_squared_error

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")
LOSS_NAMES = ("binary_cross_entropy", "mean_squared_error")


def _sigmoid(z):
    # Split by sign so that exp never sees a large positive argument.
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


_ACTIVATIONS = {
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "tanh": (np.tanh, _tanh_derivative),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
    "linear": (lambda z: z, np.ones_like),
}


def _activation(argument, name):
    if name not in _ACTIVATIONS:
        raise ValueError(f"{argument} must be one of {', '.join(_ACTIVATIONS)}, got {name!r}.")
    return _ACTIVATIONS[name]


def init_two_layer_params(n_inputs, hidden_units, output_units=1, seed=0):
    """Random starting weights for the by-hand network (Glorot uniform W, zero b).

    W ~ Uniform(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)), b = 0.

    Args:
        n_inputs: number of input features.
        hidden_units: size of the hidden layer.
        output_units: number of outputs K.
        seed: seed of `np.random.default_rng`.

    Returns:
        A dict {"W1", "b1", "W2", "b2"} of float64 arrays.

    Example:

    >>> from dlcourse.perceptron import init_two_layer_params, PARAMETER_NAMES
    >>> params = init_two_layer_params(2, 3, 1, seed=0)
    >>> [params[k].shape for k in PARAMETER_NAMES]
    [(2, 3), (3,), (3, 1), (1,)]
    """
    rng = np.random.default_rng(seed)

    def glorot(fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out))

    return {
        "W1": glorot(n_inputs, hidden_units),
        "b1": np.zeros(hidden_units),
        "W2": glorot(hidden_units, output_units),
        "b2": np.zeros(output_units),
    }


def forward_propagation(params, x, hidden_activation="sigmoid", output_activation="sigmoid"):
    """Forward propagation through the two-layer network, keeping the cache for backprop.

    z1 = x W1 + b1,  a1 = g1(z1),  z2 = a1 W2 + b2,  y_hat = g2(z2).

    Args:
        params: dict {"W1": (n_inputs, H), "b1": (H,), "W2": (H, K), "b2": (K,)}.
        x: inputs, shape (N, n_inputs).
        hidden_activation: g1, one of "sigmoid", "tanh", "relu", "linear".
        output_activation: g2, one of "sigmoid", "tanh", "relu", "linear".

    Returns:
        `(y_hat, cache)`: y_hat of shape (N, K), and a dict with x, z1, a1, z2, y_hat and the
        activation names, for `backward_propagation`.

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import init_two_layer_params, forward_propagation
    >>> params = init_two_layer_params(2, 3, 1)
    >>> y_hat, cache = forward_propagation(params, np.zeros((4, 2)))
    >>> y_hat.shape, cache["a1"].shape
    ((4, 1), (4, 3))
    """
    g1, _ = _activation("hidden_activation", hidden_activation)
    g2, _ = _activation("output_activation", output_activation)
    x = np.asarray(x, dtype=np.float64)
    z1 = x @ params["W1"] + params["b1"]
    a1 = g1(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    y_hat = g2(z2)
    cache = {
        "x": x, "z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat,
        "hidden_activation": hidden_activation, "output_activation": output_activation,
    }
    return y_hat, cache


def backward_propagation(params, cache, y, loss="binary_cross_entropy"):
    """Backward propagation: the gradients of the loss with respect to W1, b1, W2, b2.

    Applies the chain rule of the module docstring to the values `forward_propagation` cached.

    Args:
        params: the dict of weights used for the forward pass.
        cache: the cache `forward_propagation` returned.
        y: targets, shape (N, K) (or (N,) when K = 1).
        loss: "binary_cross_entropy" (needs a sigmoid output) or "mean_squared_error",
            each averaged over all N*K entries.

    Returns:
        A dict {"W1", "b1", "W2", "b2"} of gradients, each the shape of its parameter.

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import init_two_layer_params, backward_propagation, forward_propagation
    >>> params = init_two_layer_params(2, 3, 1)
    >>> x, y = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0], [0.0]])
    >>> grads = backward_propagation(params, forward_propagation(params, x)[1], y)
    >>> grads["W1"].shape
    (2, 3)
    """
    y_hat = cache["y_hat"]
    y = np.asarray(y, dtype=np.float64).reshape(y_hat.shape)
    count = y_hat.size
    _, g1_prime = _activation("hidden_activation", cache["hidden_activation"])
    _, g2_prime = _activation("output_activation", cache["output_activation"])
    if loss == "binary_cross_entropy":
        if cache["output_activation"] != "sigmoid":
            raise ValueError(
                "loss='binary_cross_entropy' needs output_activation='sigmoid', got "
                f"{cache['output_activation']!r}; use loss='mean_squared_error' otherwise."
            )
        # sigmoid' cancels the 1 / (p (1 - p)) of dBCE/dp, leaving the famous p - y.
        dz2 = (y_hat - y) / count
    elif loss == "mean_squared_error":
        dz2 = 2.0 * (y_hat - y) / count * g2_prime(cache["z2"])
    else:
        raise ValueError(f"loss must be one of {', '.join(LOSS_NAMES)}, got {loss!r}.")
    da1 = dz2 @ params["W2"].T
    dz1 = da1 * g1_prime(cache["z1"])
    return {
        "W1": cache["x"].T @ dz1,
        "b1": dz1.sum(axis=0),
        "W2": cache["a1"].T @ dz2,
        "b2": dz2.sum(axis=0),
    }


def two_layer_loss(params, x, y, loss="binary_cross_entropy",
                   hidden_activation="sigmoid", output_activation="sigmoid"):
    """The loss of the two-layer network on (x, y): forward propagation, then the loss.

    Args:
        params: dict {"W1", "b1", "W2", "b2"} (see `forward_propagation`).
        x: inputs, shape (N, n_inputs).
        y: targets, shape (N, K) (or (N,) when K = 1).
        loss: "binary_cross_entropy" or "mean_squared_error".
        hidden_activation: g1 (see `forward_propagation`).
        output_activation: g2 (see `forward_propagation`).

    Returns:
        The loss averaged over all N*K entries, a Python float.

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import init_two_layer_params, two_layer_loss
    >>> params = {k: np.zeros_like(v) for k, v in init_two_layer_params(2, 3, 1).items()}
    >>> round(two_layer_loss(params, np.zeros((1, 2)), np.ones((1, 1))), 4)  # -log(0.5)
    0.6931
    """
    y_hat, _ = forward_propagation(params, x, hidden_activation, output_activation)
    return _loss_value(loss, y, y_hat)


def two_layer_loss_and_gradients(params, x, y, loss="binary_cross_entropy",
                                 hidden_activation="sigmoid", output_activation="sigmoid"):
    """One forward and one backward pass: the loss and its gradients.

    This is the `loss_and_gradients` function that `gradient_descent` and `minibatch_sgd`
    expect (bind the keyword arguments with `functools.partial`).

    Args:
        params: dict {"W1", "b1", "W2", "b2"} (see `forward_propagation`).
        x: inputs, shape (N, n_inputs).
        y: targets, shape (N, K) (or (N,) when K = 1).
        loss: "binary_cross_entropy" or "mean_squared_error".
        hidden_activation: g1 (see `forward_propagation`).
        output_activation: g2 (see `forward_propagation`).

    Returns:
        `(loss, grads)`: the loss as a Python float and a dict of gradients, each the shape
        of its parameter.

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import init_two_layer_params, two_layer_loss_and_gradients
    >>> params = init_two_layer_params(2, 3, 1)
    >>> value, grads = two_layer_loss_and_gradients(params, np.zeros((1, 2)), np.ones((1, 1)))
    >>> sorted(grads)
    ['W1', 'W2', 'b1', 'b2']
    """
    y_hat, cache = forward_propagation(params, x, hidden_activation, output_activation)
    return _loss_value(loss, y, y_hat), backward_propagation(params, cache, y, loss)


def _loss_value(loss, y, y_hat):
    y = np.asarray(y, dtype=np.float64).reshape(y_hat.shape)
    if loss == "binary_cross_entropy":
        return binary_cross_entropy(y, y_hat)
    if loss == "mean_squared_error":
        return mean_squared_error(y, y_hat)
    raise ValueError(f"loss must be one of {', '.join(LOSS_NAMES)}, got {loss!r}.")
