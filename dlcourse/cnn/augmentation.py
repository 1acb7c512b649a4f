"""Data augmentation layers: random crop (pad, then crop) and random horizontal flip.

Chapter 4 ("image classification"). Augmentation shows the network a slightly different
version of every training image in every epoch -- shifted by a few pixels, mirrored -- so that
it learns features that do not depend on the exact position or orientation, and overfits
less. The layers are active only in training (`training=True`, which `model.fit` passes);
at inference they return the images unchanged. Each draws from its own
`keras.random.SeedGenerator`, so a seeded layer gives the same sequence of augmentations.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import is_int, optional_seed

__all__ = ["RandomPaddedCrop", "RandomHorizontalFlip"]


@keras.saving.register_keras_serializable(package="dlcourse")
class RandomPaddedCrop(keras.layers.Layer):
    """Random crop with padding: pad each image with zeros, cut a window of the original size.

    Every image is padded by `padding` pixels on each side and a height x width window is cut
    at a random offset (dy, dx), each uniform in {0, ..., 2 * padding}:

        y[n, i, j, c] = x_pad[n, i + dy_n, j + dx_n, c]

    i.e. the image is shifted by dy - padding rows and dx - padding columns, the uncovered
    border filled with zeros. (The CIFAR-10 recipe of the ResNet paper: padding 4 on 32x32.)
    Offsets are drawn independently per image.

    Args:
        padding: pixels of zero padding on each side, a non-negative integer.
        seed: integer seed of the offsets' generator, or None.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: images, shape (batch, height, width, channels).
        training: True to crop at random offsets; otherwise the images pass unchanged.

    Returns:
        A tensor of the input's shape.

    Example:

    >>> layer = RandomPaddedCrop(2, seed=0)
    >>> x = keras.ops.ones((3, 8, 8, 1))
    >>> tuple(layer(x, training=True).shape), bool(keras.ops.all(layer(x) == x))
    ((3, 8, 8, 1), True)
    """

    def __init__(self, padding, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not is_int(padding) or padding < 0:
            raise ValueError(f"padding must be a non-negative integer (pixels on each side), got {padding!r}.")
        self.padding = int(padding)
        self.seed = optional_seed("seed", seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.built = True

    def call(self, inputs, training=None):
        if not training or self.padding == 0:
            return inputs
        p = self.padding
        batch, height, width = ops.shape(inputs)[0], inputs.shape[1], inputs.shape[2]
        if height is None or width is None:
            raise ValueError(
                f"RandomPaddedCrop needs images of known height and width, got input shape {tuple(inputs.shape)}; "
                "give the model's Input a fixed size."
            )
        padded = ops.pad(inputs, ((0, 0), (p, p), (p, p), (0, 0)))
        offsets = keras.random.randint((batch, 2), 0, 2 * p + 1, seed=self.seed_generator)
        # one-hot row and column selectors pick each image's own window with one einsum
        rows = ops.one_hot(offsets[:, :1] + ops.arange(height)[None, :], height + 2 * p, dtype=inputs.dtype)
        cols = ops.one_hot(offsets[:, 1:] + ops.arange(width)[None, :], width + 2 * p, dtype=inputs.dtype)
        return ops.einsum("nih,nhwc,njw->nijc", rows, padded, cols)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlcourse")
class RandomHorizontalFlip(keras.layers.Layer):
    """Random horizontal flip: mirror each image left-right with probability `probability`.

        y[n] = x[n, :, ::-1, :]   with probability p,   y[n] = x[n]   otherwise

    Use it where mirrored images keep their label (cats, cars), not for digits or text.

    Args:
        probability: p, in [0, 1]. Defaults to 0.5.
        seed: integer seed of the generator, or None.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: images, shape (batch, height, width, channels).
        training: True to flip at random; otherwise the images pass unchanged.

    Returns:
        A tensor of the input's shape.

    Example:

    >>> x = keras.ops.reshape(keras.ops.arange(4.0), (1, 1, 4, 1))
    >>> y = RandomHorizontalFlip(1.0)(x, training=True)
    >>> keras.ops.convert_to_numpy(y)[0, 0, :, 0].tolist()
    [3.0, 2.0, 1.0, 0.0]
    """

    def __init__(self, probability=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 <= probability <= 1:
            raise ValueError(f"probability must be a number in [0, 1], got {probability!r}.")
        self.probability = float(probability)
        self.seed = optional_seed("seed", seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.built = True

    def call(self, inputs, training=None):
        if not training:
            return inputs
        batch = ops.shape(inputs)[0]
        flip = keras.random.uniform((batch, 1, 1, 1), seed=self.seed_generator) < self.probability
        return ops.where(flip, ops.flip(inputs, axis=2), inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "probability": self.probability, "seed": self.seed}
