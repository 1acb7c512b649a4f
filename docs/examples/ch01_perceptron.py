# %% [markdown]
# # Chapter 1: from the perceptron to a neural network
#
# A two-layer network, trained with the chapter's own pieces: `init_two_layer_params`,
# `two_layer_loss_and_gradients` (the forward and the hand-written backward pass) and
# `minibatch_sgd`, on the two-moons data that no single perceptron can separate.
# Lecture: §1 From Perceptron to Neural Network.
#
# The book builds in a reduced mode when `DLCOURSE_DOCS_QUICK=1` (fewer epochs).

# %% tags=["remove_output"]
# %matplotlib inline
import functools
import os

import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import make_two_moons
from dlcourse.perceptron import (forward_propagation, init_two_layer_params, minibatch_sgd,
                                 two_layer_loss_and_gradients)

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
EPOCHS = 60 if QUICK else 300
HIDDEN_UNITS = 8
LEARNING_RATE = 0.5

# %% [markdown]
# ## Data and training
#
# y = g2(a1 W2 + b2) with a1 = g1(x W1 + b1), both sigmoid; the loss is the binary cross-entropy,
# and each mini-batch step is theta <- theta - eta dL/dtheta.

# %%
x, y = make_two_moons(n_samples=200, noise=0.15, seed=0)
params = init_two_layer_params(2, HIDDEN_UNITS, 1, seed=0)
step = functools.partial(two_layer_loss_and_gradients, loss="binary_cross_entropy")
params, losses = minibatch_sgd(step, params, x, y.reshape(-1, 1), learning_rate=LEARNING_RATE,
                               epochs=EPOCHS, batch_size=32, seed=0)
y_hat, _ = forward_propagation(params, x)
print(f"training accuracy: {np.mean((y_hat[:, 0] > 0.5) == y):.3f}")

# %% [markdown]
# ## The decision boundary
#
# Where the network's output crosses 0.5: a curve, which a single perceptron (a line) cannot draw.

# %%
grid = np.linspace(-2.0, 3.0, 200), np.linspace(-1.5, 2.0, 150)
gx, gy = np.meshgrid(*grid)
p, _ = forward_propagation(params, np.stack([gx.ravel(), gy.ravel()], axis=1))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(losses)
ax1.set(xlabel="mini-batch step", ylabel="binary cross-entropy", title="training loss")
ax2.contourf(gx, gy, p[:, 0].reshape(gx.shape), levels=20, cmap="RdBu_r", alpha=0.6)
ax2.contour(gx, gy, p[:, 0].reshape(gx.shape), levels=[0.5], colors="k")
ax2.scatter(x[:, 0], x[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=15)
ax2.set(title="decision boundary (output = 0.5)", xlabel="x1", ylabel="x2")
fig.tight_layout()
plt.show()
