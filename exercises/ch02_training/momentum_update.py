# %% [markdown]
"""Gradient descent with momentum (6 points)
Lecture: §2.2 Optimization

Mini-batch SGD moves the parameters theta against the gradient of the loss, with learning
rate eta:

    theta <- theta - eta grad L(theta)

Momentum, in the notes' form, adds a velocity v (one value per parameter, starting at zero)
that smooths the updates; mu in [0, 1) is the momentum coefficient:

    v     <- mu v - eta grad L(theta)
    theta <- theta + v

The velocity is a step: it points downhill, and the new v is the one added to theta. Steps
along a direction in which the gradient keeps its sign build up (to eta / (1 - mu) times the
gradient when it stays constant), and components that flip sign from step to step cancel.
With mu = 0, v = -eta grad L(theta) and momentum is plain SGD. This is also what
`keras.optimizers.SGD(learning_rate=eta, momentum=mu)` computes.

Implement with numpy only (theta, v and grad are float arrays of the same, arbitrary shape;
grad is grad L(theta)):

- `sgd_step(theta, grad, eta)` -> the new theta;
- `momentum_step(theta, v, grad, eta, mu)` -> the tuple (new theta, new v);
- `momentum_descent(gradient, theta0, eta, mu, steps)` -> an array of shape
  (steps + 1, *theta0.shape) holding theta0 and the parameters after each of `steps`
  momentum steps, starting from v = 0, where `gradient(theta)` is a function that returns
  grad L(theta).

Do not modify the arrays you are given in place: return new arrays.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def sgd_step(theta, grad, eta):
    """One gradient-descent step: return theta - eta * grad."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def momentum_step(theta, v, grad, eta, mu):
    """One momentum step, v <- mu v - eta grad, theta <- theta + v: return (new theta, new v)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def momentum_descent(gradient, theta0, eta, mu, steps):
    """Run `steps` momentum steps from theta0 (v = 0); return shape (steps + 1, ...)."""
    # YOUR CODE HERE
    raise NotImplementedError()
