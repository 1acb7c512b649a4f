"""The variational autoencoder: Gaussian encoder, reparameterised sample, Bernoulli decoder, ELBO.

Lecture: §6 Generative Model; §6.1 Variational Autoencoders(VAE)

The notes' VAE (their Figure 11) encodes x to a latent z and decodes it back; its goal, like
every generative model's, is P_model(x) close to P_data(x). Beyond the notes, the formulas:
the encoder gives q(z|x) = N(mu, diag sigma^2) through (mu, log sigma^2), the decoder gives
p(x|z), the prior is p(z) = N(0, I), and training maximises the evidence lower bound

    log p(x) >= ELBO(x) = E_{z ~ q(z|x)}[ log p(x|z) ] - KL( q(z|x) || p(z) ),

estimated with one sample z = mu + sigma * epsilon, epsilon ~ N(0, I) (the reparameterisation:
the gradient flows through z to mu and sigma), and the closed form
KL = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1).
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.generative import _gradients
from dlcourse.generative.autoencoder import decoder_network, encoder_network

__all__ = ["reparameterize", "gaussian_kl", "bernoulli_log_likelihood", "Sampling", "VAE"]


def reparameterize(mu, log_var, epsilon):
    """z = mu + exp(log_var / 2) * epsilon, differentiable in mu and log_var for fixed epsilon.

    Args:
        mu: means, (B, J).
        log_var: log-variances log sigma^2, (B, J).
        epsilon: standard normal noise, (B, J).

    Returns:
        z, (B, J).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import reparameterize
    >>> z = reparameterize(ops.array([1.0, 0.0]), ops.array([0.0, 2.0]), ops.array([0.5, 1.0]))
    >>> [round(float(v), 4) for v in z]
    [1.5, 2.7183]
    """
    return mu + ops.exp(0.5 * log_var) * epsilon


def gaussian_kl(mu, log_var):
    """KL( N(mu, diag exp(log_var)) || N(0, I) ) per example, summed over the last axis.

    KL = 1/2 sum_j ( mu_j^2 + sigma_j^2 - log sigma_j^2 - 1 ).

    Args:
        mu: means, (B, J).
        log_var: log-variances, (B, J).

    Returns:
        (B,).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import gaussian_kl
    >>> [round(float(v), 4) for v in gaussian_kl(ops.array([[0.0, 0.0], [1.0, 0.0]]), ops.zeros((2, 2)))]
    [0.0, 0.5]
    """
    return 0.5 * ops.sum(ops.square(mu) + ops.exp(log_var) - log_var - 1.0, axis=-1)


def bernoulli_log_likelihood(x, logits):
    """log p(x|z) = sum over all pixels of x a - softplus(a), for p = sigmoid(a), x in [0, 1].

    Finite for any logits (softplus is computed stably by Keras).

    Args:
        x: targets (B, ...) in [0, 1].
        logits: the decoder's logits, same shape.

    Returns:
        (B,): summed over every axis but the first.

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import bernoulli_log_likelihood
    >>> round(float(bernoulli_log_likelihood(ops.ones((1, 2)), ops.zeros((1, 2)))[0]), 4)
    -1.3863
    """
    x = ops.cast(x, logits.dtype)
    per_pixel = x * logits - ops.softplus(logits)
    return ops.sum(ops.reshape(per_pixel, (ops.shape(per_pixel)[0], -1)), axis=-1)


@keras.saving.register_keras_serializable(package="dlcourse")
class Sampling(keras.layers.Layer):
    """Draws z = mu + sigma * epsilon with epsilon ~ N(0, I) (the reparameterisation trick).

    With `training=False` it returns mu, the mode of q(z|x), so inference is deterministic.

    Args:
        seed: seed of the layer's `keras.random.SeedGenerator`.

    Call arguments:
        mu: (B, J).
        log_var: (B, J).
        training: sample (True) or return mu (False).

    Returns:
        z, (B, J).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import Sampling
    >>> layer = Sampling(seed=0)
    >>> tuple(layer(ops.zeros((4, 3)), ops.zeros((4, 3)), training=True).shape)
    (4, 3)
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, mu, log_var, training=False):
        if not training:
            return mu
        epsilon = keras.random.normal(ops.shape(mu), seed=self.seed_generator, dtype=mu.dtype)
        return reparameterize(mu, log_var, epsilon)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlcourse")
class VAE(_gradients.TensorFlowSteps, keras.Model):
    """A variational autoencoder on images in [0, 1], trained by maximising the ELBO.

    The encoder body (`encoder_network`, dense or conv) outputs 2J numbers split into mu and
    log sigma^2; `Sampling` draws z; the decoder (`decoder_network`) gives Bernoulli logits.
    `train_step` minimises -mean ELBO and reports its terms: `loss` (-ELBO), `reconstruction`
    (mean log p(x|z)), `kl` (mean KL) and `elbo`, all in nats per image; `test_step` reports
    the same on a fresh sample.

    Args:
        image_shape: (H, W, C) of the images.
        latent_dim: J, the size of z.
        architecture: "dense" or "conv".
        hidden_units: widths of the dense hidden layers.
        filters: channels of the stride-2 convolutions ("conv").
        seed: seed of the sampling noise.

    Call arguments:
        x: images (B, H, W, C).
        training: sample z (True) or use z = mu (False).

    Returns:
        Reconstructions sigmoid(decoder(z)), (B, H, W, C).

    Example:

    >>> import keras
    >>> from dlcourse.generative import VAE
    >>> vae = VAE((8, 8, 1), latent_dim=2, seed=0)
    >>> vae.compile(optimizer="adam")
    >>> logs = vae.train_on_batch(keras.ops.ones((4, 8, 8, 1)), return_dict=True)
    >>> sorted(logs)
    ['elbo', 'kl', 'loss', 'reconstruction']
    """

    def __init__(self, image_shape=(8, 8, 1), latent_dim=2, architecture="dense", hidden_units=(128,),
                 filters=(16, 32), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = tuple(int(d) for d in image_shape)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.architecture = architecture
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.filters = tuple(int(f) for f in filters)
        self.seed = seed
        self.encoder = encoder_network(self.image_shape, 2 * self.latent_dim, architecture, self.hidden_units,
                                       self.filters)
        self.decoder = decoder_network(self.image_shape, self.latent_dim, architecture, self.hidden_units,
                                       self.filters)
        self.sampling = Sampling(seed=seed)
        self.prior_seed = keras.random.SeedGenerator(None if seed is None else seed + 1)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("loss", "reconstruction", "kl", "elbo")}
        self.built = True  # the encoder and decoder are built from their Inputs; Sampling has no weights

    @property
    def metrics(self):
        return list(self.trackers.values())

    def encode(self, x):
        """(mu, log_var) of q(z|x), each (B, J)."""
        h = self.encoder(ops.convert_to_tensor(x, "float32"))
        return h[:, :self.latent_dim], h[:, self.latent_dim:]

    def decode_logits(self, z):
        """The decoder's Bernoulli logits, (B, H, W, C)."""
        return self.decoder(ops.convert_to_tensor(z, "float32"))

    def decode(self, z):
        """Pixel means sigmoid(decoder(z)), (B, H, W, C)."""
        return ops.sigmoid(self.decode_logits(z))

    def call(self, x, training=False):
        mu, log_var = self.encode(x)
        return self.decode(self.sampling(mu, log_var, training=training))

    def sample(self, num_samples, seed=None):
        """Images decoded from z ~ N(0, I): pixel means, (num_samples, H, W, C)."""
        z = keras.random.normal((num_samples, self.latent_dim), seed=self.prior_seed if seed is None else seed)
        return self.decode(z)

    def latent_traversal(self, num=7, span=2.5, dims=(0, 1)):
        """Decoded images over a num x num grid of z_dims[0], z_dims[1] in [-span, span], the other
        coordinates 0: (images (num * num, H, W, C), values (num,)), rows from high to low
        z_dims[1], as `plot_latent_traversal` draws them."""
        values = ops.linspace(-span, span, num)
        z1 = ops.tile(values[None, :], (num, 1))
        z2 = ops.tile(ops.flip(values)[:, None], (1, num))
        z = ops.zeros((num * num, self.latent_dim))
        columns = [ops.reshape(z1, (-1,)) if j == dims[0] else ops.reshape(z2, (-1,)) if j == dims[1]
                   else z[:, j] for j in range(self.latent_dim)]
        return self.decode(ops.stack(columns, axis=1)), values

    def elbo_terms(self, x, training=True):
        """(elbo, reconstruction, kl), each (B,), with one sample z (or z = mu if not training)."""
        x = ops.convert_to_tensor(x, "float32")
        mu, log_var = self.encode(x)
        z = self.sampling(mu, log_var, training=training)
        reconstruction = bernoulli_log_likelihood(x, self.decode_logits(z))
        kl = gaussian_kl(mu, log_var)
        return reconstruction - kl, reconstruction, kl

    def _logs(self, x, training):
        elbo, reconstruction, kl = self.elbo_terms(x, training=training)
        loss = -ops.mean(elbo)
        values = {"loss": loss, "reconstruction": ops.mean(reconstruction), "kl": ops.mean(kl),
                  "elbo": ops.mean(elbo)}
        return loss, values

    def _report(self, values):
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        values = _gradients.minimise(self.optimizer, lambda: self._logs(x, True), lambda: self.trainable_variables)
        return self._report(values)

    def test_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        return self._report(self._logs(x, True)[1])

    def get_config(self):
        return {**super().get_config(), "image_shape": self.image_shape, "latent_dim": self.latent_dim,
                "architecture": self.architecture, "hidden_units": self.hidden_units, "filters": self.filters,
                "seed": self.seed}
