"""Autoencoders: an encoder to a low-dimensional latent code and a decoder back, dense or convolutional.

Lecture: §6 Generative Model; §6.1 Variational Autoencoders(VAE)

The notes' autoencoder learns, without labels, a lower-dimensional representation z of x and a
decoder that reconstructs x from z. Here x is an image (H, W, C) with values in [0, 1]; the
decoder outputs logits a of x_hat = sigmoid(a), trained with the per-pixel binary cross-entropy
-[x log x_hat + (1 - x) log(1 - x_hat)] (the Bernoulli negative log-likelihood, our choice of
reconstruction loss). `encoder_network` and `decoder_network` are shared with the VAE.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["Autoencoder", "encoder_network", "decoder_network"]

_ARCHITECTURES = ("dense", "conv")


def _check_architecture(architecture, image_shape, filters):
    if architecture not in _ARCHITECTURES:
        raise ValueError(f"architecture must be one of {_ARCHITECTURES}, got {architecture!r}.")
    if len(image_shape) != 3:
        raise ValueError(f"image_shape must be (height, width, channels), got {tuple(image_shape)!r}.")
    if architecture == "conv":
        step = 2 ** len(filters)
        if image_shape[0] % step or image_shape[1] % step:
            raise ValueError(f"a conv autoencoder with {len(filters)} stride-2 layers needs height and width "
                             f"divisible by {step}, got image_shape {tuple(image_shape)!r}.")


def encoder_network(image_shape, output_units, architecture="dense", hidden_units=(128,), filters=(16, 32),
                    name="encoder"):
    """The encoder body: image (B, H, W, C) -> features (B, output_units), linear output.

    "dense" flattens and applies ReLU Dense layers of `hidden_units`; "conv" applies stride-2
    3x3 ReLU convolutions of `filters` (each halves H and W), then flattens.

    Args:
        image_shape: (H, W, C) of the inputs.
        output_units: size of the output (the latent size, or 2 x latent for a VAE).
        architecture: "dense" or "conv".
        hidden_units: widths of the dense hidden layers (both architectures).
        filters: channels of the stride-2 convolutions ("conv" only).
        name: the model's name.

    Returns:
        A `keras.Sequential`.

    Example:

    >>> from dlcourse.generative import encoder_network
    >>> encoder_network((8, 8, 1), 2).output_shape
    (None, 2)
    """
    _check_architecture(architecture, image_shape, filters)
    layers = [keras.Input(tuple(image_shape))]
    if architecture == "conv":
        layers += [keras.layers.Conv2D(f, 3, strides=2, padding="same", activation="relu") for f in filters]
    layers.append(keras.layers.Flatten())
    layers += [keras.layers.Dense(u, activation="relu") for u in hidden_units]
    layers.append(keras.layers.Dense(output_units))
    return keras.Sequential(layers, name=name)


def decoder_network(image_shape, latent_dim, architecture="dense", hidden_units=(128,), filters=(16, 32),
                    name="decoder"):
    """The decoder: latent z (B, latent_dim) -> logits of the image (B, H, W, C).

    "dense" mirrors the dense encoder and reshapes; "conv" maps z to a (H / 2^L, W / 2^L,
    filters[-1]) grid and upsamples with stride-2 transposed convolutions of reversed `filters`,
    ending in a 3x3 convolution to C channels.

    Args:
        image_shape: (H, W, C) of the images.
        latent_dim: size of z.
        architecture: "dense" or "conv".
        hidden_units: widths of the dense hidden layers, applied in reverse order.
        filters: as for `encoder_network`.
        name: the model's name.

    Returns:
        A `keras.Sequential` whose outputs are logits (apply a sigmoid for pixel values).

    Example:

    >>> from dlcourse.generative import decoder_network
    >>> decoder_network((8, 8, 1), 2, "conv").output_shape
    (None, 8, 8, 1)
    """
    _check_architecture(architecture, image_shape, filters)
    height, width, channels = image_shape
    layers = [keras.Input((latent_dim,))]
    layers += [keras.layers.Dense(u, activation="relu") for u in reversed(hidden_units)]
    if architecture == "dense":
        layers += [keras.layers.Dense(math.prod(image_shape)), keras.layers.Reshape(tuple(image_shape))]
    else:
        step = 2 ** len(filters)
        grid = (height // step, width // step, filters[-1])
        layers += [keras.layers.Dense(math.prod(grid), activation="relu"), keras.layers.Reshape(grid)]
        layers += [keras.layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")
                   for f in reversed(filters)]
        layers.append(keras.layers.Conv2D(channels, 3, padding="same"))
    return keras.Sequential(layers, name=name)


@keras.saving.register_keras_serializable(package="dlcourse")
class Autoencoder(keras.Model):
    """A deterministic autoencoder x -> z = encoder(x) -> x_hat = sigmoid(decoder(z)).

    Trained with `compile(optimizer, loss="binary_crossentropy")` and `fit(x, x)`: the
    reconstruction loss is the mean per-pixel binary cross-entropy between x and x_hat. With
    `latent_dim=2` the codes of the digits can be plotted directly (`plot_latent_space`).

    Args:
        image_shape: (H, W, C) of the images, values in [0, 1].
        latent_dim: size of the code z.
        architecture: "dense" or "conv" (see `encoder_network`).
        hidden_units: widths of the dense hidden layers.
        filters: channels of the stride-2 convolutions ("conv").

    Call arguments:
        x: images (B, H, W, C).

    Returns:
        The reconstructions x_hat (B, H, W, C) in (0, 1).

    Example:

    >>> import keras
    >>> from dlcourse.generative import Autoencoder
    >>> model = Autoencoder((8, 8, 1), latent_dim=2)
    >>> images = keras.ops.zeros((3, 8, 8, 1))
    >>> tuple(model(images).shape), tuple(model.encode(images).shape)
    ((3, 8, 8, 1), (3, 2))
    """

    def __init__(self, image_shape=(8, 8, 1), latent_dim=2, architecture="dense", hidden_units=(128,),
                 filters=(16, 32), **kwargs):
        super().__init__(**kwargs)
        self.image_shape = tuple(int(d) for d in image_shape)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.architecture = architecture
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.filters = tuple(int(f) for f in filters)
        self.encoder = encoder_network(self.image_shape, self.latent_dim, architecture, self.hidden_units,
                                       self.filters)
        self.decoder = decoder_network(self.image_shape, self.latent_dim, architecture, self.hidden_units,
                                       self.filters)
        self.built = True  # both networks are built from their Inputs

    def encode(self, x):
        """The code z (B, latent_dim) of images x (B, H, W, C)."""
        return self.encoder(ops.convert_to_tensor(x, "float32"))

    def decode(self, z):
        """Reconstructed images sigmoid(decoder(z)), (B, H, W, C)."""
        return ops.sigmoid(self.decoder(ops.convert_to_tensor(z, "float32")))

    def call(self, x):
        return self.decode(self.encode(x))

    def get_config(self):
        return {**super().get_config(), "image_shape": self.image_shape, "latent_dim": self.latent_dim,
                "architecture": self.architecture, "hidden_units": self.hidden_units, "filters": self.filters}
