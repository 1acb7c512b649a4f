"""Single-object detection as classification plus localisation: one class and one box per image.

Lecture: §4.4 Object Detection; §4.3 Image Classification; §2.4.1 Cross-Entropy Loss; §2.4.2 MSE Loss

Chapter 4 (object detection). The notes' first detector: an image that holds one object is
classified and its bounding box (x, y, w, h) regressed by the same network, and the total loss
is the class loss plus the L2 loss of the box,

    L = L_cls + lambda * L_box,
    L_cls = -1/N sum_i sum_j y_ij log p_ij                (p_i = softmax of the class scores)
    L_box = 1/N sum_i ||b_i - b^_i||^2 = 1/N sum_i sum_{k in x, y, w, h} (b_ik - b^_ik)^2

with y_ij the one-hot class labels, b_i the true box and b^_i the predicted one; the class head
is §4.3's softmax classifier (which the notes leave unfinished). The box is in
image-normalised centre form (`normalized_centers`): x = (x1 + x2) / (2 W), y = (y1 + y2) / (2 H),
w = (x2 - x1) / W, h = (y2 - y1) / H for a pixel corner box (y1, x1, y2, x2) of an H x W image,
so all four numbers lie in [0, 1] whatever the image size. The notes' "L2 loss" is read as the
squared error, the MSE of §2.4.2 summed over the four numbers. Beyond the notes: the weight
lambda (the notes simply add the two losses: lambda = 1, the default) and the normalisation of
the box. R-CNN's smooth-L1 loss on proposal-relative deltas (`RCNNBoxLoss`, also beyond the
notes) is the multi-object successor of this L2 box loss.
"""

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.detection.rcnn import apply_blocks, conv_pool_blocks

__all__ = ["SingleObjectDetector", "BoxL2Loss"]


@keras.saving.register_keras_serializable(package="dlcourse")
class BoxL2Loss(keras.losses.Loss):
    """The notes' localisation loss: the squared L2 norm of the box error (x, y, w, h).

    For a true box b and a predicted box b^, both (x, y, w, h),

        L_box = ||b - b^||^2 = sum_{k in x, y, w, h} (b_k - b^_k)^2

    per sample, averaged over the batch by the default reduction: four times
    `keras.losses.MeanSquaredError`, which also averages over the four numbers.

    Args:
        **kwargs: base loss arguments (`name`, `reduction`).

    Call arguments:
        y_true: (n, 4), the true boxes.
        y_pred: (n, 4), the predicted boxes.

    Returns:
        The loss, reduced over samples (mean by default).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import BoxL2Loss
    >>> loss = BoxL2Loss(reduction=None)
    >>> error = np.array([[0.1, 0.0, 0.0, 0.2], [0.0, 0.0, 0.0, 0.0]])
    >>> [round(float(v), 3) for v in loss(np.zeros((2, 4)), error)]
    [0.05, 0.0]
    """

    def __init__(self, name="box_l2_loss", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        return ops.sum(ops.square(y_pred - y_true), axis=-1)


def _box_loss_weight(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not value >= 0:
        raise ValueError(f"box_loss_weight must be a number >= 0 (lambda, the weight of the box "
                         f"loss), got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="dlcourse")
class SingleObjectDetector(keras.Model):
    """Classification plus localisation: a small CNN with a class head and a 4-number box head.

    On an image x the shared features are h = Dense(Flatten(CNN(x))), with CNN a stack of
    (3x3 convolution + ReLU + 2x2 max pooling) blocks; then

        class_logits = h W_cls + b_cls    (C class scores s_i; p_i = softmax(s_i))
        box          = h W_box + b_box    (the box (x, y, w, h), image-normalised)

    `compile()` without a `loss` uses the notes' total loss L = L_cls + lambda * L_box:
    `keras.losses.CategoricalCrossentropy(from_logits=True)` on "class_logits" (one-hot
    targets) and `BoxL2Loss` on "box", weighted 1 and `box_loss_weight`. Box targets come from
    `normalized_centers`; a predicted box goes back to pixels with
    `normalized_centers_to_corners`.

    Args:
        num_classes: C, the number of object classes (no background: each image holds one
            object).
        filters: the number of filters of each convolutional block.
        dense_units: width of the shared fully connected layer.
        box_loss_weight: lambda, the weight of the box loss in the default loss, a number >= 0.
        **kwargs: base model arguments (`name`, ...).

    Call arguments:
        images: float tensor of shape (n, H, W, channels).

    Returns:
        A dict with "class_logits" of shape (n, C) and "box" of shape (n, 4).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import SingleObjectDetector
    >>> model = SingleObjectDetector(num_classes=3, filters=(4,), dense_units=8)
    >>> out = model(np.zeros((2, 16, 16, 3), "float32"))
    >>> tuple(out["class_logits"].shape), tuple(out["box"].shape)
    ((2, 3), (2, 4))
    """

    def __init__(self, num_classes, filters=(16, 32), dense_units=64, box_loss_weight=1.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.num_classes = positive_int("num_classes", num_classes)
        self.filters = tuple(positive_int("filters", f) for f in filters)
        self.dense_units = positive_int("dense_units", dense_units)
        self.box_loss_weight = _box_loss_weight(box_loss_weight)
        self.blocks = conv_pool_blocks(self.filters)
        self.flatten = keras.layers.Flatten()
        self.dense = keras.layers.Dense(self.dense_units, activation="relu", name="features")
        self.class_head = keras.layers.Dense(self.num_classes, name="class_logits")
        self.box_head = keras.layers.Dense(4, name="box")

    def call(self, images):
        h = self.dense(self.flatten(apply_blocks(self.blocks, images)))
        return {"class_logits": self.class_head(h), "box": self.box_head(h)}

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, **kwargs):
        """Keras' `compile`; with no `loss`, the notes' loss L_cls + box_loss_weight * L_box."""
        if loss is None:
            loss = {"class_logits": keras.losses.CategoricalCrossentropy(from_logits=True),
                    "box": BoxL2Loss()}
            if loss_weights is None:
                loss_weights = {"class_logits": 1.0, "box": self.box_loss_weight}
        super().compile(optimizer=optimizer, loss=loss, loss_weights=loss_weights, **kwargs)

    def compile_from_config(self, config):
        # Keras skips this for a model whose compile() is overridden; ours only fills in the
        # default loss, and the saved config holds the losses and weights actually used.
        config = keras.saving.deserialize_keras_object(config)
        self.compile(**config)
        if self.built:
            self.optimizer.build(self.trainable_variables)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "filters": list(self.filters), "dense_units": self.dense_units,
                "box_loss_weight": self.box_loss_weight}
