# %% [markdown]
"""Gradient descent with momentum (6 points)

Plain (stochastic) gradient descent moves the weights w against the gradient g = dL/dw with
learning rate eta:

    w <- w - eta g

Momentum keeps a velocity v, the exponential moving average of past gradients, which starts at
zero. With momentum beta in [0, 1) one step is

    v <- beta v + (1 - beta) g
    w <- w - eta v

(the new v is used to update w). Steps along a direction in which the gradient keeps its
sign build up, and components that oscillate from step to step cancel.

Implement with numpy only (w, v and g are float arrays of the same, arbitrary shape):

- `sgd_step(w, g, learning_rate)` -> the new w;
- `momentum_step(w, v, g, learning_rate, beta)` -> the tuple (new w, new v);
- `momentum_descent(gradient, w0, learning_rate, beta, steps)` -> an array of shape
  (steps + 1, *w0.shape) holding w0 and the weights after each of `steps` momentum steps,
  starting from v = 0, where `gradient(w)` is a function that returns dL/dw at w.

Do not modify the arrays you are given in place: return new arrays.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def sgd_step(w, g, learning_rate):
    """One gradient-descent step: return w - learning_rate * g."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def momentum_step(w, v, g, learning_rate, beta):
    """One momentum step: return (new w, new v)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def momentum_descent(gradient, w0, learning_rate, beta, steps):
    """Run `steps` momentum steps from w0 (v = 0); return the weights, shape (steps + 1, ...)."""
    # YOUR CODE HERE
    raise NotImplementedError()
