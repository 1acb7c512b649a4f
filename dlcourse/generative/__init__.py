"""Chapter 6, generative models: autoencoders, the VAE, GANs and normalizing flows (Keras 3).

Lecture: §6 Generative Model; §6.1 Variational Autoencoders(VAE); §6.2 Generative Adversarial Network(GAN); §6.3 Flow-based Deep Generative Models

The notes set the goal -- learn P_model(x) close to P_data(x), through latent variables -- and
give the autoencoder idea, a VAE figure, the GAN's minimax game V(D, G) and flows as a sequence
of invertible transformations. The ELBO, the reparameterisation, the optimal discriminator,
the non-saturating generator loss and the change of variables are ours (each module says so).

- autoencoders (`autoencoder`): `Autoencoder` (dense or conv), `encoder_network`,
  `decoder_network`
- the VAE (`vae`): `VAE` (custom `train_step` reporting loss, reconstruction, kl, elbo),
  `Sampling`, `reparameterize`, `gaussian_kl`, `bernoulli_log_likelihood`
- GANs (`gan`): `GAN` (alternating updates), `value_function`, `discriminator_loss`,
  `generator_loss` (saturating and non-saturating), `optimal_discriminator`,
  `value_at_optimum`, `mlp_generator`, `mlp_discriminator`, `dcgan_generator`,
  `dcgan_discriminator`
- flows (`flows`): `AffineCoupling`, `RealNVP`, `alternating_masks`,
  `standard_normal_log_prob`, `density_on_grid`, `integrate_on_grid`
- sample quality (`metrics`): `mmd2`, `gaussian_kernel`, `median_bandwidth`, `mode_coverage`,
  `train_digits_classifier`, `class_probabilities`, `classifier_score`
- plots (`plots`): `plot_latent_space`, `plot_image_grid`, `plot_latent_traversal`,
  `plot_samples_2d`, `plot_density`

What each model gives (our comparison; D is the data dimension, J the latent one):

    model        likelihood of x                    sampling                 cost of training
    -----------  ---------------------------------  -----------------------  ---------------------------------
    Autoencoder  none (a reconstruction, no         none (no prior on z)     one pass: encoder + decoder
                 density)
    VAE          a lower bound, the ELBO            one decoder pass from    one pass with one sample of z; the
                 <= log p(x) (estimate log p(x)     z ~ N(0, I); blurry      KL is in closed form
                 by importance sampling)            means
    GAN          none: samples only (judge them     one generator pass;      two networks, alternating steps;
                 by MMD, modes, classifier score)   sharp samples            unstable (mode collapse,
                                                                             saturation)
    Flow         exact log p(x) by the change of    one inverse pass         every layer invertible with a cheap
    (RealNVP)    variables                          through the layers       log|det|: coupling O(D), a general
                                                                             D x D Jacobian O(D^3); z has x's
                                                                             size D, no compression

The training steps use `tf.GradientTape` (in `_gradients`, the one TensorFlow-only place), so
`fit` and `evaluate` of `VAE`, `RealNVP` and `GAN` need the TensorFlow backend (a clear error on
another); every loss is written with `keras.ops`, and the layers and forward passes run on any.
"""

from dlcourse.generative.autoencoder import Autoencoder, decoder_network, encoder_network
from dlcourse.generative.flows import (
    AffineCoupling,
    RealNVP,
    alternating_masks,
    density_on_grid,
    integrate_on_grid,
    standard_normal_log_prob,
)
from dlcourse.generative.gan import (
    GAN,
    dcgan_discriminator,
    dcgan_generator,
    discriminator_loss,
    generator_loss,
    mlp_discriminator,
    mlp_generator,
    optimal_discriminator,
    value_at_optimum,
    value_function,
)
from dlcourse.generative.metrics import (
    class_probabilities,
    classifier_score,
    gaussian_kernel,
    median_bandwidth,
    mmd2,
    mode_coverage,
    train_digits_classifier,
)
from dlcourse.generative.plots import (
    plot_density,
    plot_image_grid,
    plot_latent_space,
    plot_latent_traversal,
    plot_samples_2d,
)
from dlcourse.generative.vae import VAE, Sampling, bernoulli_log_likelihood, gaussian_kl, reparameterize

__all__ = [
    "Autoencoder", "encoder_network", "decoder_network",
    "VAE", "Sampling", "reparameterize", "gaussian_kl", "bernoulli_log_likelihood",
    "GAN", "value_function", "discriminator_loss", "generator_loss", "optimal_discriminator", "value_at_optimum",
    "mlp_generator", "mlp_discriminator", "dcgan_generator", "dcgan_discriminator",
    "AffineCoupling", "RealNVP", "alternating_masks", "standard_normal_log_prob", "density_on_grid",
    "integrate_on_grid",
    "mmd2", "gaussian_kernel", "median_bandwidth", "mode_coverage", "train_digits_classifier",
    "class_probabilities", "classifier_score",
    "plot_latent_space", "plot_image_grid", "plot_latent_traversal", "plot_samples_2d", "plot_density",
]
