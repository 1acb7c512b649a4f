# %% [markdown]
"""Xavier and He initialization (8 points)
Lecture: §2.1 Initialization

Proper initialization avoids vanishing or exploding gradients: the variance of the initial
weights decides whether activations and gradients keep their scale from layer to layer. The
notes' two initializations, with fan_in and fan_out the numbers of input and output
connections:

    Xavier:  W ~ U(-sqrt(6 / (fan_in + fan_out)), sqrt(6 / (fan_in + fan_out)))
             so that Var(W) = limit^2 / 3 = 2 / (fan_in + fan_out), limit = sqrt(6 / (fan_in + fan_out))
    He:      W ~ N(0, 2 / fan_in)          (for ReLU networks; the variance is 2 / fan_in,
                                            the standard deviation sigma = sqrt(2 / fan_in))

The fans of a weight tensor of shape `shape` are (the convolution case is beyond the notes, as
Keras counts it):

    shape (n,)                     fan_in = fan_out = n             (a bias vector)
    shape (n_in, n_out)            fan_in = n_in,  fan_out = n_out  (a dense kernel)
    shape (k_1, ..., k_d, c_in, c_out)                               (a convolution kernel, d >= 1)
        receptive_field = k_1 * ... * k_d
        fan_in = receptive_field * c_in,  fan_out = receptive_field * c_out

Implement, with numpy only:

- `fans(shape)` -> (fan_in, fan_out), two Python ints, for shapes of length 1 or more;
- `xavier_uniform(shape, rng)` -> a float array of shape `shape`;
- `he_normal(shape, rng)` -> a float array of shape `shape`;

where `rng` is a `numpy.random.Generator` (from `np.random.default_rng(seed)`): draw every
random number from it (e.g. `rng.uniform`, `rng.normal`), never from `np.random.*` directly.
Your random numbers need not be the reference's; the checks test their distribution (range,
mean, variance, shape of the distribution) on large samples.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def fans(shape):
    """Return (fan_in, fan_out) of a weight tensor of shape `shape`."""
    ### BEGIN SOLUTION
    shape = tuple(int(d) for d in shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive_field, shape[-1] * receptive_field
    ### END SOLUTION


# %%
def xavier_uniform(shape, rng):
    """Xavier uniform weights of shape `shape`, drawn from the Generator `rng`."""
    ### BEGIN SOLUTION
    fan_in, fan_out = fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)
    ### END SOLUTION


# %%
def he_normal(shape, rng):
    """He normal weights of shape `shape`, drawn from the Generator `rng`."""
    ### BEGIN SOLUTION
    fan_in, _ = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    ### END SOLUTION
