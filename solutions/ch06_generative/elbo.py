# %% [markdown]
"""The VAE's evidence lower bound (6 points)
Lecture: §6 Generative Model; §6.1 Variational Autoencoders(VAE)

The notes ask for P_model(x) close to P_data(x) through latent variables, and draw the VAE as
an encoder to z and a decoder back to x (Figure 11). They give no objective; beyond the notes:
log P_model(x) = log of the integral of p(x|z) p(z) over z has no closed form, but for any
q(z|x) it is bounded below by the evidence lower bound (ELBO),

    log P_model(x) >= ELBO(x) = E_{z ~ q(z|x)}[ log p(x|z) ] - KL( q(z|x) || p(z) ),

a reconstruction term minus a divergence from the prior p(z) = N(0, I). The VAE maximises the
ELBO, i.e. minimises the loss -ELBO averaged over the batch. Here the expectation is estimated
with the one sample z that produced the decoder's outputs, q(z|x) = N(mu, diag sigma^2) with
log_var = log sigma^2, and KL = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1).

The decoder gives logits a (B, D): p(x_d|z) is Bernoulli with probability sigmoid(a_d), so

    log p(x|z) = sum_d [ x_d log sigmoid(a_d) + (1 - x_d) log(1 - sigmoid(a_d)) ]
               = sum_d [ x_d a_d - softplus(a_d) ],     softplus(a) = log(1 + exp(a)).

x (B, D) holds grey levels in [0, 1] (not only 0 and 1). Compute log p(x|z) from the logits in
a form that stays finite for any float logits (|a| of 1000 included): exp(1000) overflows.

Implement with numpy only:

- `bernoulli_log_likelihood(x, logits)` -> (B,): log p(x|z) per example, x and logits (B, D);
- `elbo(x, logits, mu, log_var)` -> (elbo, reconstruction, kl), each (B,): the ELBO per example,
  its reconstruction term log p(x|z) and its KL term (mu and log_var (B, J));
- `vae_loss(x, logits, mu, log_var)` -> a float: the mean of -ELBO over the B examples.

You may not use dlcourse.generative, keras, tensorflow or scipy (scipy.special has a stable
log-sigmoid).
"""

# %%
import numpy as np


# %%
def bernoulli_log_likelihood(x, logits):
    """sum_d x_d a_d - softplus(a_d) per row, shape (B,), finite for any float logits."""
    ### BEGIN SOLUTION
    x, a = np.asarray(x, dtype=float), np.asarray(logits, dtype=float)
    softplus = np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a)))
    return np.sum(x * a - softplus, axis=-1)
    ### END SOLUTION


# %%
def elbo(x, logits, mu, log_var):
    """(ELBO, log p(x|z), KL(q || N(0, I))) per example, each shape (B,)."""
    ### BEGIN SOLUTION
    mu, log_var = np.asarray(mu, dtype=float), np.asarray(log_var, dtype=float)
    reconstruction = bernoulli_log_likelihood(x, logits)
    kl = 0.5 * np.sum(mu ** 2 + np.exp(log_var) - log_var - 1.0, axis=-1)
    return reconstruction - kl, reconstruction, kl
    ### END SOLUTION


# %%
def vae_loss(x, logits, mu, log_var):
    """The mean over the batch of -ELBO, a float."""
    ### BEGIN SOLUTION
    return float(-np.mean(elbo(x, logits, mu, log_var)[0]))
    ### END SOLUTION
