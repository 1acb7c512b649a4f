"""A small convolutional network for image classification, built from the chapter's layers.

Lecture: §4.1 Basic structure and components; §4.3 Image Classification
"""

from __future__ import annotations

import keras

from dlcourse.arguments import int_at_least, is_int
from dlcourse.cnn.augmentation import RandomPaddedCrop
from dlcourse.cnn.convolution import Conv2D
from dlcourse.cnn.pooling import GlobalAveragePooling2D, MaxPooling2D

__all__ = ["small_cnn"]


def small_cnn(input_shape=(8, 8, 1), num_classes=10, filters=(32, 64), head="flatten", dropout=0.3,
              augmentation_padding=0, seed=None, name="small_cnn"):
    """A small CNN classifier: (conv 3x3 - ReLU - max pool 2x2) blocks, then a dense classifier.

    The notes' general structure of a CNN (§4.1) -- convolution layers extract local features,
    a non-linear layer (ReLU) follows each, pooling downsamples, a fully connected layer
    classifies:

        [RandomPaddedCrop] -> for each f in filters: Conv2D(f, 3, "same", ReLU) -> MaxPooling2D(2)
        -> Flatten (or GlobalAveragePooling2D) -> Dropout -> Dense(num_classes)

    The output is the class scores (logits): train with
    `keras.losses.SparseCategoricalCrossentropy(from_logits=True)`. On scikit-learn's 8x8 digits
    (`dlcourse.data.load_digits`, a stratified 80/20 split) it reaches about 98% test accuracy
    after 40 epochs of Adam (learning rate 2e-3, batch 32): a few seconds on a laptop CPU.

    Args:
        input_shape: (height, width, channels) of the images; each pooling halves height and
            width, so they must be at least 2 ** len(filters).
        num_classes: number of classes, an integer >= 2.
        filters: channels of the convolution blocks, a sequence of positive integers.
        head: "flatten" (keep where each feature is) or "global_average" (average every channel
            over the image: fewer weights, any image size).
        dropout: dropout rate before the last dense layer, in [0, 1).
        augmentation_padding: if > 0, a `RandomPaddedCrop` with this padding comes first
            (active only in training).
        seed: integer seed of the initializers, dropout and augmentation, or None.
        name: the model's name.

    Returns:
        An uncompiled `keras.Sequential` mapping (batch, *input_shape) to (batch, num_classes).

    Example:

    >>> import keras
    >>> from dlcourse.cnn import small_cnn
    >>> model = small_cnn((8, 8, 1), 10, seed=0)
    >>> tuple(model(keras.ops.zeros((2, 8, 8, 1))).shape)
    (2, 10)
    """
    if len(tuple(input_shape)) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}.")
    num_classes = int_at_least("num_classes", num_classes, 2)
    filters = tuple(filters)
    if not filters or any(not is_int(f) or f < 1 for f in filters):
        raise ValueError(f"filters must be a non-empty sequence of positive integers, got {filters!r}.")
    filters = tuple(int(f) for f in filters)
    if min(input_shape[:2]) < 2 ** len(filters):
        raise ValueError(
            f"input_shape {tuple(input_shape)} is too small for {len(filters)} poolings; "
            f"use at most {max(min(input_shape[:2]).bit_length() - 1, 0)} entries in filters."
        )
    if head not in ("flatten", "global_average"):
        raise ValueError(f'head must be "flatten" or "global_average", got {head!r}.')
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}.")

    def seeded(offset):
        return None if seed is None else seed + offset

    layers = [keras.Input(tuple(input_shape))]
    if augmentation_padding:
        layers.append(RandomPaddedCrop(augmentation_padding, seed=seed))
    for index, width in enumerate(filters):
        layers += [
            Conv2D(width, 3, padding="same", activation="relu",
                   kernel_initializer=keras.initializers.HeNormal(seed=seeded(index))),
            MaxPooling2D(2),
        ]
    layers.append(keras.layers.Flatten() if head == "flatten" else GlobalAveragePooling2D())
    if dropout:
        layers.append(keras.layers.Dropout(dropout, seed=seeded(len(filters))))
    layers.append(keras.layers.Dense(
        num_classes, kernel_initializer=keras.initializers.GlorotUniform(seed=seeded(len(filters) + 1))))
    return keras.Sequential(layers, name=name)
