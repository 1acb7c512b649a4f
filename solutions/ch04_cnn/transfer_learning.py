# %% [markdown]
"""Transfer learning: reuse a trained CNN's features for new classes (6 points)
Lecture: §4.4 Object Detection; §4.1 Basic structure and components

The notes meet transfer learning in passing: a sliding-window detector feeds its crops to a
network pre-trained on ImageNet instead of training one from scratch. The idea, worked out
here beyond the notes: the convolution and pooling layers of a trained CNN (§4.1) have
learned features that are useful for other images too; only the last, fully connected layer
is specific to the old classes. So for a new task with few labels we keep the feature
extractor, freeze it (its weights are not trained any more), and train only a new head:

    features = phi(x)              phi: every layer of the trained network but its last
    scores   = features W + b      the new head, a Dense layer with one output per new class

With digits: pre-train a small CNN on the digits 0-4, then learn 5-9 from three labels each.
Ten training steps of the new head on the frozen features classify about three quarters of
the other 5-9 images right; the same network trained from scratch for ten steps, under two
thirds. (Given many more steps, the scratch network catches up on these easy 8x8 digits; the
pre-trained features pay off when labels and training are scarce.)

The trained network `base` is a keras.Sequential built on a keras.Input whose last layer is
its classifier (a Dense layer over the old classes); the layer before it (e.g. Flatten or
GlobalAveragePooling2D) outputs the features, shape (batch, D).

1. `select_classes(x, y, classes)`, for samples x (n, ...) along the first axis and their
   integer labels y (n,), -> (x_sub, y_sub): the samples whose label is in `classes`
   (in their order in x), relabelled 0, 1, ..., len(classes) - 1 in the order of `classes`:
   the label classes[i] becomes i. Use it to split one data set into a pre-training task and
   a new task.
2. `feature_extractor(base)` -> a keras.Model from the base's input to the output of its
   second-to-last layer, reusing the base's layers (and so its trained weights, no copies),
   with every layer frozen: `trainable = False`, so that no weight of it is trainable (in
   Keras a frozen BatchNormalization also stops updating its moving statistics). The base's
   input tensor is `base.inputs[0]` (`base.input` exists only once the base has been called).
3. `transfer_model(base, num_classes, seed=None)` -> a keras.Model: the frozen feature
   extractor, then a new keras.layers.Dense(num_classes) head (its kernel initializer seeded
   with `seed`) as the model's last layer, outputting class scores (logits). Only the head is
   trainable: fitting the model moves the head's weights and nothing of the base.

You may not use keras.applications, torch or dlcourse.cnn.
"""

# %%
import keras
import numpy as np


# %%
def select_classes(x, y, classes):
    """Return (x_sub, y_sub): the samples of `classes`, label classes[i] renumbered i."""
    ### BEGIN SOLUTION
    x, y = np.asarray(x), np.asarray(y)
    classes = [int(c) for c in classes]
    keep = np.isin(y, classes)
    new_label = {c: i for i, c in enumerate(classes)}
    return x[keep], np.array([new_label[int(label)] for label in y[keep]], dtype=np.int64)
    ### END SOLUTION


def feature_extractor(base):
    """Return the frozen model base.input -> output of base's second-to-last layer."""
    ### BEGIN SOLUTION
    extractor = keras.Model(base.inputs[0], base.layers[-2].output, name="features")
    extractor.trainable = False
    return extractor
    ### END SOLUTION


def transfer_model(base, num_classes, seed=None):
    """Return the frozen feature extractor of `base` with a new trainable Dense(num_classes) head."""
    ### BEGIN SOLUTION
    head = keras.layers.Dense(num_classes, kernel_initializer=keras.initializers.GlorotUniform(seed), name="head")
    return keras.Sequential([feature_extractor(base), head], name="transfer")
    ### END SOLUTION
