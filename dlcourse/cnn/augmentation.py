"""Data augmentation layers: random crops (AlexNet's, and pad-then-crop) and random horizontal flips.

Lecture: §4.2.1 Data Augmentation

The notes' data augmentation simulates real-world variations (positions, orientations,
lighting) and enlarges the data set, so that a CNN overfits less and becomes invariant to
transformations that do not matter for the task; AlexNet used random crops and horizontal
flips. The network sees a slightly different version of every training image in every epoch
-- cut at another offset, mirrored -- so it learns features that do not depend on the exact
position or orientation. The layers are random only in training (`training=True`, which
`model.fit` passes); at inference `RandomCrop` cuts the central window and the others return
the images unchanged. Each draws from its own `keras.random.SeedGenerator`, so a seeded layer
gives the same sequence of augmentations. (The layers' rules -- offsets uniform over the legal
positions, flips with probability 1/2, the central crop at test time -- are ours: the notes
name the technique only.)
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import is_int, optional_seed, positive_int

__all__ = ["RandomCrop", "RandomPaddedCrop", "RandomHorizontalFlip"]


def _known_size(layer, inputs):
    height, width = inputs.shape[1], inputs.shape[2]
    if height is None or width is None:
        raise ValueError(
            f"{layer} needs images of known height and width, got input shape {tuple(inputs.shape)}; "
            "give the model's Input a fixed size."
        )
    return height, width


def _windows(images, offsets, height, width):
    """Image n's height x width window at offsets[n] = (top, left), for every n at once."""
    # one-hot row and column selectors pick each image's own window with one einsum
    rows = ops.one_hot(offsets[:, :1] + ops.arange(height)[None, :], images.shape[1], dtype=images.dtype)
    cols = ops.one_hot(offsets[:, 1:] + ops.arange(width)[None, :], images.shape[2], dtype=images.dtype)
    return ops.einsum("nih,nhwc,njw->nijc", rows, images, cols)


@keras.saving.register_keras_serializable(package="dlcourse")
class RandomCrop(keras.layers.Layer):
    """AlexNet's random crop: cut a smaller window at a random position of each training image.

    Each image of shape (H, W, C) gives its height x width window at offsets (top, left), each
    uniform over the legal positions and drawn per image:

        top ~ U{0, ..., H - height},   left ~ U{0, ..., W - width}
        y[n, i, j, c] = x[n, top_n + i, left_n + j, c]

    At inference nothing is random: every image gives its central window, top = (H - height)
    // 2 and left = (W - width) // 2 (as `tf.image.resize_with_crop_or_pad` crops). AlexNet
    trained on 224 x 224 crops of 256 x 256 images this way, mirrored half of the time
    (`RandomHorizontalFlip`). Unlike `keras.layers.RandomCrop`, which draws one offset per
    batch and resizes at inference, every image gets its own offset and inference only crops.

    Args:
        height, width: size of the crop, positive integers no larger than the images.
        seed: integer seed of the offsets' generator, or None.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: images, shape (batch, H, W, channels), with H >= height and W >= width.
        training: True to crop at random offsets; otherwise the central window.

    Returns:
        A tensor of shape (batch, height, width, channels).

    Example:

    >>> import keras
    >>> from dlcourse.cnn import RandomCrop
    >>> x = keras.ops.reshape(keras.ops.arange(16.0), (1, 4, 4, 1))
    >>> crop = RandomCrop(2, 2, seed=0)
    >>> keras.ops.convert_to_numpy(crop(x))[0, :, :, 0].tolist()  # inference: the centre
    [[5.0, 6.0], [9.0, 10.0]]
    >>> tuple(crop(x, training=True).shape)
    (1, 2, 2, 1)
    """

    def __init__(self, height, width, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.height = positive_int("height", height)
        self.width = positive_int("width", width)
        self.seed = optional_seed("seed", seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.built = True

    def _margins(self, inputs):
        height, width = _known_size("RandomCrop", inputs)
        if height < self.height or width < self.width:
            raise ValueError(
                f"RandomCrop({self.height}, {self.width}) cannot cut its window from images of size "
                f"{height} x {width}; use a crop no larger than the images."
            )
        return height - self.height, width - self.width

    def call(self, inputs, training=None):
        rows, cols = self._margins(inputs)
        if not training:
            top, left = rows // 2, cols // 2
            return inputs[:, top : top + self.height, left : left + self.width, :]
        batch = ops.shape(inputs)[0]
        top = keras.random.randint((batch, 1), 0, rows + 1, seed=self.seed_generator)
        left = keras.random.randint((batch, 1), 0, cols + 1, seed=self.seed_generator)
        return _windows(inputs, ops.concatenate([top, left], axis=1), self.height, self.width)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, input_shape[3])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}


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

    >>> import keras
    >>> from dlcourse.cnn import RandomPaddedCrop
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
        height, width = _known_size("RandomPaddedCrop", inputs)
        padded = ops.pad(inputs, ((0, 0), (p, p), (p, p), (0, 0)))
        offsets = keras.random.randint((ops.shape(inputs)[0], 2), 0, 2 * p + 1, seed=self.seed_generator)
        return _windows(padded, offsets, height, width)

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

    >>> import keras
    >>> from dlcourse.cnn import RandomHorizontalFlip
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
