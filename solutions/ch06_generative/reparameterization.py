# %% [markdown]
"""The reparameterisation trick (5 points)
Lecture: §6 Generative Model; §6.1 Variational Autoencoders(VAE)

The notes' goal is a model P_model(x) close to P_data(x), through latent variables z; their
autoencoder encodes x to a lower-dimensional z and decodes z back to x (Figure 11, the VAE).
The notes stop there. Beyond the notes: a VAE's encoder outputs, for each example, the mean mu
and the log-variance log sigma^2 of a Gaussian q(z|x) = N(mu, diag sigma^2), and the decoder is
fed a sample z of it. Drawing z directly gives no gradient with respect to mu and sigma, so the
sample is rewritten as a fixed function of the parameters and outside noise:

    z = mu + sigma * epsilon,    sigma = exp(log sigma^2 / 2),    epsilon ~ N(0, I)

(elementwise). With epsilon held fixed, z is differentiable: dz/dmu = 1 and
dz/d(log sigma^2) = sigma * epsilon / 2, so a loss L(z) sends its gradient dL/dz back to the
encoder by the chain rule.

Implement with numpy only, for B examples and J latent dimensions; mu (B, J) holds the means
and log_var (B, J) the log-variances log sigma^2 (float arrays):

- `reparameterize(mu, log_var, rng)` -> (z, epsilon), both (B, J). Draw the noise with one call
  `epsilon = rng.standard_normal(mu.shape)` of the given `numpy.random.Generator` `rng`, never
  with `np.random.*`, so that the same generator state gives the same z.
- `reparameterized_gradients(mu, log_var, epsilon, grad_z)` -> (grad_mu, grad_log_var), both
  (B, J): dL/dmu and dL/d(log sigma^2) for a loss L whose gradient with respect to z is
  grad_z (B, J), with epsilon (B, J) held fixed.

You may not use dlcourse.generative, keras, tensorflow or scipy.
"""

# %%
import numpy as np


# %%
def reparameterize(mu, log_var, rng):
    """z = mu + exp(log_var / 2) * epsilon with epsilon ~ N(0, I) from `rng`; returns (z, epsilon)."""
    ### BEGIN SOLUTION
    mu, log_var = np.asarray(mu, dtype=float), np.asarray(log_var, dtype=float)
    epsilon = rng.standard_normal(mu.shape)
    return mu + np.exp(0.5 * log_var) * epsilon, epsilon
    ### END SOLUTION


# %%
def reparameterized_gradients(mu, log_var, epsilon, grad_z):
    """(dL/dmu, dL/dlog_var) through z = mu + exp(log_var / 2) * epsilon, epsilon fixed."""
    ### BEGIN SOLUTION
    grad_z = np.array(grad_z, dtype=float)
    sigma = np.exp(0.5 * np.asarray(log_var, dtype=float))
    return grad_z, grad_z * sigma * np.asarray(epsilon, dtype=float) * 0.5
    ### END SOLUTION
