# %% [markdown]
"""Dropout: the notes' form and inverted dropout (7 points)
Lecture: §2.3.4 Dropout

In training, dropout sets a random fraction p of a layer's activations to zero, so that units
cannot rely on each other (co-adapt). The notes' dropout of a layer output h is

    h_tilde = h ⊙ r,    r_i ~ Bernoulli(1 - p)

where ⊙ is the elementwise product and r is a mask: r_i = 1 (unit i kept) with probability
1 - p, r_i = 0 (dropped) with probability p. Nothing is rescaled, so in training
E[h_tilde_i] = (1 - p) h_i. At test time every unit is kept, and to hand the next layer what it
saw on average in training the output is scaled by the keep probability (the notes stop at the
training rule; this test-time rule is the one of Srivastava et al., 2014):

    test time:  h_tilde = (1 - p) h

Beyond the notes: inverted dropout, the variant used in practice (keras.layers.Dropout), moves
the scaling into training. It divides the kept units by 1 - p, so that E[h_tilde_i] = h_i, and
is the identity at test time:

    training:   h_tilde = h ⊙ r / (1 - p),    r_i ~ Bernoulli(1 - p)
    test time:  h_tilde = h

The two agree in expectation: in each form the expected training output equals the test-time
output ((1 - p) h for the notes' form, h for the inverted one), and for the same mask inverted
dropout's output is the notes' output divided by 1 - p, in training and at test time alike.

Implement with numpy only, for an activation array h of any shape and p in [0, 1):

- `dropout_forward(h, p, rng, training=True)`: the notes' form;
- `inverted_dropout_forward(h, p, rng, training=True)`: inverted dropout.

Each returns the tuple (h_tilde, r): h_tilde has the shape of h, and r is a float array of the
same shape holding the mask, 1.0 for every kept unit and 0.0 for every dropped one (all ones at
test time, `training=False`, where no mask is drawn). Draw the mask from the
`numpy.random.Generator` `rng` -- for example keep unit i when a uniform number from
`rng.random` is below 1 - p -- never from `np.random.*` directly; each call draws a new mask.
With p = 0 nothing is dropped. Do not modify h in place.

The checks test the mask statistically (the fraction of dropped units must be close to p), so
your random numbers need not be the reference's.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def dropout_forward(h, p, rng, training=True):
    """The notes' dropout: return (h * r, r) in training, ((1 - p) h, ones) at test time."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def inverted_dropout_forward(h, p, rng, training=True):
    """Inverted dropout: return (h * r / (1 - p), r) in training, (h, ones) at test time."""
    # YOUR CODE HERE
    raise NotImplementedError()
