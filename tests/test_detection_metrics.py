"""Average precision and mAP: scikit-learn's average_precision_score where the definitions agree,
its precision-recall curve with VOC's interpolation elsewhere, and a hand-worked VOC example."""

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, precision_recall_curve

from dlcourse.detection import average_precision, match_detections, mean_average_precision


def test_hand_worked_voc_example():
    # 5 ground-truth objects, 4 of them found; ranked detections TP, FP, TP, TP, FP, FP, TP.
    # Precision at each TP: 1/1, 2/3, 3/4, 4/7; each TP raises recall by 1/5.
    # Interpolated precision at those recalls: max to the right = 1, 3/4, 3/4, 4/7.
    # AP = (1 + 3/4 + 3/4 + 4/7) / 5.
    scores = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5]
    hits = [1, 0, 1, 1, 0, 0, 1]
    assert average_precision(scores, hits, 5) == pytest.approx((1 + 0.75 + 0.75 + 4 / 7) / 5, rel=1e-12)
    # the order of the inputs does not matter, only the scores
    order = np.random.default_rng(0).permutation(7)
    assert average_precision(np.array(scores)[order], np.array(hits)[order], 5) == pytest.approx(
        (1 + 0.75 + 0.75 + 4 / 7) / 5, rel=1e-12)
    assert average_precision([0.5], [0], 0) == 0.0
    assert average_precision([], [], 3) == 0.0
    with pytest.raises(ValueError, match="n_ground_truth"):
        average_precision([0.5, 0.4], [1, 1], 1)


@pytest.mark.parametrize("seed", range(10))
def test_agrees_with_sklearn_when_precision_never_rises_at_a_hit(seed):
    # sklearn's AP = sum_k (R_k - R_{k-1}) P_k is not interpolated; it equals VOC's all-point AP
    # when every object is found and the precision at each true positive is already the best
    # precision at any later rank. Draw random rankings until one has that property.
    rng = np.random.default_rng(seed)
    while True:
        hits = (rng.uniform(size=int(rng.integers(3, 12))) < 0.6).astype(int)
        precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        if hits.sum() >= 2 and all(precision[k] >= precision[k:].max() for k in np.flatnonzero(hits)):
            break
    scores = np.linspace(1.0, 0.1, len(hits))
    assert average_precision(scores, hits, hits.sum()) == pytest.approx(average_precision_score(hits, scores), rel=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_equals_interpolated_sklearn_precision_recall_curve(seed):
    rng = np.random.default_rng(50 + seed)
    n = int(rng.integers(3, 40))
    hits = (rng.uniform(size=n) < 0.4).astype(int)
    hits[0] = 1
    missed = int(rng.integers(0, 5))
    scores = rng.uniform(size=n)
    precision, recall, _ = precision_recall_curve(hits, scores)
    # sklearn's recall is relative to the found objects; rescale to all objects and interpolate
    recall = recall * hits.sum() / (hits.sum() + missed)
    precision, recall = precision[::-1], recall[::-1]  # increasing recall
    interpolated = np.maximum.accumulate(precision[::-1])[::-1]
    expected = np.sum(np.diff(recall) * interpolated[1:])
    assert average_precision(scores, hits, hits.sum() + missed) == pytest.approx(expected, rel=1e-10)


def test_matching_follows_voc_rules():
    gt = [[0, 0, 10, 10], [0, 3, 10, 13]]
    boxes = [[0, 0, 10, 9], [0, 0, 10, 10], [0, 1, 10, 11], [20, 20, 30, 30], [0, 3, 10, 12]]
    scores = [0.7, 0.9, 0.8, 0.95, 0.6]
    # [0,0,10,10] (0.9) takes gt 0; [0,1,10,11] (0.8) overlaps gt 0 most (9/11), already taken:
    # false, although its IoU with gt 1 is 8/12; the duplicate (0.7) is false; [0,3,10,12] takes gt 1.
    np.testing.assert_array_equal(match_detections(boxes, scores, gt), [0, 1, 0, 0, 1])
    np.testing.assert_array_equal(match_detections(boxes, scores, np.zeros((0, 4))), [0] * 5)
    # IoU exactly at the threshold counts (VOC: ov >= minoverlap)
    assert match_detections([[0, 0, 10, 5]], [1.0], [[0, 0, 10, 10]], 0.5).tolist() == [1]


def test_mean_average_precision_over_images_and_classes():
    gts = [([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1]), ([[5, 5, 15, 15]], [0])]
    perfect = [([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1], [0.9, 0.8]), ([[5, 5, 15, 15]], [0], [0.7])]
    value, per_class = mean_average_precision(perfect, gts, num_classes=3)
    assert value == 1.0 and per_class[:2].tolist() == [1.0, 1.0] and np.isnan(per_class[2])
    # class 0: a false positive ranked first across images, then the two objects: precisions
    # 0, 1/2, 2/3 at recalls 0, 1/2, 1; interpolated 2/3 at both recall steps, AP = 2/3
    noisy = [([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1], [0.5, 0.8]),
             ([[5, 5, 15, 15], [40, 40, 50, 50]], [0, 0], [0.4, 0.9])]
    value, per_class = mean_average_precision(noisy, gts, num_classes=2)
    assert per_class[0] == pytest.approx(2 / 3)
    assert per_class[1] == 1.0 and value == pytest.approx((2 / 3 + 1) / 2)
    # a detection of the wrong class does not count
    value, _ = mean_average_precision([([[0, 0, 10, 10]], [1], [0.9])], [([[0, 0, 10, 10]], [0])], 2)
    assert value == 0.0
    with pytest.raises(ValueError, match="same images"):
        mean_average_precision([], gts, 2)
