# %% [markdown]
"""The KL divergence of two Gaussians in closed form (4 points)
Lecture: §6.1 Variational Autoencoders(VAE)

The notes' VAE (Figure 11) encodes x to a latent z and decodes it back; they give no formula.
Beyond the notes: the encoder's q(z|x) = N(mu, diag sigma^2) is pulled towards the prior
p(z) = N(0, I) by the divergence

    KL(q || p) = E_{z ~ q}[ log q(z) - log p(z) ],

which for diagonal Gaussians has a closed form, summed over the J latent dimensions j:

    KL( N(mu, diag sigma^2) || N(0, I) ) = 1/2 sum_j ( mu_j^2 + sigma_j^2 - log sigma_j^2 - 1 ),

and in general, for q = N(mu_q, diag sigma_q^2) and p = N(mu_p, diag sigma_p^2),

    KL(q || p) = 1/2 sum_j ( log sigma_p,j^2 - log sigma_q,j^2
                             + (sigma_q,j^2 + (mu_q,j - mu_p,j)^2) / sigma_p,j^2 - 1 ).

Implement with numpy only. Variances come as log-variances (log_var is log sigma^2), B is the
number of examples and J >= 1 the number of latent dimensions, and the result has one KL per
example, shape (B,):

- `gaussian_kl(mu, log_var)` -> (B,): KL(N(mu, diag sigma^2) || N(0, I)) for mu (B, J) and
  log_var (B, J);
- `gaussian_kl_between(mu_q, log_var_q, mu_p, log_var_p)` -> (B,): KL(q || p) for mu_q (B, J),
  log_var_q (B, J), mu_p (B, J) and log_var_p (B, J).

You may not use dlcourse.generative, keras, tensorflow or scipy (scipy.stats would give the
densities).
"""

# %%
import numpy as np


# %%
def gaussian_kl(mu, log_var):
    """KL(N(mu, diag exp(log_var)) || N(0, I)) per row, shape (B,)."""
    ### BEGIN SOLUTION
    mu, log_var = np.asarray(mu, dtype=float), np.asarray(log_var, dtype=float)
    return 0.5 * np.sum(mu ** 2 + np.exp(log_var) - log_var - 1.0, axis=-1)
    ### END SOLUTION


# %%
def gaussian_kl_between(mu_q, log_var_q, mu_p, log_var_p):
    """KL(N(mu_q, diag exp(log_var_q)) || N(mu_p, diag exp(log_var_p))) per row, shape (B,)."""
    ### BEGIN SOLUTION
    mu_q, mu_p = np.asarray(mu_q, dtype=float), np.asarray(mu_p, dtype=float)
    log_var_q, log_var_p = np.asarray(log_var_q, dtype=float), np.asarray(log_var_p, dtype=float)
    ratio = (np.exp(log_var_q) + (mu_q - mu_p) ** 2) / np.exp(log_var_p)
    return 0.5 * np.sum(log_var_p - log_var_q + ratio - 1.0, axis=-1)
    ### END SOLUTION
