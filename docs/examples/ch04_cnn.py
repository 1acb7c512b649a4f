# %% [markdown]
# # Chapter 4: convolutional networks and object detection
#
# A small CNN (`small_cnn`, built from dlcourse's `Conv2D` and pooling) trained on the 8x8
# digits, its learned filters and the feature maps of one digit; then region proposals on a
# generated shapes image, pruned by non-maximum suppression and drawn with `draw_detections`.
# Lecture: §4.1 Basic structure and components; §4.4 Object Detection.

# %% tags=["remove_output"]
# %matplotlib inline
import os

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from dlcourse.cnn import plot_feature_maps, plot_filters, small_cnn
from dlcourse.data import SHAPE_CLASSES, load_digits, make_shapes
from dlcourse.detection import draw_detections, non_max_suppression, pairwise_iou, selective_search

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
EPOCHS = 2 if QUICK else 6

# %% [markdown]
# ## A CNN on the digits

# %%
keras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = load_digits(test_size=0.25, seed=0)
model = small_cnn(input_shape=(8, 8, 1), num_classes=10, filters=(8, 16), seed=0)
model.compile(optimizer=keras.optimizers.Adam(3e-3),  # small_cnn returns logits
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x_train, y_train, epochs=EPOCHS, batch_size=32, verbose=0)
print(f"test accuracy after {EPOCHS} epochs: {model.evaluate(x_test, y_test, verbose=0)[1]:.3f}")

# %% [markdown]
# ## Filters and feature maps of the first convolution

# %%
first_conv = next(layer for layer in model.layers if "conv" in type(layer).__name__.lower())
fig = plot_filters(first_conv, title="first-layer filters")
display(fig)
fig = plot_feature_maps(keras.Model(model.inputs[0], first_conv.output), x_test[0],
                        title=f"feature maps of a {y_test[0]}")
display(fig)

# %% [markdown]
# ## Region proposals and non-maximum suppression
#
# Selective search proposes boxes from colour regions; each true shape is matched to the proposal
# of highest IoU J(A, B) = |A intersect B| / |A union B|, and NMS keeps one box per object.

# %%
images, boxes, labels = make_shapes(n_images=1, image_size=64, max_objects=3, seed=3)
image, true_boxes, true_labels = images[0], boxes[0], labels[0]
proposals = selective_search(image)
iou = pairwise_iou(proposals, true_boxes)
scores = iou.max(axis=1)
keep = non_max_suppression(proposals, scores, max_output_size=len(true_boxes), iou_threshold=0.3)
print(f"{len(proposals)} proposals, {len(keep)} kept; best IoU per shape:", np.round(iou.max(axis=0), 2))
fig, ax = plt.subplots(figsize=(4, 4))
draw_detections(image, proposals[keep], labels=true_labels[iou[keep].argmax(axis=1)], scores=scores[keep],
                class_names=list(SHAPE_CLASSES), ax=ax)
ax.set_title("proposals after NMS")
plt.show()
