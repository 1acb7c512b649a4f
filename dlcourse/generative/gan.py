"""Generative adversarial networks: the notes' minimax game, its losses and its optimal discriminator.

Lecture: §6.2 Generative Adversarial Network(GAN)

The notes' game: the discriminator D pushes D(x) towards 1 on real data and D(G(z)) towards 0
on generated data, the generator G pushes D(G(z)) towards 1, and both play

    min_G max_D V(D, G) = E_{x ~ p_data(x)}[ log D(x) ] + E_{z ~ p_z(z)}[ log(1 - D(G(z))) ].

Here D outputs a logit a, D = sigmoid(a), and the losses are written with softplus so that they
stay finite (log sigmoid(a) = -softplus(-a), log(1 - sigmoid(a)) = -softplus(a)):

- D minimises -V = mean softplus(-a(x)) + mean softplus(a(G(z)));
- G minimises, as the notes write it, the saturating mean log(1 - D(G(z))), or (beyond the
  notes, Goodfellow et al.'s practical choice) the non-saturating -mean log D(G(z)). Both have
  the same fixed point, but when D wins early (a(G(z)) very negative) the saturating loss's
  gradient -sigmoid(a) vanishes while the non-saturating one's, -(1 - sigmoid(a)), is near -1.

Beyond the notes: for a fixed G, V is maximised point by point by
D*(x) = p_data(x) / (p_data(x) + p_g(x)), where V(D*, G) = -log 4 + 2 JSD(p_data || p_g).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.generative import _gradients

__all__ = [
    "value_function", "discriminator_loss", "generator_loss", "optimal_discriminator", "value_at_optimum",
    "mlp_generator", "mlp_discriminator", "dcgan_generator", "dcgan_discriminator", "GAN",
]

_GENERATOR_LOSSES = ("non_saturating", "saturating")


def value_function(real_logits, fake_logits):
    """The notes' V(D, G) estimated on a batch: mean log D(x) + mean log(1 - D(G(z))).

    Args:
        real_logits: D's logits on real examples, (M,) or (M, 1).
        fake_logits: D's logits on generated examples, (M',) or (M', 1).

    Returns:
        A scalar tensor.

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import value_function
    >>> round(float(value_function(ops.zeros(3), ops.zeros(2))), 4)  # D = 1/2 everywhere: -log 4
    -1.3863
    """
    return -ops.mean(ops.softplus(-real_logits)) - ops.mean(ops.softplus(fake_logits))


def discriminator_loss(real_logits, fake_logits):
    """-V(D, G): what D minimises, mean softplus(-a(x)) + mean softplus(a(G(z))).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import discriminator_loss
    >>> round(float(discriminator_loss(ops.array([10.0]), ops.array([-10.0]))), 4)  # D winning
    0.0001
    """
    return -value_function(real_logits, fake_logits)


def generator_loss(fake_logits, kind="non_saturating"):
    """G's loss on D's logits of generated examples.

    "saturating" is the notes' mean log(1 - D(G(z))) = -mean softplus(a); "non_saturating"
    is -mean log D(G(z)) = mean softplus(-a) (see the module docstring for why).

    Example:

    >>> from keras import ops
    >>> from dlcourse.generative import generator_loss
    >>> a = ops.array([-8.0])  # D(G(z)) = 0.0003: D wins
    >>> round(float(generator_loss(a, "saturating")), 4), round(float(generator_loss(a)), 4)
    (-0.0003, 8.0003)
    """
    if kind not in _GENERATOR_LOSSES:
        raise ValueError(f"generator loss must be one of {_GENERATOR_LOSSES}, got {kind!r}.")
    if kind == "saturating":
        return -ops.mean(ops.softplus(fake_logits))
    return ops.mean(ops.softplus(-fake_logits))


def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) from density values (numpy), 1/2 where both are 0.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import optimal_discriminator
    >>> optimal_discriminator(np.array([1.0, 0.0, 3.0]), np.array([1.0, 0.0, 1.0])).tolist()
    [0.5, 0.5, 0.75]
    """
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    total = p_data + p_g
    return np.divide(p_data, total, out=np.full(np.shape(total), 0.5), where=total > 0)


def value_at_optimum(p_data, p_g, dx):
    """V(D*, G) as a Riemann sum on an even 1-D grid of spacing dx, with 0 log 0 = 0.

    Equals -log 4 + 2 JSD(p_data || p_g) (natural logarithms).

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import value_at_optimum
    >>> p = np.full(10, 0.1)
    >>> round(value_at_optimum(p, p, 1.0), 4)
    -1.3863
    """
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    total = p_data + p_g
    # log D* = log p_data - log(p_data + p_g) and log(1 - D*) = log p_g - log(p_data + p_g): no
    # 1 - D* that rounds to 0 where p_g is tiny but positive.
    log_total = np.log(np.where(total > 0, total, 1.0))
    real = np.where(p_data > 0, p_data * (np.log(np.where(p_data > 0, p_data, 1.0)) - log_total), 0.0)
    fake = np.where(p_g > 0, p_g * (np.log(np.where(p_g > 0, p_g, 1.0)) - log_total), 0.0)
    return float(np.sum(real + fake) * dx)


def mlp_generator(latent_dim, output_dim, hidden_units=(128, 128), name="generator"):
    """G: z (B, latent_dim) -> x (B, output_dim), ReLU hidden layers and a linear output.

    Example:

    >>> from dlcourse.generative import mlp_generator
    >>> mlp_generator(2, 2).output_shape
    (None, 2)
    """
    layers = [keras.Input((latent_dim,))] + [keras.layers.Dense(u, activation="relu") for u in hidden_units]
    return keras.Sequential(layers + [keras.layers.Dense(output_dim)], name=name)


def mlp_discriminator(input_dim, hidden_units=(128, 128), name="discriminator"):
    """D: x (B, input_dim) -> one logit (B, 1), LeakyReLU(0.2) hidden layers.

    Example:

    >>> from dlcourse.generative import mlp_discriminator
    >>> mlp_discriminator(2).output_shape
    (None, 1)
    """
    layers = [keras.Input((input_dim,))]
    for units in hidden_units:
        layers += [keras.layers.Dense(units), keras.layers.LeakyReLU(0.2)]
    return keras.Sequential(layers + [keras.layers.Dense(1)], name=name)


def dcgan_generator(latent_dim, image_shape=(8, 8, 1), filters=(64, 32), name="generator"):
    """A small DCGAN generator: Dense to a (H/4, W/4, filters[0]) grid, two stride-2 transposed
    convolutions with batch normalisation and ReLU, a sigmoid 3x3 convolution to (H, W, C).

    Example:

    >>> from dlcourse.generative import dcgan_generator
    >>> dcgan_generator(16).output_shape
    (None, 8, 8, 1)
    """
    height, width, channels = image_shape
    grid = (height // 4, width // 4, filters[0])
    layers = [keras.Input((latent_dim,)), keras.layers.Dense(int(np.prod(grid))), keras.layers.BatchNormalization(),
              keras.layers.ReLU(), keras.layers.Reshape(grid)]
    for f in filters:
        layers += [keras.layers.Conv2DTranspose(f, 4, strides=2, padding="same"), keras.layers.BatchNormalization(),
                   keras.layers.ReLU()]
    layers.append(keras.layers.Conv2D(channels, 3, padding="same", activation="sigmoid"))
    return keras.Sequential(layers, name=name)


def dcgan_discriminator(image_shape=(8, 8, 1), filters=(32, 64), name="discriminator"):
    """A small DCGAN discriminator: stride-2 4x4 convolutions with LeakyReLU(0.2), one logit.

    Example:

    >>> from dlcourse.generative import dcgan_discriminator
    >>> dcgan_discriminator().output_shape
    (None, 1)
    """
    layers = [keras.Input(tuple(image_shape))]
    for f in filters:
        layers += [keras.layers.Conv2D(f, 4, strides=2, padding="same"), keras.layers.LeakyReLU(0.2)]
    return keras.Sequential(layers + [keras.layers.Flatten(), keras.layers.Dense(1)], name=name)


@keras.saving.register_keras_serializable(package="dlcourse")
class GAN(_gradients.TensorFlowSteps, keras.Model):
    """A generator and a discriminator trained by alternating updates of the notes' game.

    Each `train_step` on a batch x of M real examples draws z ~ N(0, I) and

    1. updates D by one step of its optimizer on -V(D, G) (D(x) -> 1, D(G(z)) -> 0);
    2. draws a fresh z and updates G by one step on the generator loss (D(G(z)) -> 1),
       "non_saturating" (default) or the notes' "saturating" log(1 - D(G(z))).

    It reports `d_loss`, `g_loss`, `d_real` (mean D(x)) and `d_fake` (mean D(G(z))).
    Compile with `compile(discriminator_optimizer=..., generator_optimizer=...)`.

    Args:
        generator: a Keras model z (B, latent_dim) -> x.
        discriminator: a Keras model x -> logits (B, 1).
        latent_dim: size of z.
        generator_loss: "non_saturating" or "saturating".
        seed: seed of the noise z.

    Call arguments:
        z: latent codes (B, latent_dim).

    Returns:
        Generated examples G(z).

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import GAN, mlp_generator, mlp_discriminator
    >>> gan = GAN(mlp_generator(2, 2, (8,)), mlp_discriminator(2, (8,)), latent_dim=2, seed=0)
    >>> gan.compile()
    >>> sorted(gan.train_on_batch(np.zeros((4, 2), "float32"), return_dict=True))
    ['d_fake', 'd_loss', 'd_real', 'g_loss']
    """

    def __init__(self, generator, discriminator, latent_dim, generator_loss="non_saturating", seed=None, **kwargs):
        super().__init__(**kwargs)
        if generator_loss not in _GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {_GENERATOR_LOSSES}, got {generator_loss!r}.")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.generator_loss = generator_loss
        self.seed = seed
        self.noise = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")}
        self.built = bool(generator.built and discriminator.built)

    @property
    def metrics(self):
        return list(self.trackers.values())

    def compile(self, discriminator_optimizer="adam", generator_optimizer="adam", **kwargs):
        """Set the two optimizers (names or instances); other arguments go to `keras.Model.compile`."""
        super().compile(**kwargs)
        self.discriminator_optimizer = keras.optimizers.get(discriminator_optimizer)
        self.generator_optimizer = keras.optimizers.get(generator_optimizer)

    def get_compile_config(self):
        if not getattr(self, "discriminator_optimizer", None):
            return None
        return {"discriminator_optimizer": keras.saving.serialize_keras_object(self.discriminator_optimizer),
                "generator_optimizer": keras.saving.serialize_keras_object(self.generator_optimizer)}

    def compile_from_config(self, config):
        self.compile(discriminator_optimizer=keras.saving.deserialize_keras_object(config["discriminator_optimizer"]),
                     generator_optimizer=keras.saving.deserialize_keras_object(config["generator_optimizer"]))

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def sample(self, num_samples, seed=None):
        """Generated examples G(z) for z ~ N(0, I), (num_samples, ...)."""
        z = keras.random.normal((num_samples, self.latent_dim), seed=self.noise if seed is None else seed)
        return self.generator(z, training=False)

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        x = ops.convert_to_tensor(x, "float32")
        batch = ops.shape(x)[0]

        def d_loss():
            z = keras.random.normal((batch, self.latent_dim), seed=self.noise)
            real = self.discriminator(x, training=True)
            fake = self.discriminator(self.generator(z, training=True), training=True)
            loss = discriminator_loss(real, fake)
            return loss, {"d_loss": loss, "d_real": ops.mean(ops.sigmoid(real)), "d_fake": ops.mean(ops.sigmoid(fake))}

        def g_loss():
            z = keras.random.normal((batch, self.latent_dim), seed=self.noise)
            loss = generator_loss(self.discriminator(self.generator(z, training=True), training=True),
                                  self.generator_loss)
            return loss, {"g_loss": loss}

        logs = _gradients.minimise(self.discriminator_optimizer, d_loss,
                                   lambda: self.discriminator.trainable_variables)
        logs.update(_gradients.minimise(self.generator_optimizer, g_loss,
                                        lambda: self.generator.trainable_variables))
        for name, value in logs.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def get_config(self):
        return {**super().get_config(), "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim, "generator_loss": self.generator_loss, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        config["discriminator"] = keras.saving.deserialize_keras_object(config["discriminator"])
        return cls(**config)
