"""dlcourse.detection.boxes: IoU against a brute-force pixel count, the centre form, and R-CNN's
box-regression formula worked out by hand (Girshick et al., 2014, appendix C)."""

import doctest
import importlib
import math

import numpy as np
import pytest

from dlcourse.detection import (
    box_area,
    centers_to_corners,
    corners_to_centers,
    decode_boxes,
    encode_boxes,
    pairwise_iou,
)


def _integer_boxes(rng, n, size=16):
    """Integer boxes, some empty (y2 == y1 or x2 == x1)."""
    corners = rng.integers(0, size + 1, size=(n, 2, 2))
    return np.concatenate([corners.min(axis=1), corners.max(axis=1)], axis=1)


def _mask(box, size=16):
    mask = np.zeros((size, size), dtype=bool)
    y1, x1, y2, x2 = box
    mask[y1:y2, x1:x2] = True
    return mask


@pytest.mark.parametrize("seed", range(5))
def test_pairwise_iou_equals_pixel_count_iou(seed):
    rng = np.random.default_rng(seed)
    a, b = _integer_boxes(rng, 12), _integer_boxes(rng, 9)
    expected = np.zeros((len(a), len(b)))
    for i, box_a in enumerate(a):
        for j, box_b in enumerate(b):
            ma, mb = _mask(box_a), _mask(box_b)
            union = (ma | mb).sum()
            expected[i, j] = (ma & mb).sum() / union if union else 0.0
    np.testing.assert_allclose(pairwise_iou(a, b), expected, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(box_area(a), [_mask(box).sum() for box in a])


def test_iou_edge_cases():
    box = [[0, 0, 10, 10]]
    assert pairwise_iou(box, [[20, 20, 30, 30]])[0, 0] == 0.0  # disjoint
    assert pairwise_iou(box, [[0, 10, 10, 20]])[0, 0] == 0.0  # touching edges
    assert pairwise_iou(box, [[2, 2, 7, 7]])[0, 0] == pytest.approx(25 / 100)  # containment
    assert pairwise_iou(box, box)[0, 0] == 1.0
    assert pairwise_iou(box, [[5, 5, 5, 5]])[0, 0] == 0.0  # zero area inside
    assert pairwise_iou([[3, 3, 3, 3]], [[3, 3, 3, 3]])[0, 0] == 0.0  # empty union
    assert pairwise_iou(np.zeros((0, 4)), box).shape == (0, 1)
    iou = pairwise_iou(_integer_boxes(np.random.default_rng(9), 6), _integer_boxes(np.random.default_rng(8), 6))
    assert np.all((iou >= 0) & (iou <= 1))
    with pytest.raises(ValueError, match="last axis of size 4"):
        pairwise_iou([[0, 0, 1]], box)


def test_centre_form_by_hand_and_round_trip():
    np.testing.assert_array_equal(corners_to_centers([[2, 4, 6, 10]]), [[7, 4, 6, 4]])
    np.testing.assert_array_equal(centers_to_corners([[7, 4, 6, 4]]), [[2, 4, 6, 10]])
    boxes = np.random.default_rng(1).uniform(0, 10, size=(3, 5, 4))
    np.testing.assert_allclose(centers_to_corners(corners_to_centers(boxes)), boxes, atol=1e-12)


def test_encode_matches_the_published_formula_by_hand():
    # Proposal P = rows 10..30, columns 20..60: Px = 40, Py = 20, Pw = 40, Ph = 20.
    # Ground truth G = rows 15..45, columns 30..50: Gx = 40, Gy = 30, Gw = 20, Gh = 30.
    # tx = 0 / 40 = 0, ty = 10 / 20 = 0.5, tw = log(20 / 40), th = log(30 / 20).
    targets = encode_boxes([[15, 30, 45, 50]], [[10, 20, 30, 60]])
    np.testing.assert_allclose(targets, [[0.0, 0.5, math.log(0.5), math.log(1.5)]], rtol=1e-12)
    # P = (0, 0, 4, 4): Px = Py = 2, Pw = Ph = 4; G = (1, 3, 3, 5): Gx = 4, Gy = 2, Gw = 2, Gh = 2.
    targets = encode_boxes([[1, 3, 3, 5]], [[0, 0, 4, 4]])
    np.testing.assert_allclose(targets, [[0.5, 0.0, math.log(0.5), math.log(0.5)]], rtol=1e-12)
    # and back: P moved by (0.5, 0, log 0.5, log 0.5)
    np.testing.assert_allclose(decode_boxes(targets, [[0, 0, 4, 4]]), [[1, 3, 3, 5]], atol=1e-12)


def test_decode_inverts_encode_on_random_boxes():
    rng = np.random.default_rng(2)
    top_left = rng.uniform(0, 50, size=(2, 30, 2))
    size = rng.uniform(0.5, 30, size=(2, 30, 2))
    ground_truth, proposals = np.concatenate([top_left, top_left + size], axis=2)
    np.testing.assert_allclose(decode_boxes(encode_boxes(ground_truth, proposals), proposals),
                               ground_truth, rtol=1e-10, atol=1e-10)
    # shift and scale invariance of the targets
    np.testing.assert_allclose(encode_boxes(3 * ground_truth + 7, 3 * proposals + 7),
                               encode_boxes(ground_truth, proposals), atol=1e-10)
    with pytest.raises(ValueError, match="positive width and height"):
        encode_boxes([[0, 0, 1, 1]], [[0, 0, 0, 1]])


@pytest.mark.parametrize("name", ["boxes", "nms", "metrics", "proposals", "sliding_window", "plots", "crops", "rcnn",
                                  "single_object"])
def test_docstring_examples(name):
    module = importlib.import_module(f"dlcourse.detection.{name}")
    result = doctest.testmod(module, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
