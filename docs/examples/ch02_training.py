# %% [markdown]
# # Chapter 2: training a neural network
#
# The same small Keras network trained with the chapter's optimizers (`SGD`, `SGDMomentum`,
# `Adam`, the notes' update rules), then with and without regularization (`L2`,
# `InvertedDropout`) on few, noisy examples. Lecture: §2.2 Optimization; §2.3 Regularization.

# %% tags=["remove_output"]
# %matplotlib inline
import os

import keras
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import make_two_moons
from dlcourse.training import L2, SGD, Adam, InvertedDropout, SGDMomentum

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
EPOCHS = 25 if QUICK else 60


def network(regularize=False, seed=0):
    keras.utils.set_random_seed(seed)
    extra = dict(kernel_regularizer=L2(1e-3)) if regularize else {}
    layers = [keras.Input((2,)), keras.layers.Dense(64, activation="relu", **extra)]
    if regularize:
        layers.append(InvertedDropout(0.3, seed=seed))
    layers += [keras.layers.Dense(64, activation="relu", **extra), keras.layers.Dense(1, activation="sigmoid")]
    return keras.Sequential(layers)


x, y = make_two_moons(n_samples=300, noise=0.3, seed=0)
x_train, y_train, x_val, y_val = x[:60], y[:60], x[60:], y[60:]

# %% [markdown]
# ## Optimizers
#
# SGD: theta <- theta - eta g. Momentum: v <- mu v - eta g, theta <- theta + v. Adam: running
# means of g and g^2 (beyond the notes: with bias correction as an option).

# %%
histories = {}
for name, optimizer in {"SGD": SGD(0.05), "SGD + momentum": SGDMomentum(0.05, momentum=0.9),
                        "Adam": Adam(0.01)}.items():
    model = network()
    model.compile(optimizer=optimizer, loss="binary_crossentropy")
    histories[name] = model.fit(x_train, y_train, epochs=EPOCHS, batch_size=16, verbose=0).history["loss"]
fig, ax = plt.subplots(figsize=(6, 4))
for name, loss in histories.items():
    ax.plot(loss, label=name)
ax.set(xlabel="epoch", ylabel="training loss", title="optimizers on the same network", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# ## Regularization
#
# 60 noisy training points and a wide network: without a penalty the validation loss turns up
# while the training loss falls; L2 and inverted dropout hold it down.

# %%
fig, ax = plt.subplots(figsize=(6, 4))
for regularize in (False, True):
    model = network(regularize)
    model.compile(optimizer=Adam(0.01), loss="binary_crossentropy")
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=16,
                        verbose=0).history
    label = "L2 + inverted dropout" if regularize else "no regularization"
    ax.plot(history["val_loss"], label=f"{label} (validation)")
    ax.plot(history["loss"], "--", label=f"{label} (training)")
    print(f"{label}: final validation loss {history['val_loss'][-1]:.3f}")
ax.set(xlabel="epoch", ylabel="binary cross-entropy", title="over-fitting and regularization")
ax.legend(fontsize=8)
plt.show()
