"""dlcourse.data.shapes.make_shapes: shapes, ranges, seeding, and tight, non-touching boxes checked
against the pixels themselves."""

import numpy as np
import pytest

from dlcourse.data.shapes import SHAPE_CLASSES, make_shapes


def test_shapes_dtypes_and_ranges():
    images, boxes, labels = make_shapes(30, image_size=48, max_objects=3, seed=0)
    assert images.shape == (30, 48, 48, 3) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert len(boxes) == len(labels) == 30
    counts = [len(b) for b in boxes]
    assert min(counts) >= 1 and max(counts) <= 3 and len(set(counts)) > 1
    for b, l in zip(boxes, labels):
        assert b.dtype == np.float32 and b.shape == (len(l), 4) and l.dtype == np.int64
        assert np.all((b[:, :2] >= 0) & (b[:, 2:] <= 48) & (b[:, 2:] > b[:, :2]))
    assert set(np.concatenate(labels).tolist()) == set(range(len(SHAPE_CLASSES)))


def test_seeded():
    a, b = make_shapes(5, seed=3), make_shapes(5, seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert all(np.array_equal(x, y) for x, y in zip(a[1], b[1]))
    assert not np.array_equal(a[0], make_shapes(5, seed=4)[0])


def test_boxes_are_the_tight_boxes_of_the_shapes():
    images, boxes, labels = make_shapes(40, image_size=32, noise=0.0, seed=1)
    for image, image_boxes, image_labels in zip(images, boxes, labels):
        # without noise the background is the most frequent colour
        colours, counts = np.unique(image.reshape(-1, 3), axis=0, return_counts=True)
        background = colours[np.argmax(counts)]
        foreground = np.any(image != background, axis=-1)
        covered = np.zeros_like(foreground)
        for (y1, x1, y2, x2), label in zip(image_boxes.astype(int), image_labels):
            inside = foreground[y1:y2, x1:x2]
            # tight: every edge row and column of the box holds a shape pixel
            assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()
            fill = inside.mean()  # pi / 4 for a disc, 1 for a square, about 1/2 for a triangle
            expected = {0: (0.7, 0.9), 1: (1.0, 1.0), 2: (0.45, 0.7)}[int(label)]
            assert expected[0] <= fill <= expected[1], (SHAPE_CLASSES[label], fill)
            # boxes do not touch: a one-pixel ring around each is free of other boxes
            assert not covered[max(y1 - 1, 0):y2 + 1, max(x1 - 1, 0):x2 + 1].any()
            covered[y1:y2, x1:x2] = True
        assert not (foreground & ~covered).any()  # no shape pixel outside the boxes


@pytest.mark.parametrize("kwargs, words", [
    ({"n_images": 0}, "n_images"), ({"max_objects": 0}, "max_objects"),
    ({"min_size": 10, "max_size": 8}, "max_size"), ({"noise": -1.0}, "noise"),
    ({"image_size": 8, "max_size": 14}, "max_size")])
def test_bad_arguments_are_one_clear_sentence(kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_shapes(**kwargs)


def test_docstring_examples():
    import doctest

    import dlcourse.data.shapes as shapes

    result = doctest.testmod(shapes, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
