"""Greedy NMS against tf.image.non_max_suppression on random boxes, many seeds."""

import numpy as np
import pytest
import tensorflow as tf

from dlcourse.detection import non_max_suppression, non_max_suppression_per_class


def _random_boxes(rng, n, size=40.0):
    top_left = rng.uniform(0, size, size=(n, 2))
    return np.concatenate([top_left, top_left + rng.uniform(2, 15, size=(n, 2))], axis=1)


def _tf_nms(boxes, scores, max_output_size, iou_threshold, score_threshold):
    return tf.image.non_max_suppression(boxes.astype(np.float32), scores.astype(np.float32),
                                        max_output_size, iou_threshold, score_threshold).numpy()


@pytest.mark.parametrize("seed", range(20))
def test_same_selection_as_tensorflow(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    # float32 inputs on both sides, so that IoUs near the threshold round alike
    boxes = _random_boxes(rng, n).astype(np.float32)
    scores = rng.uniform(size=n).astype(np.float32)
    iou_threshold = float(rng.choice([0.1, 0.3, 0.5, 0.7]))
    score_threshold = float(rng.choice([-np.inf, 0.2, 0.6]))
    max_output_size = int(rng.integers(1, 40))
    ours = non_max_suppression(boxes, scores, max_output_size, iou_threshold, score_threshold)
    np.testing.assert_array_equal(ours, _tf_nms(boxes, scores, max_output_size, iou_threshold, score_threshold))


def test_strict_thresholds_and_ties_as_tensorflow():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 5], [30, 30, 40, 40]], dtype=np.float32)
    for scores, iou_threshold, score_threshold in [
        ([0.9, 0.8, 0.7], 0.5, -np.inf),  # IoU exactly 0.5 is not suppressed
        ([0.9, 0.8, 0.7], 0.49, -np.inf),
        ([0.875, 0.75, 0.5], 0.5, 0.75),  # a score equal to score_threshold is dropped
        ([0.75, 0.75, 0.75], 0.4, -np.inf),  # ties: lower index first
    ]:
        scores = np.array(scores, dtype=np.float32)
        np.testing.assert_array_equal(non_max_suppression(boxes, scores, 10, iou_threshold, score_threshold),
                                      _tf_nms(boxes, scores, 10, iou_threshold, score_threshold))


def test_empty_inputs_and_errors():
    assert non_max_suppression(np.zeros((0, 4)), np.zeros(0), 5).shape == (0,)
    assert non_max_suppression([[0, 0, 1, 1]], [0.5], 0).shape == (0,)
    with pytest.raises(ValueError, match="max_output_size"):
        non_max_suppression([[0, 0, 1, 1]], [0.5], -1)
    with pytest.raises(ValueError, match="iou_threshold"):
        non_max_suppression([[0, 0, 1, 1]], [0.5], 1, iou_threshold=1.5)
    with pytest.raises(ValueError, match="one score per box"):
        non_max_suppression([[0, 0, 1, 1]], [0.5, 0.2], 1)


def test_per_class_checks_one_label_and_one_score_per_box():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]]
    with pytest.raises(ValueError, match="labels must hold one class label per box: 3 boxes, 2"):
        non_max_suppression_per_class(boxes, [0.9, 0.8, 0.7], [0, 1])
    with pytest.raises(ValueError, match="scores must hold one score per box: 3 boxes, 4"):
        non_max_suppression_per_class(boxes, [0.9, 0.8, 0.7, 0.1], [0, 0, 1])


@pytest.mark.parametrize("seed", range(5))
def test_per_class_is_tensorflow_nms_on_each_class(seed):
    rng = np.random.default_rng(100 + seed)
    boxes = _random_boxes(rng, 60).astype(np.float32)
    scores = rng.uniform(size=60).astype(np.float32)
    labels = rng.integers(0, 3, size=60)
    expected = np.concatenate([np.flatnonzero(labels == c)[_tf_nms(boxes[labels == c], scores[labels == c], 7, 0.3, 0.1)]
                               for c in range(3)])
    np.testing.assert_array_equal(non_max_suppression_per_class(boxes, scores, labels, 7, 0.3, 0.1), expected)
