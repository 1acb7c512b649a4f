# %% [markdown]
"""Single-object detection: classification plus localisation (5 points)
Lecture: §4.4 Object Detection; §4.3 Image Classification; §2.4.1 Cross-Entropy Loss; §2.4.2 MSE Loss

The notes detect the one object of an image with one network that does two tasks: it
classifies the object and localises it, and its total loss adds the class loss and the L2 loss
of the bounding box (x, y, w, h). For each of N images the network gives C class scores s_i
(a row of `scores`, shape (N, C)) and a predicted box b^_i = (x, y, w, h) (a row of `box_pred`,
shape (N, 4)); the true class is a one-hot row y_i of `y` (N, C), y_ij in {0, 1}, and the true
box b_i a row of `box_true` (N, 4).

The box. (x, y) is the box's centre and w, h its width and height, in image-normalised units
(ours: the notes do not say which units), divided by the image's width W (for x and w) and
height H (for y and h). From the pixel corners
(y1, x1, y2, x2) of a box that covers rows y1 <= row < y2 and columns x1 <= column < x2 of an
image of H rows and W columns,

    x = (x1 + x2) / (2 W),    y = (y1 + y2) / (2 H),    w = (x2 - x1) / W,    h = (y2 - y1) / H

so every number lies in [0, 1] for a box inside the image, whatever the image's size (the
whole image is (0.5, 0.5, 1, 1)). Images need not be square.

The class head is §4.3's softmax classifier (which the notes leave unfinished), and the class
loss is the notes' cross-entropy (§2.4.1) of its probabilities:

    p_ij  = exp(s_ij) / sum_k exp(s_ik)
    L_cls = -1/N sum_i sum_j y_ij log p_ij

Scores may reach 1000 in size, where exp overflows: compute log p_ij stably as
(s_ij - m_i) - log sum_k exp(s_ik - m_i) with m_i = max_k s_ik.

The box loss is the L2 loss of the box, read as the squared error (the notes' MSE of §2.4.2,
summed over the four numbers):

    L_box = 1/N sum_i ||b_i - b^_i||^2 = 1/N sum_i sum_{k in x, y, w, h} (b_ik - b^_ik)^2

The total loss, with a weight lambda >= 0 (ours: the notes just add the two, lambda = 1), and
its gradient with respect to the predicted boxes (the class loss does not depend on them):

    L = L_cls + lambda * L_box,        dL/db^_ik = 2 lambda (b^_ik - b_ik) / N

Implement with numpy, vectorized (no Python loops over images); N may be 1:
- `normalized_centers(boxes, image_height, image_width)`: pixel corner boxes (N, 4) ->
  (x, y, w, h) boxes (N, 4) in image-normalised units.
- `classification_loss(scores, y)` -> L_cls, a float.
- `localization_loss(box_pred, box_true)` -> L_box, a float.
- `detection_loss(scores, box_pred, y, box_true, lam=1.0)` -> (L, dL/dbox_pred): a float and an
  array of shape (N, 4).

Beyond the notes: with many objects per image, R-CNN predicts boxes relative to region
proposals (see the box regression exercise), and Fast R-CNN replaces this L2 loss by smooth L1
on those deltas. dlcourse.detection.SingleObjectDetector is the Keras model trained with this loss.

You may not use dlcourse.detection (it holds this loss), keras, tensorflow, torch or scipy.
"""

# %%
import numpy as np


# %%
def normalized_centers(boxes, image_height, image_width):
    """Pixel corner boxes (y1, x1, y2, x2) -> image-normalised (x, y, w, h); shape (N, 4)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def classification_loss(scores, y):
    """Mean cross-entropy of the softmax of scores (N, C) against one-hot labels y (N, C)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def localization_loss(box_pred, box_true):
    """1/N sum_i ||b_i - b^_i||^2 over the N boxes (x, y, w, h)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def detection_loss(scores, box_pred, y, box_true, lam=1.0):
    """Return (L_cls + lam * L_box, dL/dbox_pred of shape (N, 4))."""
    # YOUR CODE HERE
    raise NotImplementedError()
