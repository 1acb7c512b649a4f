"""Grader for ch04_cnn/box_regression."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "tensorflow", "keras", "torch", "torchvision")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "encode_boxes": {"ground_truth": "(n, 4)", "proposals": "(n, 4)"},
    "decode_boxes": {"deltas": "(n, 4)", "proposals": "(n, 4)"},
}


def _boxes(rng, n, low=1.0, high=12.0):
    """n corner boxes: top-left in [0, 30)^2, sides in [low, high)."""
    top_left = rng.uniform(0, 30, size=(n, 2))
    return np.concatenate([top_left, top_left + rng.uniform(low, high, size=(n, 2))], axis=1)


@check(points=1, visible=True)
def encode_two_pairs(sub):
    """Targets of [0, 0, 4, 4] from [0, 0, 2, 4] (a box twice as tall) and of a shifted box."""
    ground_truth = np.array([[0, 0, 4, 4], [2, 3, 6, 9]], dtype=float)
    proposals = np.array([[0, 0, 2, 4], [1, 1, 5, 7]], dtype=float)
    return {"targets": sub.encode_boxes(ground_truth, proposals)}


@check(points=1)
def encode_random_pairs(sub):
    """Targets of 8 random ground-truth boxes from 8 random proposals."""
    rng = np.random.default_rng(3)
    return {"targets": sub.encode_boxes(_boxes(rng, 8), _boxes(rng, 8))}


@check(points=1)
def decode_random_deltas(sub):
    """7 random proposals moved by random deltas."""
    rng = np.random.default_rng(4)
    deltas = rng.normal(0, 0.3, size=(7, 4))
    return {"boxes": sub.decode_boxes(deltas, _boxes(rng, 7))}


@check(points=1, requires=("encode_random_pairs", "decode_random_deltas"))
def decode_undoes_encode(sub):
    """decode_boxes(encode_boxes(G, P), P) gives G back, for tiny and large boxes."""
    rng = np.random.default_rng(6)
    ground_truth = np.concatenate([_boxes(rng, 5, 0.1, 0.5), _boxes(rng, 5, 50, 200)])
    proposals = np.concatenate([_boxes(rng, 5, 0.1, 0.5), _boxes(rng, 5, 50, 200)])
    return {"round_trip": sub.decode_boxes(sub.encode_boxes(ground_truth, proposals), proposals)}


@check(points=1)
def targets_ignore_position_and_scale(sub):
    """The same pair of boxes shifted by (7, -3) and scaled by 5 has the same targets."""
    rng = np.random.default_rng(8)
    ground_truth, proposals = _boxes(rng, 4), _boxes(rng, 4)
    moved = np.array([7.0, -3.0, 7.0, -3.0])
    return {"targets": sub.encode_boxes(ground_truth, proposals),
            "moved_targets": sub.encode_boxes(5 * ground_truth + moved, 5 * proposals + moved)}
