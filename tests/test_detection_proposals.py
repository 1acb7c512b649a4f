"""Region proposals: the over-segmentation against scipy.ndimage.label, the greedy grouping against
a brute-force re-implementation on pixel masks, and recall on generated shapes images."""

import numpy as np
import pytest
from scipy import ndimage

from dlcourse.data.shapes import make_shapes
from dlcourse.detection import greedy_grouping, over_segment, pairwise_iou, selective_search


def _piecewise_constant_image(seed, size=12, colours=4):
    """Blocks of a few colours: regions are the connected areas of one colour."""
    rng = np.random.default_rng(seed)
    palette = rng.uniform(size=(colours, 3))
    blocks = rng.integers(0, colours, size=(size // 3, size // 3))
    return palette[np.kron(blocks, np.ones((3, 3), dtype=int))]


@pytest.mark.parametrize("seed", range(4))
def test_over_segment_is_connected_components_of_equal_colour(seed):
    image = _piecewise_constant_image(seed)
    segments = over_segment(image, threshold=1e-6)
    # oracle: label each colour's pixels with scipy (4-connectivity); same partition
    expected = np.zeros(image.shape[:2], dtype=int)
    offset = 0
    for colour in np.unique(image.reshape(-1, 3), axis=0):
        labels, count = ndimage.label(np.all(image == colour, axis=-1))
        expected[labels > 0] = labels[labels > 0] + offset
        offset += count
    assert segments.max() + 1 == offset
    pairs = {(int(a), int(b)) for a, b in zip(segments.ravel(), expected.ravel())}
    assert len(pairs) == offset  # a bijection between the two labellings
    # numbered by first appearance in row-major order
    _, first = np.unique(segments.ravel(), return_index=True)
    assert np.all(np.diff(first) > 0) and segments.ravel()[0] == 0


def _brute_force_grouping(image, segments):
    """Selective search's grouping straight from its definition, on pixel masks."""
    area = segments.size
    masks = [segments == k for k in range(segments.max() + 1)]

    def box(mask):
        rows, cols = np.nonzero(mask)
        return [rows.min(), cols.min(), rows.max() + 1, cols.max() + 1]

    def adjacent(a, b):
        return np.any(ndimage.binary_dilation(a, structure=ndimage.generate_binary_structure(2, 1)) & b)

    def similarity(a, b):
        colour = 1 - np.linalg.norm(image[a].mean(axis=0) - image[b].mean(axis=0)) / np.sqrt(3)
        size = 1 - (a.sum() + b.sum()) / area
        fill = 1 - (np.prod(np.subtract(box(a | b)[2:], box(a | b)[:2])) - a.sum() - b.sum()) / area
        return colour + size + fill

    boxes = [box(m) for m in masks]
    alive = dict(enumerate(masks))
    while len(alive) > 1:
        candidates = [(similarity(alive[i], alive[j]), i, j) for i in alive for j in alive
                      if i < j and adjacent(alive[i], alive[j])]
        best = max(s for s, _, _ in candidates)
        # the most similar pair; among equal similarities the smallest (i, j)
        _, i, j = min((t for t in candidates if t[0] >= best - 1e-12), key=lambda t: (t[1], t[2]))
        alive[len(boxes)] = alive.pop(i) | alive.pop(j)
        boxes.append(box(alive[len(boxes)]))
    return np.array(boxes, dtype=float)


@pytest.mark.parametrize("seed", range(3))
def test_greedy_grouping_matches_brute_force_definition(seed):
    image = _piecewise_constant_image(seed, size=12, colours=3)
    image = image + np.random.default_rng(seed).normal(0, 0.01, image.shape)
    segments = over_segment(image, threshold=0.1)
    boxes = greedy_grouping(image, segments)
    n = segments.max() + 1
    assert boxes.shape == (2 * n - 1, 4)
    np.testing.assert_array_equal(boxes[-1], [0, 0, 12, 12])
    np.testing.assert_array_equal(boxes, _brute_force_grouping(image, segments))


def test_selective_search_recalls_the_shapes():
    # noisy images: the over-segmentation breaks into hundreds of regions, the grouping rebuilds
    # the objects from them
    images, boxes, _ = make_shapes(20, image_size=32, noise=0.05, seed=7)
    best_iou = []
    for image, truth in zip(images, boxes):
        proposals = selective_search(image)
        assert proposals.shape[1] == 4 and len(np.unique(proposals, axis=0)) == len(proposals)
        best_iou.extend(pairwise_iou(truth, proposals).max(axis=1))
    assert np.mean(np.array(best_iou) >= 0.5) >= 0.9
    assert np.mean(np.array(best_iou) >= 0.9) >= 0.8


def test_over_segment_rejects_bad_arguments():
    with pytest.raises(ValueError, match="threshold"):
        over_segment(np.zeros((4, 4, 3)), threshold=0)
    with pytest.raises(ValueError, match="shape"):
        over_segment(np.zeros((4, 4)))
