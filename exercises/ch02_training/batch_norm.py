# %% [markdown]
"""Batch normalization: training and inference (5 points)
Lecture: §2.3.3 Batch Normalization

Batch normalization standardises the input x of an activation over the mini-batch, so that it
stays in the activation's sensitive region, and then scales and shifts it with learned
parameters gamma and beta. The notes' transform is

    x_hat_i = (x_i - E[x]) / sqrt(Var[x] + epsilon),     y_i = gamma x_hat_i + beta

with E[x] and Var[x] the mini-batch mean and variance and epsilon a small constant. We apply it
to every feature separately (one gamma, one beta per feature). In training mode, for a batch x
of shape (batch, features):

    mu      = mean of x over the batch                  (E[x], shape (features,))
    sigma^2 = mean of (x - mu)^2 over the batch         (Var[x], the biased variance, divide by n)
    y       = gamma * (x - mu) / sqrt(sigma^2 + epsilon) + beta

Beyond the notes, which describe only training: a single test example has no mini-batch, so
running statistics are kept for inference, updated in training with momentum in [0, 1) (as
Keras does):

    running_mean <- momentum * running_mean + (1 - momentum) * mu
    running_var  <- momentum * running_var  + (1 - momentum) * sigma^2

In inference mode the batch statistics are not used and the running ones stay unchanged:

    y = gamma * (x - running_mean) / sqrt(running_var + epsilon) + beta

For inputs x with more axes, shape (batch, ..., features) (e.g. images (batch, height, width,
channels)), the mean and variance are taken over every axis except the last one.

Implement `batch_norm_forward(x, gamma, beta, running_mean, running_var, training,
momentum, epsilon)` with numpy only; gamma, beta, running_mean and running_var have shape
(features,). It returns the tuple (y, new_running_mean,
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
    # YOUR CODE HERE
    raise NotImplementedError()
