"""Transfer learning: a trained CNN's frozen features with a new classifier head.

Lecture: §4.4 Object Detection; §4.1 Basic structure and components

The notes mention transfer learning once: a sliding-window detector classifies its crops with a
network pre-trained on ImageNet. Worked out beyond the notes: the convolution and pooling
layers of a trained CNN compute features that serve other images too, and only its last,
fully connected layer belongs to the old classes. For a new task with few labels, keep the
feature extractor phi frozen and train a new head:

    scores = phi(x) W + b

`select_classes` cuts a data set into such tasks (e.g. pre-train on the digits 0-4, transfer
to 5-9); `feature_extractor` and `transfer_model` build the frozen extractor and the model
with its new head. On the digits 5-9 with three labels a class and ten training steps, the
transferred head classifies about three quarters of the test images right and the same
network trained from scratch under two thirds (tests/test_cnn_transfer.py); with many more
steps the scratch network catches up on these easy 8x8 images.
"""

from __future__ import annotations

import keras
import numpy as np

from dlcourse.arguments import int_at_least, is_int, optional_seed

__all__ = ["select_classes", "feature_extractor", "transfer_model"]


def select_classes(x, y, classes):
    """The samples of the given classes, relabelled 0, 1, ... in the order of `classes`.

    Args:
        x: samples, an array whose first axis is the sample.
        y: integer labels, shape (N,).
        classes: the labels to keep, distinct integers; label classes[i] becomes i.

    Returns:
        The tuple (x_sub, y_sub) of the kept samples in their order in x, y_sub int64.

    Example:

    >>> import numpy as np
    >>> from dlcourse.cnn import select_classes
    >>> x_sub, y_sub = select_classes(np.arange(6), np.array([0, 5, 7, 5, 1, 7]), [7, 5])
    >>> x_sub.tolist(), y_sub.tolist()
    ([1, 2, 3, 5], [1, 0, 1, 0])
    """
    x, y = np.asarray(x), np.asarray(y)
    if y.shape != (len(x),):
        raise ValueError(f"y must hold one label per sample, shape ({len(x)},), got shape {y.shape}.")
    classes = list(classes)
    if not classes or any(not is_int(c) for c in classes) or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be a non-empty sequence of distinct integer labels, got {classes!r}.")
    keep = np.isin(y, classes)
    kept = y[keep]
    y_sub = np.empty(len(kept), dtype=np.int64)
    for new, old in enumerate(classes):
        y_sub[kept == old] = new
    return x[keep], y_sub


def _feature_layer(base, layer):
    if not isinstance(base, keras.Model) or not base.inputs:
        raise ValueError("base must be a built keras.Model (a Sequential on a keras.Input, or a functional model).")
    if is_int(layer):
        layers = [l for l in base.layers if not isinstance(l, keras.layers.InputLayer)]
        if not -len(layers) <= layer < len(layers):
            raise ValueError(f"layer {layer} is not a layer of {base.name!r}, which has {len(layers)} layers.")
        return layers[layer]
    if isinstance(layer, str):
        return base.get_layer(layer)
    raise ValueError(f"layer must be an index or a layer name, got {layer!r}.")


def feature_extractor(base, layer=-2, trainable=False, name="features"):
    """The model from base's input to one of its layers' output, sharing base's layers and weights.

    Args:
        base: a trained keras.Model (a Sequential built on a keras.Input, or a functional model).
        layer: the layer whose output are the features: an index into base.layers (InputLayer
            not counted) or a name. Defaults to -2, the layer before the classifier.
        trainable: False (the default) freezes every layer of the extractor -- which, being
            shared, freezes them in base too; a frozen BatchNormalization also stops updating
            its moving statistics.
        name: the extractor's name.

    Returns:
        A keras.Model mapping base's inputs to the features.

    Example:

    >>> import keras
    >>> from dlcourse.cnn import feature_extractor
    >>> base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    >>> phi = feature_extractor(base)
    >>> phi.output_shape, len(phi.trainable_weights), len(phi.non_trainable_weights)
    ((None, 3), 0, 2)
    """
    features = _feature_layer(base, layer)
    extractor = keras.Model(base.inputs[0] if len(base.inputs) == 1 else base.inputs, features.output, name=name)
    extractor.trainable = bool(trainable)
    return extractor


def transfer_model(base, num_classes, layer=-2, dropout=0.0, seed=None, name="transfer"):
    """base's frozen feature extractor with a new Dense(num_classes) head: transfer learning.

        scores = Dense(num_classes)(Dropout(phi(x)))      phi = feature_extractor(base, layer), frozen

    Only the head (num_features * num_classes + num_classes weights) trains; `model.fit` leaves
    base's weights and batch-normalization statistics as they were. To fine-tune afterwards,
    set `model.layers[0].trainable = True` and fit on with a small learning rate.

    Args:
        base: a trained keras.Model, as for `feature_extractor`.
        num_classes: classes of the new task, an integer >= 2.
        layer: the features' layer, as for `feature_extractor`. Defaults to -2.
        dropout: dropout rate before the head, in [0, 1). Defaults to 0.
        seed: integer seed of the head's initializer and dropout, or None.
        name: the model's name.

    Returns:
        An uncompiled keras.Sequential [extractor, (Dropout,) head] mapping base's inputs to
        (batch, num_classes) scores (logits); the head is its last layer, named "head".

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from dlcourse.cnn import transfer_model
    >>> base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    >>> model = transfer_model(base, 5, seed=0)
    >>> model.output_shape, model.count_params() - sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    ((None, 5), 20)
    """
    num_classes = int_at_least("num_classes", num_classes, 2)
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}.")
    seed = optional_seed("seed", seed)
    layers = [feature_extractor(base, layer)]
    if dropout:
        layers.append(keras.layers.Dropout(dropout, seed=seed))
    layers.append(keras.layers.Dense(num_classes, kernel_initializer=keras.initializers.GlorotUniform(seed),
                                     name="head"))
    return keras.Sequential(layers, name=name)
