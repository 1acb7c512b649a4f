"""Grader for ch04_cnn/region_proposals."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "skimage", "cv2")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "region_similarity": {},
    "greedy_grouping": {"image": "(H, W, 3)", "segments": "(H, W) int"},
}


def _voronoi_image(seed, height, width, n_regions, noise=0.02):
    """A segmentation into convex (so connected) cells around random centres, numbered by first
    appearance in row-major order, and an image whose cells have random colours plus noise."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, [height, width], size=(n_regions, 2))
    rows, cols = np.indices((height, width))
    nearest = np.argmin((rows[..., None] - centres[:, 0]) ** 2 + (cols[..., None] - centres[:, 1]) ** 2, axis=-1)
    _, first, inverse = np.unique(nearest, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    segments = rank[inverse].reshape(height, width)
    colours = rng.uniform(size=(segments.max() + 1, 3))
    image = np.clip(colours[segments] + rng.normal(0, noise, (height, width, 3)), 0, 1)
    return image, segments


def _same_boxes(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing from your results.")
        if got.shape != expected.shape:
            raise AssertionError(f"{key}: greedy_grouping returned boxes of shape {got.shape}, expected "
                                 f"{expected.shape} (n initial regions + n - 1 merges).")
        wrong = np.flatnonzero(np.any(~np.isclose(got, expected), axis=1))
        if len(wrong):
            k = int(wrong[0])
            n = (len(expected) + 1) // 2
            what = f"initial region {k}" if k < n else f"merge number {k - n + 1}"
            raise AssertionError(f"{key}: box {k} ({what}) is {got[k].tolist()}, expected "
                                 f"{expected[k].tolist()}.")


@check(points=1, visible=True)
def similarity_by_hand(sub):
    """Two regions of 6 and 4 pixels in a 10-pixel image: s_colour = 1 - 0.5 / sqrt(3), s_size = 0,
    s_fill = 1 - (12 - 10) / 10."""
    return {"s": float(sub.region_similarity([0.2, 0.5, 0.5], [0.2, 0.2, 0.1], 6, 4,
                                             (0, 0, 2, 3), (2, 0, 4, 2), 10)),
            "s_far": float(sub.region_similarity([1, 1, 1], [0, 0, 0], 1, 1, (0, 0, 1, 1), (4, 4, 5, 5), 25))}


@check(points=1, visible=True, compare=_same_boxes)
def three_stripes(sub):
    """A 4x6 image of three vertical stripes: the two similar dark stripes merge first."""
    segments = np.repeat([[0, 0, 1, 1, 2, 2]], 4, axis=0)
    colours = np.array([[0.1, 0.1, 0.1], [0.2, 0.15, 0.1], [0.9, 0.8, 0.2]])
    return {"boxes": np.asarray(sub.greedy_grouping(colours[segments], segments), dtype=float)}


@check(points=1, compare=_same_boxes)
def random_cells(sub):
    """A 12x12 image cut into 8 cells of random colours."""
    image, segments = _voronoi_image(51, 12, 12, 8)
    return {"boxes": np.asarray(sub.greedy_grouping(image, segments), dtype=float)}


@check(points=1, compare=_same_boxes)
def many_cells(sub):
    """A 20x16 image cut into 25 cells, two colours only (so size and fill decide often)."""
    image, segments = _voronoi_image(52, 20, 16, 25)
    image = np.where(image.mean(axis=-1, keepdims=True) > 0.5, 0.8, 0.2) + 0.01 * image
    return {"boxes": np.asarray(sub.greedy_grouping(image, segments), dtype=float)}


@check(points=1, compare=_same_boxes)
def rows_and_ties(sub):
    """Horizontal stripes (regions adjacent only across rows, one of them across the last two
    rows), and four equal vertical stripes of one colour, whose first merges tie exactly (the
    smallest pair (i, j) merges first)."""
    segments = np.repeat([[0], [0], [1], [2]], 5, axis=1)
    colours = np.array([[0.1, 0.2, 0.3], [0.9, 0.9, 0.1], [0.1, 0.25, 0.3]])
    stripes = np.repeat([[0, 1, 2, 3]], 3, axis=0)
    return {"row_stripes": np.asarray(sub.greedy_grouping(colours[segments], segments), dtype=float),
            "tied_stripes": np.asarray(sub.greedy_grouping(np.zeros((3, 4, 3)), stripes), dtype=float)}
