"""Grader for ch02_training/inverted_dropout.

The masks are random, so the training checks are statistical: the fraction of dropped units
and the output mean must lie within five binomial / sampling standard errors of their
expected values, and y must equal x * mask / (1 - rate) exactly.
"""

import math

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")


def _pair(student, prefix, shape):
    for key in ("y", "mask"):
        value = student.get(prefix + key)
        if value is None:
            raise AssertionError(f"dropout_forward did not return `{key}`; return the tuple (y, mask).")
        if np.shape(value) != shape:
            raise AssertionError(f"`{key}` has shape {np.shape(value)}, expected the input's shape {shape}.")
    return np.asarray(student[prefix + "y"], dtype=float), np.asarray(student[prefix + "mask"], dtype=float)


def _check_training(x, y, mask, rate):
    if not np.all((mask == 0) | (mask == 1)):
        raise AssertionError("the mask must hold only 0.0 (dropped) and 1.0 (kept).")
    dropped = 1.0 - mask.mean()
    tolerance = 5 * math.sqrt(rate * (1 - rate) / mask.size)
    if abs(dropped - rate) > tolerance:
        raise AssertionError(
            f"with rate = {rate} your mask dropped {dropped:.2%} of the units; expected about "
            f"{rate:.0%} (each unit is dropped with probability rate)."
        )
    if not np.allclose(y, x * mask / (1 - rate), rtol=1e-6, atol=1e-9):
        kept = mask == 1
        ratio = np.median(y[kept] / x[kept]) if kept.any() else float("nan")
        raise AssertionError(
            f"y must be x * mask / (1 - rate): kept units scaled by 1 / (1 - rate) = {1 / (1 - rate):.4g} "
            f"(yours are scaled by {ratio:.4g}), dropped units 0."
        )


def _basic_ok(student, reference):
    x = np.random.default_rng(0).normal(size=(20, 50))
    y, mask = _pair(student, "inference_", x.shape)
    if not (np.allclose(y, x) and np.all(mask == 1)):
        raise AssertionError("with training=False dropout_forward must return y = x and a mask of ones.")
    y, mask = _pair(student, "rate_zero_", x.shape)
    if not (np.allclose(y, x) and np.all(mask == 1)):
        raise AssertionError("with rate = 0 nothing is dropped: y = x and a mask of ones.")
    y, mask = _pair(student, "training_", x.shape)
    _check_training(x, y, mask, 0.5)


@check(points=1, visible=True, compare=_basic_ok)
def inference_rate_zero_and_training(sub):
    """identity at inference and with rate = 0; rate = 0.5 in training on a (20, 50) batch."""
    x = np.random.default_rng(0).normal(size=(20, 50))
    results = {}
    for prefix, rate, training in (("inference_", 0.5, False), ("rate_zero_", 0.0, True), ("training_", 0.5, True)):
        y, mask = sub.dropout_forward(x, rate, np.random.default_rng(1), training=training)
        results[prefix + "y"], results[prefix + "mask"] = y, mask
    return results


_SHAPE = (200, 300)


def _fraction_ok(student, reference):
    x = np.random.default_rng(2).normal(size=_SHAPE)
    y, mask = _pair(student, "", _SHAPE)
    _check_training(x, y, mask, 0.3)


@check(points=2, compare=_fraction_ok)
def fraction_dropped_and_scaling(sub):
    """rate = 0.3 on 60000 units: about 30% dropped, kept units scaled by 1 / 0.7."""
    x = np.random.default_rng(2).normal(size=_SHAPE)
    y, mask = sub.dropout_forward(x, 0.3, np.random.default_rng(3), training=True)
    return {"y": y, "mask": mask}


def _mean_ok(student, reference):
    x = np.abs(np.random.default_rng(4).normal(size=(50000,))) + 1.0
    y, mask = _pair(student, "", x.shape)
    _check_training(x, y, mask, 0.8)
    # y_i = m_i x_i / (1 - rate) has mean x_i and variance x_i^2 rate / (1 - rate)
    standard_error = math.sqrt(np.mean(x**2) * 0.8 / 0.2 / x.size)
    if abs(y.mean() - x.mean()) > 5 * standard_error:
        raise AssertionError(
            f"the mean of y is {y.mean():.4g}, but inverted dropout keeps the mean of x, {x.mean():.4g}."
        )


@check(points=1, compare=_mean_ok)
def mean_preserved_at_high_rate(sub):
    """rate = 0.8: 80% dropped, and the mean of the output still equals the input's."""
    x = np.abs(np.random.default_rng(4).normal(size=(50000,))) + 1.0
    y, mask = sub.dropout_forward(x, 0.8, np.random.default_rng(5), training=True)
    return {"y": y, "mask": mask}


def _masks_from_rng(student, reference):
    if student.get("same_seed_same_mask", 0) != 1:
        raise AssertionError(
            "two calls with generators seeded alike gave different masks: draw the mask from "
            "`rng` (e.g. rng.random(x.shape)), not from np.random."
        )
    if student.get("next_call_new_mask", 0) != 1:
        raise AssertionError("two calls with the same generator gave the same mask: draw a new mask on every call.")
    if student.get("input_unchanged", 0) != 1:
        raise AssertionError("dropout_forward changed x in place; return a new array y.")


@check(points=1, compare=_masks_from_rng)
def new_mask_each_call(sub):
    """the mask comes from rng: equal seeds give equal masks, the next call a new one."""
    x = np.random.default_rng(6).normal(size=(30, 40))
    copy = x.copy()
    first = np.asarray(sub.dropout_forward(x, 0.5, np.random.default_rng(7), True)[1])
    again = np.asarray(sub.dropout_forward(x, 0.5, np.random.default_rng(7), True)[1])
    rng = np.random.default_rng(8)
    one = np.asarray(sub.dropout_forward(x, 0.5, rng, True)[1])
    two = np.asarray(sub.dropout_forward(x, 0.5, rng, True)[1])
    return {
        "same_seed_same_mask": int(first.shape == again.shape and np.array_equal(first, again)),
        "next_call_new_mask": int(not np.array_equal(one, two)),
        "input_unchanged": int(np.array_equal(x, copy)),
    }


def _small_batches_ok(student, reference):
    x = np.random.default_rng(9).normal(size=(1000, 10))
    y, mask = _pair(student, "", x.shape)
    _check_training(x, y, mask, 0.1)


@check(points=1, compare=_small_batches_ok)
def low_rate(sub):
    """rate = 0.1 on a (1000, 10) batch: about 10% dropped, kept units scaled by 1 / 0.9."""
    x = np.random.default_rng(9).normal(size=(1000, 10))
    y, mask = sub.dropout_forward(x, 0.1, np.random.default_rng(10), training=True)
    return {"y": y, "mask": mask}
