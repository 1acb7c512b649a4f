# %% [markdown]
"""Bounding-box regression (5 points)
Lecture: §4.4 Object Detection

The notes name bbox regression only as a heading, in R-CNN's part that they leave unfinished;
this is R-CNN's own form (beyond the notes). Where the notes' single-object detector regresses
the box (x, y, w, h) itself, with an L2 loss, R-CNN (Girshick et al., 2014) corrects each
region proposal P towards its object's true box G with four regression targets. With both
boxes in centre form (x, y, w, h):

    tx = (Gx - Px) / Pw,    ty = (Gy - Py) / Ph,    tw = log(Gw / Pw),    th = log(Gh / Ph)

and a network predicting (tx, ty, tw, th) moves the proposal back with the inverse:

    Gx = Px + Pw tx,    Gy = Py + Ph ty,    Gw = Pw exp(tw),    Gh = Ph exp(th)

Dividing by the proposal's size makes the targets the same for a big and a small pair of boxes
with the same relative offset; the logarithm keeps the scale targets symmetric (twice as wide
and half as wide are +log 2 and -log 2).

Boxes come in corner form (y1, x1, y2, x2), the order of tf.image's boxes, with centre
x = (x1 + x2) / 2, y = (y1 + y2) / 2 and size w = x2 - x1, h = y2 - y1.

Implement with numpy, vectorized over boxes:
- `encode_boxes(ground_truth, proposals)`: (n, 4) and (n, 4) corner boxes, row i a pair ->
  targets (n, 4), row i = (tx, ty, tw, th).
- `decode_boxes(deltas, proposals)`: deltas (n, 4) as (tx, ty, tw, th) and (n, 4) corner
  boxes -> the moved boxes (n, 4) in corner form.

Where the R-CNN family goes next (beyond the notes): R-CNN trains these regressors separately,
on features of proposals that overlap an object. Fast R-CNN learns them inside the network,
next to the classifier, with one multi-task loss L = L_cls + lambda [u >= 1] sum smooth_L1(t_u - t),
where u is the region's class (0 for background, which gets no box loss): the notes' sum of a
class loss and a box loss, with smooth L1 on the deltas (it grows only linearly for large
errors) where the single-object detector has L2 on (x, y, w, h). Faster R-CNN uses the very
same (tx, ty, tw, th) for its region proposal network, with fixed "anchor" boxes in the role of
P. (dlcourse.detection.RCNN and RCNNBoxLoss implement the Fast R-CNN form.)

You may not use dlcourse.detection, tensorflow, keras, torch or torchvision.
"""

# %%
import numpy as np


# %%
def encode_boxes(ground_truth, proposals):
    """Targets (tx, ty, tw, th) of each ground-truth box relative to its proposal; shape (n, 4)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def decode_boxes(deltas, proposals):
    """Proposals moved by deltas (tx, ty, tw, th), in corner form; shape (n, 4)."""
    # YOUR CODE HERE
    raise NotImplementedError()
