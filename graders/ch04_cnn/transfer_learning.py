"""Grader for ch04_cnn/transfer_learning.

Each Keras probe builds the same small pre-trained network (convolution, batch normalization,
pooling, convolution, global average pooling, a Dense head of 5 classes) with seeded weights,
so the student's feature extractor and transfer model are compared with the reference's on the
same weights. The training check fits one epoch (two steps) of plain SGD on random images.
"""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras.applications", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "select_classes": {"x": "(n, ...)", "y": "(n,) int"},
    "feature_extractor": {},
    "transfer_model": {},
}


def _base(seed=0):
    """The pre-trained network: 8x8 grey images -> 6 features -> 5 classes, seeded weights."""
    import keras

    base = keras.Sequential([
        keras.Input((8, 8, 1)),
        keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(6, 3, padding="same", activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(5),
    ], name="base")
    rng = np.random.default_rng(seed)
    weights = []
    for w in base.get_weights():
        if w.ndim == 1 and np.all(w == 1):  # BatchNormalization gamma or moving variance
            weights.append(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
        else:
            weights.append(rng.normal(0, 0.5, w.shape).astype("float32"))
    base.set_weights(weights)
    return base


def _images(seed, n):
    return np.random.default_rng(seed).uniform(0, 1, (n, 8, 8, 1)).astype("float32")


def _numpy(x):
    import keras

    return keras.ops.convert_to_numpy(x)


def _counts(model):
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return np.array([trainable, frozen], dtype=float)


@check(points=1, visible=True)
def select_classes_relabels(sub):
    """select_classes of 30 samples for the classes (2, 3): the samples of 2 and 3 in their order,
    2 relabelled 0 and 3 relabelled 1."""
    x = np.arange(30 * 4, dtype=float).reshape(30, 2, 2, 1)
    y = np.random.default_rng(0).integers(0, 5, 30)
    x_sub, y_sub = sub.select_classes(x, y, (2, 3))
    return {"x_sub": x_sub, "y_sub": np.asarray(y_sub).astype(float)}


@check(points=1, hint="label classes[i] becomes i, in the order of `classes` as given (not sorted), and the "
                      "samples keep their order in x.")
def select_classes_in_the_given_order(sub):
    """classes (9, 0, 4) in that order: 9 -> 0, 0 -> 1, 4 -> 2; one class alone (all labels 0)."""
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(60, 3)), rng.integers(0, 10, 60)
    x_sub, y_sub = sub.select_classes(x, y, [9, 0, 4])
    x_one, y_one = sub.select_classes(x, y, [7])
    return {"x_sub": x_sub, "y_sub": np.asarray(y_sub).astype(float),
            "x_one": x_one, "y_one": np.asarray(y_one).astype(float)}


@check(points=1, rtol=1e-4, atol=1e-5, hint="the feature extractor ends at the output of the base's second-to-last "
                                           "layer (the 6 pooled features), and none of its weights is trainable.")
def frozen_feature_extractor(sub):
    """feature_extractor(base) on 4 images: the base's 6 pooled features, and its (trainable, frozen)
    weight counts (0, 278)."""
    base = _base(0)
    extractor = sub.feature_extractor(base)
    return {"features": _numpy(extractor(_images(1, 4), training=False)), "counts": _counts(extractor)}


@check(points=1, rtol=1e-4, atol=1e-5, hint="transfer_model is the frozen extractor plus a new Dense(num_classes) "
                                           "as its last layer: 6 * 3 + 3 = 21 trainable weights.")
def transfer_model_head(sub):
    """transfer_model(base, 3): (trainable, frozen) weight counts (21, 278) -- the old head is gone --
    and, with the new head's weights set, the scores of 4 images."""
    base = _base(2)
    model = sub.transfer_model(base, 3, seed=0)
    head = model.layers[-1]
    rng = np.random.default_rng(3)
    head.set_weights([rng.normal(size=(6, 3)).astype("float32"), rng.normal(size=3).astype("float32")])
    return {"counts": _counts(model), "scores": _numpy(model(_images(4, 4), training=False))}


def _only_head_moved(student, reference):
    frozen = float(np.asarray(student.get("frozen_change", np.inf)))
    if not frozen == 0.0:
        raise AssertionError(
            f"fitting the transfer model changed the base's weights or batch-normalization statistics (by up to "
            f"{frozen:.3g}): set trainable = False on every layer of the feature extractor.")
    if float(np.asarray(student.get("head_change", 0.0))) <= 0.0:
        raise AssertionError("fitting the transfer model left the new head unchanged: the head must be trainable.")
    if float(np.asarray(student.get("old_head_change", np.inf))) != 0.0:
        raise AssertionError("fitting the transfer model changed the base's own classifier; leave it out of the model.")
    if np.shape(student.get("scores")) != (32, 4):
        raise AssertionError(f"the transfer model's scores have shape {np.shape(student.get('scores'))}, expected (32, 4).")


@check(points=2, compare=_only_head_moved)
def fit_moves_only_the_head(sub):
    """one epoch of SGD (2 steps) on 32 images with 4 new classes: the base's weights and its
    batch-normalization statistics stay exactly as they were, the new head's weights move."""
    import keras

    keras.utils.set_random_seed(0)
    base = _base(5)
    before = [w.copy() for w in base.get_weights()]
    model = sub.transfer_model(base, 4, seed=1)
    head_before = [w.copy() for w in model.layers[-1].get_weights()]
    x, y = _images(6, 32), np.random.default_rng(7).integers(0, 4, 32)
    model.compile(optimizer=keras.optimizers.SGD(0.5),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    after = base.get_weights()
    head_after = model.layers[-1].get_weights()
    return {
        "frozen_change": max(float(np.max(np.abs(a - b))) for a, b in zip(after[:-2], before[:-2])),
        "old_head_change": max(float(np.max(np.abs(a - b))) for a, b in zip(after[-2:], before[-2:])),
        "head_change": max(float(np.max(np.abs(a - b))) for a, b in zip(head_after, head_before)),
        "scores": _numpy(model(x, training=False)),
    }
