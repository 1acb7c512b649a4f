# %% [markdown]
"""Inverted dropout (6 points)

Dropout sets each unit of a layer's output to zero with probability `rate` during training.
Inverted dropout also divides the units it keeps by the keep probability 1 - rate, so that the
expected output equals the input and nothing needs to change at inference:

    training:   m_i ~ Bernoulli(1 - rate)   (m_i = 1: keep unit i, m_i = 0: drop it)
                y_i = m_i * x_i / (1 - rate)
    inference:  y = x

Implement `dropout_forward(x, rate, rng, training)` with numpy only. It returns the tuple
(y, mask): y has the shape of x, and mask is a float array of the same shape with 1.0 for
every kept unit and 0.0 for every dropped one (all ones at inference). Draw the mask from the
`numpy.random.Generator` `rng` -- for example keep unit i when a uniform number from
`rng.random` is below 1 - rate -- never from `np.random.*` directly; each call draws a new mask.
`rate` is in [0, 1). Do not modify x in place.

The checks test the mask statistically (the fraction of dropped units must be close to
`rate`), so your random numbers need not be the reference's.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def dropout_forward(x, rate, rng, training=True):
    """Return (y, mask) of inverted dropout with drop probability `rate`."""
    # YOUR CODE HERE
    raise NotImplementedError()
