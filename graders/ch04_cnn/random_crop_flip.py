"""Grader for ch04_cnn/random_crop_flip.

Crops and flips are random, so the checks test properties, not the reference's numbers: every
crop is the stated slice of its image at a legal offset; over many draws every legal offset
occurs, each with a frequency within five binomial standard errors of uniform, and about half
of the images are mirrored; at test time the central window, exactly. The images hold distinct
values, so a window and its position identify each other.
"""

import math

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "random_crop": {"image": "(H, W, C)"},
    "random_flip": {"image": "(H, W, C)"},
    "augment": {"images": "(N, H, W, C)"},
}


def _image(seed, shape):
    # a permutation: every pixel value occurs once, so a window is found at one offset only
    return np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape).astype(float)


def _array(student, key, shape=None):
    value = student.get(key)
    if value is None:
        raise AssertionError(f"`{key}` is missing from your results.")
    value = np.asarray(value, dtype=float)
    if shape is not None and value.shape != shape:
        raise AssertionError(f"`{key}` has shape {value.shape}, expected {shape}.")
    return value


def _crop_ok(image, crop, offset, size, what):
    h, w = size
    top, left = (int(v) for v in offset)
    legal = f"top in 0..{image.shape[0] - h}, left in 0..{image.shape[1] - w}"
    if not (0 <= top <= image.shape[0] - h and 0 <= left <= image.shape[1] - w):
        raise AssertionError(f"{what}: offset (top, left) = ({top}, {left}) is not a legal position ({legal}).")
    if crop.shape != (h, w) + image.shape[2:]:
        raise AssertionError(f"{what}: the crop has shape {crop.shape}, expected {(h, w) + image.shape[2:]}.")
    if not np.array_equal(crop, image[top : top + h, left : left + w]):
        raise AssertionError(f"{what}: the crop is not image[top : top + h, left : left + w] at the offset you returned.")


_SINGLE = {"window": (4, 5), "whole_image": (6, 7), "one_row": (1, 7), "one_column": (6, 1)}


def _single_crops_ok(student, reference):
    image = _image(0, (6, 7, 2))
    for name, size in _SINGLE.items():
        crop = _array(student, f"{name}.crop")
        _crop_ok(image, crop, _array(student, f"{name}.offset", (2,)), size, f"a crop of size {size} of a 6 x 7 image")


@check(points=1, visible=True, compare=_single_crops_ok)
def crop_is_a_slice(sub):
    """random_crop of a 6 x 7 x 2 image: a (4, 5) window, the whole image (only offset (0, 0)), one
    row (1, 7) and one column (6, 1); each crop is the slice at the returned legal offset."""
    image = _image(0, (6, 7, 2))
    rng = np.random.default_rng(1)
    out = {}
    for name, size in _SINGLE.items():
        crop, offset = sub.random_crop(image, size, rng)
        out[f"{name}.crop"], out[f"{name}.offset"] = crop, np.asarray(offset)
    return out


_DRAWS, _IMAGE, _SIZE = 3000, (5, 8, 1), (3, 4)


def _uniform_ok(student, reference):
    image = _image(2, _IMAGE)
    crops = _array(student, "crops", (_DRAWS,) + _SIZE + (1,))
    offsets = _array(student, "offsets", (_DRAWS, 2)).astype(int)
    for crop, offset in zip(crops, offsets):
        _crop_ok(image, crop, offset, _SIZE, "a crop of size (3, 4) of a 5 x 8 image")
    rows, cols = _IMAGE[0] - _SIZE[0] + 1, _IMAGE[1] - _SIZE[1] + 1
    counts = np.zeros((rows, cols))
    np.add.at(counts, (offsets[:, 0], offsets[:, 1]), 1)
    for axis, name, positions in ((1, "top", rows), (0, "left", cols)):
        share = counts.sum(axis=axis) / _DRAWS
        error = 5 * math.sqrt((1 / positions) * (1 - 1 / positions) / _DRAWS)
        if np.any(np.abs(share - 1 / positions) > error):
            raise AssertionError(
                f"over {_DRAWS} crops the {name} offsets 0..{positions - 1} occurred with shares "
                f"{np.round(share, 3).tolist()}; each should be about 1/{positions} = {1 / positions:.3f} "
                "(uniform over the legal positions, the last one included).")
    expected = _DRAWS / (rows * cols)
    if np.any(np.abs(counts - expected) > 5 * math.sqrt(expected)):
        raise AssertionError(
            "the (top, left) pairs are not uniform: draw top and left independently, each uniform over "
            f"its legal positions (counts {counts.astype(int).tolist()}, each expected about {expected:.0f}).")


@check(points=2, compare=_uniform_ok)
def crop_offsets_uniform(sub):
    """3000 crops of size (3, 4) of a 5 x 8 image from one generator: every crop a slice at a legal
    offset, top uniform on 0..2, left uniform on 0..4, the 15 (top, left) pairs uniform."""
    image = _image(2, _IMAGE)
    rng = np.random.default_rng(3)
    crops, offsets = [], []
    for _ in range(_DRAWS):
        crop, offset = sub.random_crop(image, _SIZE, rng)
        crops.append(np.asarray(crop, dtype=float))
        offsets.append(np.asarray(offset))
    shapes = {c.shape for c in crops}
    return {"crops": np.stack(crops) if len(shapes) == 1 else np.zeros((0,)), "offsets": np.stack(offsets)}


_FLIPS = 2000


def _flips_ok(student, reference):
    image = _image(4, (3, 4, 2))
    outputs = _array(student, "outputs", (_FLIPS, 3, 4, 2))
    flipped = _array(student, "flipped", (_FLIPS,)).astype(bool)
    for out, flag in zip(outputs, flipped):
        if not np.array_equal(out, image[:, ::-1] if flag else image):
            raise AssertionError("random_flip returned an image that is neither image (flipped False) nor "
                                 "image[:, ::-1] (flipped True).")
    error = 5 * math.sqrt(0.25 / _FLIPS)
    if abs(flipped.mean() - 0.5) > error:
        raise AssertionError(f"{flipped.mean():.1%} of {_FLIPS} calls flipped the image; expected about 50%.")


@check(points=1, compare=_flips_ok)
def flip_with_probability_half(sub):
    """2000 calls of random_flip on a 3 x 4 x 2 image: each output is the image or image[:, ::-1] as
    the returned flag says, and about half are mirrored."""
    image = _image(4, (3, 4, 2))
    rng = np.random.default_rng(5)
    outputs, flags = [], []
    for _ in range(_FLIPS):
        out, flag = sub.random_flip(image, rng)
        outputs.append(np.asarray(out, dtype=float))
        flags.append(bool(flag))
    return {"outputs": np.stack(outputs), "flipped": np.array(flags, dtype=float)}


_BATCH = (300, 7, 8, 1)


def _placements(image, window):
    """Every (top, left, mirrored) at which `window` sits in `image`."""
    h, w = window.shape[:2]
    found = []
    for top in range(image.shape[0] - h + 1):
        for left in range(image.shape[1] - w + 1):
            patch = image[top : top + h, left : left + w]
            for mirrored in (False, True):
                if np.array_equal(window, patch[:, ::-1] if mirrored else patch):
                    found.append((top, left, mirrored))
    return found


def _batch_ok(student, reference):
    images = _image(6, _BATCH)
    out = _array(student, "training", (300, 4, 5, 1))
    placed = [_placements(image, window) for image, window in zip(images, out)]
    if not all(placed):
        raise AssertionError("in training every output must be a (4, 5) window of its own image, mirrored or not.")
    placements = [p[0] for p in placed]
    mirrored = np.mean([m for _, _, m in placements])
    if abs(mirrored - 0.5) > 5 * math.sqrt(0.25 / len(out)):
        raise AssertionError(f"augment mirrored {mirrored:.1%} of the training images; expected about 50%.")
    if len({(t, l) for t, l, _ in placements}) < 12:
        raise AssertionError("the training crops do not vary over the legal offsets: give every image its own "
                             "random crop.")
    for key, size, (top, left) in (("test", (3, 5), (2, 1)), ("test_tall", (4, 3), (1, 2))):
        test = _array(student, key, (300,) + size + (1,))
        if not np.array_equal(test, images[:, top : top + size[0], left : left + size[1]]):
            raise AssertionError(
                "at test time augment must return the central windows, top = (H - h) // 2 and left = (W - w) // 2 "
                f"(here ({top}, {left}) for crops {size} of 7 x 8 images), unflipped.")


@check(points=1, compare=_batch_ok)
def augment_training_and_test(sub):
    """augment of 300 images of 7 x 8: in training each output a (4, 5) window of its own image, about
    half mirrored, offsets varying; at test time the exact central windows, (3, 5) at offset (2, 1)
    and (4, 3) at offset (1, 2) (odd margins round down)."""
    images = _image(6, _BATCH)
    return {"training": sub.augment(images, (4, 5), np.random.default_rng(7), training=True),
            "test": sub.augment(images, (3, 5), np.random.default_rng(8), training=False),
            "test_tall": sub.augment(images, (4, 3), np.random.default_rng(8), training=False)}


_BAD_SIZES = ((7, 3), (3, 8), (0, 3), (3, 0))


def _reproducible_ok(student, reference):
    images = _image(9, (20, 6, 7, 1))
    first = _array(student, "first", (20, 4, 4, 1))
    if not all(_placements(image, window) for image, window in zip(images, first)):
        raise AssertionError("augment's training outputs must be (4, 4) windows of their images, mirrored or not.")
    if student.get("same_seed_same_batch") != 1:
        raise AssertionError("two generators seeded alike gave different batches: draw every random number "
                             "from `rng`, not from np.random.")
    if student.get("next_call_new_batch") != 1:
        raise AssertionError("two calls with the same generator gave the same batch: draw new crops and flips "
                             "on every call.")
    if student.get("input_unchanged") != 1:
        raise AssertionError("augment or random_crop changed its input; return new arrays.")
    raised = np.ravel(_array(student, "raised")).tolist()
    missed = [size for size, flag in zip(_BAD_SIZES, raised + [0] * 4) if flag != 1]
    if missed:
        raise AssertionError(f"random_crop on a 6 x 7 image must raise ValueError for the sizes {missed}: "
                             "a crop fits when 1 <= h <= H and 1 <= w <= W.")


@check(points=1, compare=_reproducible_ok)
def same_rng_same_result(sub):
    """generators seeded alike give the same batch, the next call a new one, the input is unchanged,
    and random_crop raises ValueError for the sizes (7, 3), (3, 8), (0, 3), (3, 0) of a 6 x 7 image
    (paid only with valid crops)."""
    images = _image(9, (20, 6, 7, 1))
    copy = images.copy()
    first = np.asarray(sub.augment(images, (4, 4), np.random.default_rng(10)))
    again = np.asarray(sub.augment(images, (4, 4), np.random.default_rng(10)))
    rng = np.random.default_rng(11)
    one = np.asarray(sub.augment(images, (4, 4), rng))
    two = np.asarray(sub.augment(images, (4, 4), rng))
    raised = []
    for size in _BAD_SIZES:
        try:
            sub.random_crop(images[0], size, np.random.default_rng(13))
            raised.append(0)
        except ValueError:
            raised.append(1)
        except Exception:  # noqa: BLE001 -- the wrong exception type
            raised.append(0)
    return {
        "first": first,
        "same_seed_same_batch": int(first.shape == again.shape and np.array_equal(first, again)),
        "next_call_new_batch": int(one.shape != two.shape or not np.array_equal(one, two)),
        "input_unchanged": int(np.array_equal(images, copy)),
        "raised": np.array(raised),
    }
