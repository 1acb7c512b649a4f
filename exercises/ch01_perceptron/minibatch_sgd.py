# %% [markdown]
"""Mini-batch stochastic gradient descent (6 points)
Lecture: §1 From Perceptron to Neural Network; §2.2 Optimization

The notes' gradient descent updates the parameters theta against the gradient of the loss,
with learning rate eta,

    theta <- theta - eta grad L(theta)

until it converges. Mini-batch SGD computes the gradient on a small subset (a mini-batch) of
the training samples instead of all of them -- less computation per step, and some
stochasticity -- and takes one step per batch. Implement

    minibatch_sgd(loss_and_gradients, params, x, y, learning_rate, epochs, batch_size, seed)
        -> (new_params, losses)

where `learning_rate` is eta and

- `loss_and_gradients(params, x_batch, y_batch)` returns `(loss, grads)`: a float and a dict
  with one gradient array per key of `params`;
- `params` is a dict of numpy arrays (the starting point), x has shape (N, ...) and y
  shape (N, ...).

Beyond the notes, which do not say how the batches are drawn, follow this rule exactly, so
that every run is reproducible and comparable:

    rng = np.random.default_rng(seed)        create it once, before the first epoch
    for each epoch:
        order = rng.permutation(N)
        for start in 0, batch_size, 2 * batch_size, ... (while start < N):
            batch = order[start : start + batch_size]   (the last batch may be smaller)
            loss, grads = loss_and_gradients(params, x[batch], y[batch])   (once per batch)
            record loss; update every parameter with the rule above

Return the new parameters as a new dict (do not modify the caller's `params` or its arrays)
and `losses`, a 1-D numpy array of the recorded batch losses in order, of length
epochs * ceil(N / batch_size). A batch_size of N or more is full-batch gradient descent.

You may not use keras, tensorflow, sklearn or dlcourse.perceptron.
"""

# %%
import numpy as np


# %%
def minibatch_sgd(loss_and_gradients, params, x, y, learning_rate=0.1, epochs=10,
                  batch_size=32, seed=0):
    """Train with mini-batch SGD; return (new params dict, losses of shape (n_batches,))."""
    # YOUR CODE HERE
    raise NotImplementedError()
