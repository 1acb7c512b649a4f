"""Grader for ch04_cnn/sliding_window."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.detection", "tensorflow", "keras", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "sliding_windows": {},
    "detect_with_sliding_window": {"image": "(H, W, C)"},
}


def _windows(sub, *args):
    return np.asarray(sub.sliding_windows(*args), dtype=float).reshape(-1, 4)


_TIE_HINT = ("a window whose score equals score_threshold exactly is not kept: keep a window only "
             "when score > score_threshold")


def _same_windows(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None:
            raise AssertionError(f"`{key}` is missing from your results.")
        if got.shape != expected.shape:
            extra = f" ({_TIE_HINT})" if key.startswith("tie_") else ""
            raise AssertionError(f"{key}: {len(got) if got.ndim else got} windows/values, expected "
                                 f"shape {expected.shape}{extra}.")
        if not np.allclose(got, expected, rtol=1e-6, atol=1e-9):
            row = int(np.argwhere(~np.isclose(got, expected, rtol=1e-6, atol=1e-9))[0][0])
            if key.startswith("tie_"):
                hint = _TIE_HINT
            elif key == "scores":
                hint = "score_fn must get the window's pixels image[y1:y2, x1:x2]"
            else:
                hint = "check the order: size by size, then rows, then columns"
            raise AssertionError(f"{key}: entry {row} is {np.round(got[row], 4).tolist()}, "
                                 f"expected {np.round(expected[row], 4).tolist()} ({hint}).")


@check(points=1, visible=True, compare=_same_windows)
def windows_of_one_size(sub):
    """4x4 windows with stride 2 on a 6x8 image: 2 rows of 3."""
    return {"windows": _windows(sub, 6, 8, [4], 2)}


@check(points=1, compare=_same_windows)
def windows_of_several_sizes(sub):
    """Sizes 3, (4, 2), 5 and (12, 2) (too tall: none) with stride 3 on a 10x9 image."""
    return {"windows": _windows(sub, 10, 9, [3, (4, 2), 5, (12, 2)], 3)}


def _mean_brightness(crop):
    return float(np.mean(crop))


def _square_image():
    image = np.full((12, 12, 3), 0.1)
    image[3:9, 4:10] = 0.9
    return image


def _detections(sub, image, score_fn, sizes, stride, threshold):
    boxes, scores = sub.detect_with_sliding_window(image, score_fn, sizes, stride, threshold)
    return (np.asarray(boxes, dtype=float).reshape(-1, 4),
            np.asarray(scores, dtype=float).reshape(-1))


def _zero_one_image():
    """A 0/1 image whose 2x2 windows (stride 2) hold 2, 3, 4, 0, 1 and 2 ones: mean scores 0.5,
    0.75, 1, 0, 0.25 and 0.5 -- exact in binary floating point, two of them equal to 0.5."""
    image = np.zeros((4, 6, 3))
    for (y, x), ones in zip([(0, 0), (0, 2), (0, 4), (2, 0), (2, 2), (2, 4)], (2, 3, 4, 0, 1, 2)):
        image[y + np.arange(4)[:ones] // 2, x + np.arange(4)[:ones] % 2] = 1.0
    return image


@check(points=1, compare=_same_windows)
def detect_a_bright_square(sub):
    """Mean brightness as the score, windows 6 and 4 with stride 1, threshold 0.75 (no score is near
    it); and a 0/1 image where two windows score exactly the threshold 0.5 (strict >: not kept)."""
    boxes, scores = _detections(sub, _square_image(), _mean_brightness, [6, 4], 1, 0.75)
    tie_boxes, tie_scores = _detections(sub, _zero_one_image(), _mean_brightness, [2], 2, 0.5)
    return {"boxes": boxes, "scores": scores, "tie_boxes": tie_boxes, "tie_scores": tie_scores}


def _contrast(crop):
    return float(crop.max() - crop.min() + 0.01 * crop.shape[0] - 0.02 * crop.shape[1])


@check(points=1, compare=_same_windows)
def every_window_scored(sub):
    """A score that depends on the crop's pixels and shape, with score_threshold=-inf: every window
    comes back, scored on image[y1:y2, x1:x2]."""
    rng = np.random.default_rng(41)
    image = rng.uniform(size=(9, 11, 3))
    boxes, scores = _detections(sub, image, _contrast, [(3, 5), 4], 2, -np.inf)
    return {"boxes": boxes, "scores": scores}
