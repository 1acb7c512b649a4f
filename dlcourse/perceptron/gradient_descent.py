"""Training loops in numpy: full-batch gradient descent and mini-batch stochastic gradient descent.

Lecture: §1 From Perceptron to Neural Network; §2.2 Optimization

Both apply the notes' update rule to every parameter theta, with eta = `learning_rate`,

    theta <- theta - eta grad L(theta)        (§1: W <- W - eta dJ(W)/dW),

and differ in which samples the gradient sees. Gradient descent uses the whole training set
for every step (one step per epoch). Mini-batch SGD computes the gradient on a small subset
of the samples instead, one step per batch. Beyond the notes, which do not say how the batches
are drawn: it shuffles the samples at the start of every epoch and takes one step per batch of
`batch_size` consecutive shuffled samples (the last batch of an epoch may be smaller), with a
fixed rule so that a run is reproducible and comparable:

    rng = np.random.default_rng(seed)          once, before the first epoch
    order = rng.permutation(N)                 at the start of every epoch
    batches: order[0:B], order[B:2B], ...

The gradients come from a function `loss_and_gradients(params, x_batch, y_batch)` that
returns `(loss, grads)` with one gradient per parameter -- for the two-layer network,
`dlcourse.perceptron.two_layer_loss_and_gradients`.
"""

import numpy as np

from dlcourse.arguments import non_negative_int, positive_int


def gradient_descent(loss_and_gradients, params, x, y, learning_rate=0.1, epochs=100):
    """Full-batch gradient descent: one update per epoch on the whole training set.

    Args:
        loss_and_gradients: function `(params, x, y) -> (loss, grads)`, grads a dict with the
            keys of `params`.
        params: dict of numpy arrays, the starting point (not modified).
        x: inputs, shape (N, ...).
        y: targets, shape (N, ...).
        learning_rate: step size, a positive float.
        epochs: number of updates, a non-negative integer.

    Returns:
        `(params, losses)`: the trained parameters (a new dict) and the loss before each
        update, shape (epochs,).

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import gradient_descent
    >>> f = lambda p, x, y: (float(p["w"] ** 2), {"w": 2 * p["w"]})  # L = w^2
    >>> params, losses = gradient_descent(f, {"w": np.array(1.0)}, None, None, 0.25, 3)
    >>> float(params["w"]), losses.tolist()
    (0.125, [1.0, 0.25, 0.0625])
    """
    _check_hyperparameters(learning_rate, epochs)
    params = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    losses = []
    for _ in range(epochs):
        loss, grads = loss_and_gradients(params, x, y)
        losses.append(float(loss))
        params = _update(params, grads, learning_rate)
    return params, np.asarray(losses, dtype=np.float64)


def minibatch_sgd(loss_and_gradients, params, x, y, learning_rate=0.1, epochs=10,
                  batch_size=32, seed=0):
    """Mini-batch stochastic gradient descent with the module's seeded shuffling rule.

    Args:
        loss_and_gradients: function `(params, x_batch, y_batch) -> (loss, grads)`.
        params: dict of numpy arrays, the starting point (not modified).
        x: inputs, shape (N, ...).
        y: targets, shape (N, ...).
        learning_rate: step size, a positive float.
        epochs: number of passes over the data, a non-negative integer.
        batch_size: samples per update B, a positive integer (B >= N is full batch).
        seed: seed of `np.random.default_rng` that draws each epoch's permutation.

    Returns:
        `(params, losses)`: the trained parameters (a new dict) and the batch loss before each
        update, shape (epochs * ceil(N / batch_size),).

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import minibatch_sgd
    >>> x = np.arange(4.0)[:, None]
    >>> f = lambda p, xb, yb: (0.0, {"w": np.zeros(1)})
    >>> _, losses = minibatch_sgd(f, {"w": np.zeros(1)}, x, x, epochs=2, batch_size=3)
    >>> losses.shape  # 2 epochs of batches of 3 and 1
    (4,)
    """
    _check_hyperparameters(learning_rate, epochs)
    batch_size = positive_int("batch_size", batch_size)
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(
            f"x and y must hold the same number of samples, got {len(x)} and {len(y)}."
        )
    params = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = loss_and_gradients(params, x[batch], y[batch])
            losses.append(float(loss))
            params = _update(params, grads, learning_rate)
    return params, np.asarray(losses, dtype=np.float64)


def _update(params, grads, learning_rate):
    missing = set(params) - set(grads)
    if missing:
        raise ValueError(
            f"loss_and_gradients returned no gradient for {', '.join(sorted(missing))}; "
            "return one gradient per parameter."
        )
    return {name: value - learning_rate * np.asarray(grads[name]) for name, value in params.items()}


def _check_hyperparameters(learning_rate, epochs):
    if not np.isscalar(learning_rate) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}.")
    non_negative_int("epochs", epochs)
