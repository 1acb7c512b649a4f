# %% [markdown]
"""Batch normalization: training and inference (5 points)

Batch normalization standardises every feature over the mini-batch and then scales and shifts
it with learned parameters gamma and beta (one value per feature). In training mode, for a
batch x of shape (batch, features):

    mu      = mean of x over the batch                  (shape (features,))
    sigma^2 = mean of (x - mu)^2 over the batch         (the biased variance, divide by n)
    y       = gamma * (x - mu) / sqrt(sigma^2 + epsilon) + beta

and the running statistics used at inference are updated with momentum in [0, 1):

    running_mean <- momentum * running_mean + (1 - momentum) * mu
    running_var  <- momentum * running_var  + (1 - momentum) * sigma^2

In inference mode the batch statistics are not used and the running ones stay unchanged:

    y = gamma * (x - running_mean) / sqrt(running_var + epsilon) + beta

For inputs with more axes, shape (batch, ..., features) (e.g. images (batch, height, width,
channels)), the mean and variance are taken over every axis except the last one.

Implement `batch_norm_forward(x, gamma, beta, running_mean, running_var, training,
momentum, epsilon)` with numpy only. It returns the tuple (y, new_running_mean,
new_running_var): y has the shape of x, the running statistics shape (features,). Do not
modify the arrays you are given in place.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def batch_norm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                       epsilon=1e-3):
    """Return (y, new_running_mean, new_running_var)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    running_mean = np.asarray(running_mean, dtype=float)
    running_var = np.asarray(running_var, dtype=float)
    if training:
        axes = tuple(range(x.ndim - 1))
        mean = x.mean(axis=axes)
        var = ((x - mean) ** 2).mean(axis=axes)
        running_mean = momentum * running_mean + (1.0 - momentum) * mean
        running_var = momentum * running_var + (1.0 - momentum) * var
    else:
        mean, var = running_mean, running_var
    y = gamma * (x - mean) / np.sqrt(var + epsilon) + beta
    return y, running_mean, running_var
    ### END SOLUTION
