"""R-CNN (Girshick et al., 2014): region proposals, a CNN on each warped region, class + box heads.

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes: R-CNN selects RoIs by selective search, extracts their
features with a pre-trained network and classifies them and predicts their boxes; they leave
the R-CNN series unfinished. Beyond the notes: the details below, Fast R-CNN's loss and the
smooth-L1 box term (the notes' single-object detector uses the L2 loss of (x, y, w, h)).

The pipeline:

1. propose ~2000 regions per image (selective search: `dlcourse.detection.selective_search`);
2. warp each region to a fixed size (`crop_and_resize`) and run a CNN on it;
3. classify it as background or one of K classes (`class_logits`, K + 1 outputs), and refine its
   box with class-specific regression deltas (tx, ty, tw, th) (`box_deltas`, 4 K outputs);
4. decode the boxes, drop low scores and apply non-maximum suppression per class.

Training labels each region by its best-overlapping ground-truth box: IoU >= 0.5 makes it that
object's class with regression targets `encode_boxes(gt, region)`, anything else background.
R-CNN runs the CNN once per region, thousands of times per image. Fast R-CNN runs it once per
image and pools each region from the shared feature map (RoI pooling); Faster R-CNN also replaces
selective search by a region proposal network (RPN) on those same features. The model here
trains both heads jointly with Fast R-CNN's multi-task loss (cross-entropy + smooth L1), a
simplification of R-CNN's fine-tuning, SVMs and separate regressors.
"""

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.detection.boxes import decode_boxes, encode_boxes, pairwise_iou
from dlcourse.detection.crops import crop_and_resize
from dlcourse.detection.nms import non_max_suppression_per_class

__all__ = ["RCNN", "RCNNBoxLoss", "assign_regions", "rcnn_training_regions", "rcnn_detect"]



def conv_pool_blocks(filters):
    """(3x3 convolution + ReLU, 2x2 max pooling) pairs, one per entry of `filters`: the small
    backbone of the detectors here (R-CNN's classifier, the single-object detector)."""
    return [(keras.layers.Conv2D(f, 3, padding="same", activation="relu", name=f"conv{i}"),
             keras.layers.MaxPooling2D(2, name=f"pool{i}")) for i, f in enumerate(filters)]


def apply_blocks(blocks, x):
    for conv, pool in blocks:
        x = pool(conv(x))
    return x

@keras.saving.register_keras_serializable(package="dlcourse")
class RCNN(keras.Model):
    """R-CNN's per-region network: a small CNN, then a class head and a box-regression head.

    On a warped region x the shared features are h = Dense(Flatten(CNN(x))), with CNN a stack
    of (3x3 convolution + ReLU + 2x2 max pooling) blocks; then

        class_logits = h W_cls + b_cls    (K + 1 scores: background, then the K classes)
        box_deltas   = h W_box + b_box    (4 K: (tx, ty, tw, th) for each object class)

    Args:
        num_classes: K, the number of object classes (background not counted).
        filters: the number of filters of each convolutional block.
        dense_units: width of the shared fully connected layer.
        **kwargs: base model arguments (`name`, ...).

    Call arguments:
        crops: float tensor of shape (n, crop_height, crop_width, C), the warped regions.

    Returns:
        A dict with "class_logits" of shape (n, K + 1) and "box_deltas" of shape (n, 4 K).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import RCNN
    >>> model = RCNN(num_classes=3, filters=(4,), dense_units=8)
    >>> out = model(np.zeros((2, 16, 16, 3), "float32"))
    >>> tuple(out["class_logits"].shape), tuple(out["box_deltas"].shape)
    ((2, 4), (2, 12))
    """

    def __init__(self, num_classes, filters=(16, 32), dense_units=64, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = positive_int("num_classes", num_classes)
        self.filters = tuple(positive_int("filters", f) for f in filters)
        self.dense_units = positive_int("dense_units", dense_units)
        self.blocks = conv_pool_blocks(self.filters)
        self.flatten = keras.layers.Flatten()
        self.dense = keras.layers.Dense(self.dense_units, activation="relu", name="features")
        self.class_head = keras.layers.Dense(self.num_classes + 1, name="class_logits")
        # Small initial deltas: an untrained regressor should leave the proposals in place.
        self.box_head = keras.layers.Dense(
            4 * self.num_classes, kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
            name="box_deltas")

    def call(self, crops):
        h = self.dense(self.flatten(apply_blocks(self.blocks, crops)))
        return {"class_logits": self.class_head(h), "box_deltas": self.box_head(h)}

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "filters": list(self.filters), "dense_units": self.dense_units}


@keras.saving.register_keras_serializable(package="dlcourse")
class RCNNBoxLoss(keras.losses.Loss):
    """Smooth L1 loss on the deltas of a region's true class; zero for background regions.

    Fast R-CNN's box term, beyond the notes (their single-object detector has the plain L2 loss
    of (x, y, w, h), `BoxL2Loss`): for a region of class u with targets t and predictions d^u (the
    four deltas of class u),

        L_box = [u >= 1] * sum_{k in x, y, w, h} smooth_L1(d^u_k - t_k),
        smooth_L1(z) = 0.5 z^2 if |z| < 1 else |z| - 0.5

    Args:
        num_classes: K, the number of object classes.
        **kwargs: base loss arguments (`name`, `reduction`).

    Call arguments:
        y_true: (n, 5): the region's class u (0 = background, 1..K) and its targets
            (tx, ty, tw, th).
        y_pred: (n, 4 K): the predicted deltas of every class.

    Returns:
        The loss, reduced over regions (mean by default).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import RCNNBoxLoss
    >>> loss = RCNNBoxLoss(num_classes=2, reduction=None)
    >>> y_true = np.array([[0, 0.5, 0, 0, 0], [2, 0.5, 0, 0, 3.0]], "float32")
    >>> [round(float(v), 3) for v in loss(y_true, np.zeros((2, 8), "float32"))]
    [0.0, 2.625]
    """

    def __init__(self, num_classes, name="rcnn_box_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.num_classes = positive_int("num_classes", num_classes)

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        label = ops.cast(y_true[:, 0], "int32")
        deltas = ops.reshape(y_pred, (-1, self.num_classes, 4))
        # The deltas d^u of the region's own class (any class for background: masked below).
        own_class = ops.one_hot(ops.maximum(label - 1, 0), self.num_classes, dtype=y_pred.dtype)
        own = ops.sum(deltas * own_class[:, :, None], axis=1)
        error = ops.abs(own - y_true[:, 1:])
        smooth = ops.where(error < 1.0, 0.5 * error**2, error - 0.5)
        return ops.sum(smooth, axis=-1) * ops.cast(label > 0, y_pred.dtype)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def assign_regions(regions, gt_boxes, gt_labels, positive_iou=0.5):
    """Training labels of regions: the class and regression targets of their best ground truth.

    Args:
        regions: array of shape (n, 4), corner form.
        gt_boxes: array of shape (m, 4), the image's objects.
        gt_labels: int array of shape (m,), object classes 0..K-1.
        positive_iou: the least IoU of a region labelled as an object.

    Returns:
        (labels, targets): labels int64 (n,), 0 for background, gt class + 1 otherwise; targets
        float64 (n, 4), `encode_boxes(gt, region)` for objects, 0 for background.

    Example:

    >>> from dlcourse.detection import assign_regions
    >>> labels, targets = assign_regions([[0, 0, 10, 10], [20, 20, 30, 30]], [[0, 0, 10, 12]], [2])
    >>> labels.tolist(), targets[0].round(3).tolist()
    ([3, 0], [0.1, 0.0, 0.182, 0.0])
    """
    regions = np.asarray(regions, dtype=np.float64).reshape(-1, 4)
    gt_boxes = np.asarray(gt_boxes, dtype=np.float64).reshape(-1, 4)
    labels = np.zeros(len(regions), dtype=np.int64)
    targets = np.zeros((len(regions), 4))
    if len(gt_boxes) == 0 or len(regions) == 0:
        return labels, targets
    iou = pairwise_iou(regions, gt_boxes)
    best = iou.argmax(axis=1)
    positive = iou[np.arange(len(regions)), best] >= positive_iou
    labels[positive] = np.asarray(gt_labels)[best[positive]] + 1
    targets[positive] = encode_boxes(gt_boxes[best[positive]], regions[positive])
    return labels, targets


def _with_context(boxes, context):
    """Boxes grown by `context` times their height and width on every side.

    R-CNN warps a proposal together with some surrounding pixels (16 at its 227-pixel input),
    so that the network sees the object's edges against the background -- without it, a crop
    of the inside of a uniform square looks like a crop of uniform background.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    size = np.concatenate([boxes[:, 2:] - boxes[:, :2]] * 2, axis=1)
    return boxes + context * size * np.array([-1.0, -1.0, 1.0, 1.0])


def _random_boxes(n, height, width, rng, min_size=4):
    """n boxes of random position and size (at least min_size pixels) inside the image."""
    size = rng.uniform(min_size, [height, width], size=(n, 2))
    corner = rng.uniform(0, 1, size=(n, 2)) * ([height, width] - size)
    return np.concatenate([corner, corner + size], axis=1)


def _jitter(boxes, n, rng, shift=0.1, scale=0.15):
    """n random boxes around each box: centre moved by ~shift of the size, size by ~exp(scale)."""
    if len(boxes) == 0:
        return np.zeros((0, 4))
    boxes = np.repeat(np.asarray(boxes, dtype=np.float64), n, axis=0)
    height, width = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    cy = (boxes[:, 0] + boxes[:, 2]) / 2 + rng.normal(0, shift, len(boxes)) * height
    cx = (boxes[:, 1] + boxes[:, 3]) / 2 + rng.normal(0, shift, len(boxes)) * width
    height = height * np.exp(rng.normal(0, scale, len(boxes)))
    width = width * np.exp(rng.normal(0, scale, len(boxes)))
    return np.stack([cy - height / 2, cx - width / 2, cy + height / 2, cx + width / 2], axis=1)


def rcnn_training_regions(images, gt_boxes, gt_labels, proposals, crop_size, jitter_per_object=4,
                          random_per_image=8, background_per_image=8, positive_iou=0.5,
                          context=0.15, seed=0):
    """Warped training regions with their class and box-regression targets.

    Per image the regions are its proposals, the ground-truth boxes, `jitter_per_object`
    randomly shifted and scaled copies of each ground-truth box (so that the regressor sees
    offsets to undo, as R-CNN's many proposals near an object provide) and `random_per_image`
    random boxes (more background to learn from); all are labelled by `assign_regions`, and at
    most `background_per_image` background regions are kept, drawn at random, so that objects
    are not drowned out. Each region is cropped with `context` of its size around it.

    Args:
        images: array of shape (N, H, W, C).
        gt_boxes, gt_labels: lists of N arrays, (m_i, 4) boxes and (m_i,) classes 0..K-1.
        proposals: list of N arrays (p_i, 4), e.g. from `selective_search`.
        crop_size: the network's input size (height, width), or one integer.
        jitter_per_object: jittered copies per ground-truth box.
        random_per_image: random boxes per image.
        background_per_image: the most background regions kept per image.
        positive_iou: the least IoU of an object region.
        context: margin around each region, as a fraction of its height and width, that the
            crop includes (R-CNN's context padding); the same value must be used to detect.
        seed: seed of the jitter and the sampling.

    Returns:
        (crops, y): crops float32 (n, crop_h, crop_w, C); y a dict with "class_logits" the
        labels int64 (n,) (0 = background) and "box_deltas" float32 (n, 5), the label and the
        targets (tx, ty, tw, th), as `RCNN` and `RCNNBoxLoss` expect.
    """
    rng = np.random.default_rng(seed)
    height, width = np.asarray(images).shape[1:3]
    all_regions, all_indices, all_labels, all_targets = [], [], [], []
    for i, (boxes, labels, candidates) in enumerate(zip(gt_boxes, gt_labels, proposals)):
        regions = np.concatenate([np.asarray(candidates, dtype=np.float64).reshape(-1, 4),
                                  np.asarray(boxes, dtype=np.float64).reshape(-1, 4),
                                  _jitter(boxes, jitter_per_object, rng),
                                  _random_boxes(random_per_image, height, width, rng)])
        regions = np.clip(regions, 0, [height, width, height, width])
        regions = regions[(regions[:, 2] - regions[:, 0] >= 1) & (regions[:, 3] - regions[:, 1] >= 1)]
        region_labels, targets = assign_regions(regions, boxes, labels, positive_iou)
        background = np.flatnonzero(region_labels == 0)
        dropped = rng.permutation(background)[background_per_image:]
        keep = np.setdiff1d(np.arange(len(regions)), dropped)
        all_regions.append(regions[keep])
        all_indices.append(np.full(len(keep), i))
        all_labels.append(region_labels[keep])
        all_targets.append(targets[keep])
    regions, labels = np.concatenate(all_regions), np.concatenate(all_labels)
    crops = crop_and_resize(images, _with_context(regions, context), crop_size,
                            np.concatenate(all_indices))
    box_targets = np.concatenate([labels[:, None], np.concatenate(all_targets)], axis=1)
    return crops, {"class_logits": labels, "box_deltas": box_targets.astype(np.float32)}


def rcnn_detect(model, image, proposals, crop_size, score_threshold=0.5, iou_threshold=0.3,
                max_detections=20, context=0.15):
    """Detect objects in one image with a trained `RCNN` and the image's proposals.

    Each proposal is warped and passed through the model; for every object class c its score is
    softmax(class_logits)[c + 1] and its box the proposal moved by that class's deltas
    (`decode_boxes`), clipped to the image. Boxes scoring > score_threshold go through
    non-maximum suppression per class.

    Args:
        model: a trained `RCNN` (or any callable with the same outputs).
        image: array of shape (H, W, C).
        proposals: array of shape (p, 4), corner form.
        crop_size: the model's input size, as in training.
        score_threshold: the least class probability of a detection (exclusive).
        iou_threshold: NMS threshold.
        max_detections: the most detections kept per class.
        context: the context margin used in training (`rcnn_training_regions`).

    Returns:
        (boxes, labels, scores): float64 (k, 4), int64 (k,) classes 0..K-1, float64 (k,).
    """
    image = np.asarray(image, dtype=np.float32)
    proposals = np.asarray(proposals, dtype=np.float64).reshape(-1, 4)
    height, width = image.shape[:2]
    if len(proposals) == 0:
        return np.zeros((0, 4)), np.zeros(0, dtype=np.int64), np.zeros(0)
    out = model(crop_and_resize(image, _with_context(proposals, context), crop_size))
    logits = ops.convert_to_numpy(out["class_logits"]).astype(np.float64)
    deltas = ops.convert_to_numpy(out["box_deltas"]).astype(np.float64)
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    num_classes = probabilities.shape[1] - 1
    boxes = np.concatenate([decode_boxes(deltas[:, 4 * c:4 * c + 4], proposals)
                            for c in range(num_classes)])
    boxes = np.clip(boxes, 0, [height, width, height, width])
    scores = probabilities[:, 1:].T.reshape(-1)
    labels = np.repeat(np.arange(num_classes), len(proposals))
    keep = non_max_suppression_per_class(boxes, scores, labels, max_detections, iou_threshold,
                                         score_threshold)
    return boxes[keep], labels[keep].astype(np.int64), scores[keep]
