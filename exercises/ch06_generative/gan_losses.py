# %% [markdown]
"""The GAN's value function and losses, saturating and not (6 points)
Lecture: §6.2 Generative Adversarial Network(GAN)

The notes' game: the discriminator D makes D(x) close to 1 on real x and D(G(z)) close to 0
on generated G(z), z ~ p_z(z); the generator G makes D(G(z)) close to 1. Both play

    min_G max_D V(D, G) = E_{x ~ p_data(x)}[ log D(x) ] + E_{z ~ p_z(z)}[ log(1 - D(G(z))) ].

On a batch of M real and M' generated examples, V is estimated by the two means. D outputs a
probability D = sigmoid(a) of a logit a; in terms of logits (our form, exact and finite for
any float logits, |a| of 1000 included: log sigmoid(a) = -softplus(-a) and
log(1 - sigmoid(a)) = -softplus(a), softplus(a) = log(1 + exp(a))):

- the discriminator minimises -V:   L_D = mean_x softplus(-a(x)) + mean_z softplus(a(G(z)));
- the generator, as the notes write it, minimises the saturating loss
      L_G^sat = mean_z log(1 - D(G(z))) = -mean_z softplus(a(G(z))).

Beyond the notes: early in training D wins easily, D(G(z)) is near 0 (a(G(z)) very negative),
and dL_G^sat/da = -sigmoid(a) / M' is then near 0, so G learns nothing. The non-saturating
loss, with the same fixed point D(G(z)) -> 1,

      L_G^ns = -mean_z log D(G(z)) = mean_z softplus(-a(G(z))),

has dL_G^ns/da = -(1 - sigmoid(a)) / M', near -1 / M' exactly when D wins.

Implement with numpy only (logits_real (M,), logits_fake (M',), d_real (M,), d_fake (M',)):

- `value_function(d_real, d_fake)` -> a float: the notes' V from probabilities in (0, 1);
- `discriminator_loss(logits_real, logits_fake)` -> a float: L_D;
- `generator_loss(logits_fake, saturating)` -> a float: L_G^sat if `saturating` is True,
  else L_G^ns;
- `generator_loss_gradient(logits_fake, saturating)` -> (M',): the derivative of
  `generator_loss` with respect to each logit of `logits_fake`.

You may not use dlcourse.generative, keras, tensorflow or scipy (scipy.special has expit and
log_expit).
"""

# %%
import numpy as np


def _softplus(a):
    return np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a)))


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# %%
def value_function(d_real, d_fake):
    """The notes' V(D, G) = mean log D(x) + mean log(1 - D(G(z))), a float."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def discriminator_loss(logits_real, logits_fake):
    """-V from logits: mean softplus(-a_real) + mean softplus(a_fake), a float."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def generator_loss(logits_fake, saturating=False):
    """mean log(1 - D(G(z))) if saturating, else -mean log D(G(z)); a float."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def generator_loss_gradient(logits_fake, saturating=False):
    """d generator_loss / d logits_fake, shape (M',)."""
    # YOUR CODE HERE
    raise NotImplementedError()
