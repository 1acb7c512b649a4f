"""Grader for ch02_training/dropout.

The masks are random, so the training checks are statistical: the fraction of dropped units
and the output mean must lie within five binomial / sampling standard errors of their
expected values, and h_tilde must equal h * r (the notes' form) or h * r / (1 - p) (inverted
dropout) exactly, for the mask r the submission returns.
"""

import math

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "dropout_forward": {"h": "any shape"},
    "inverted_dropout_forward": {"h": "any shape"},
}

_FUNCTIONS = {"notes": "dropout_forward", "inverted": "inverted_dropout_forward"}


def _call(sub, form, h, p, seed, training, prefix, results):
    function = getattr(sub, _FUNCTIONS[form])
    h_tilde, r = function(h, p, np.random.default_rng(seed), training=training)
    results[prefix + "h_tilde"], results[prefix + "r"] = h_tilde, r


def _pair(student, prefix, shape, function):
    for key in ("h_tilde", "r"):
        value = student.get(prefix + key)
        if value is None:
            raise AssertionError(f"{function} did not return `{key}`; return the tuple (h_tilde, r).")
        if np.shape(value) != shape:
            raise AssertionError(f"{function}: `{key}` has shape {np.shape(value)}, expected the shape of h, {shape}.")
    return np.asarray(student[prefix + "h_tilde"], dtype=float), np.asarray(student[prefix + "r"], dtype=float)


def _check_training(form, h, h_tilde, r, p):
    function = _FUNCTIONS[form]
    if not np.all((r == 0) | (r == 1)):
        raise AssertionError(f"{function}: the mask r must hold only 0.0 (dropped) and 1.0 (kept).")
    dropped = 1.0 - r.mean()
    tolerance = 5 * math.sqrt(p * (1 - p) / r.size)
    if abs(dropped - p) > tolerance:
        raise AssertionError(
            f"{function} with p = {p} dropped {dropped:.2%} of the units; expected about {p:.0%} "
            "(each unit is kept with probability 1 - p, r_i ~ Bernoulli(1 - p))."
        )
    scale = 1.0 if form == "notes" else 1.0 / (1.0 - p)
    if not np.allclose(h_tilde, h * r * scale, rtol=1e-6, atol=1e-9):
        kept = (r == 1) & (h != 0)
        ratio = np.median(h_tilde[kept] / h[kept]) if kept.any() else float("nan")
        rule = ("h_tilde = h * r: the notes' dropout does not rescale the kept units in training"
                if form == "notes" else
                f"h_tilde = h * r / (1 - p): kept units scaled by 1 / (1 - p) = {scale:.4g}")
        raise AssertionError(f"{function}: {rule} (yours are scaled by {ratio:.4g}), dropped units 0.")


def _check_test_time(form, h, h_tilde, r, p):
    function = _FUNCTIONS[form]
    expected = (1.0 - p) * h if form == "notes" else h
    if not (np.allclose(h_tilde, expected, rtol=1e-9, atol=1e-12) and np.all(r == 1)):
        rule = "h_tilde = (1 - p) h" if form == "notes" else "h_tilde = h"
        raise AssertionError(f"{function}(h, p={p}, rng, training=False) must return {rule} and a mask of ones.")


def _notes_h():
    return np.random.default_rng(0).normal(size=(20, 50))


def _notes_ok(student, reference):
    h = _notes_h()
    _check_test_time("notes", h, *_pair(student, "test_", h.shape, "dropout_forward"), 0.5)
    h_tilde, r = _pair(student, "p_zero_", h.shape, "dropout_forward")
    if not (np.allclose(h_tilde, h) and np.all(r == 1)):
        raise AssertionError("dropout_forward with p = 0 drops nothing in training: h_tilde = h and a mask of ones.")
    _check_training("notes", h, *_pair(student, "training_", h.shape, "dropout_forward"), 0.5)


@check(points=2, visible=True, compare=_notes_ok)
def notes_dropout(sub):
    """the notes' form: h * r in training (p = 0.5 and p = 0) and (1 - p) h at test time."""
    h, results = _notes_h(), {}
    _call(sub, "notes", h, 0.5, 1, False, "test_", results)
    _call(sub, "notes", h, 0.0, 1, True, "p_zero_", results)
    _call(sub, "notes", h, 0.5, 1, True, "training_", results)
    return results


_SHAPE = (200, 300)


def _inverted_h():
    return np.random.default_rng(2).normal(size=_SHAPE)


def _inverted_ok(student, reference):
    h = _inverted_h()
    _check_training("inverted", h, *_pair(student, "training_", _SHAPE, "inverted_dropout_forward"), 0.3)
    _check_test_time("inverted", h, *_pair(student, "test_", _SHAPE, "inverted_dropout_forward"), 0.3)
    h_tilde, r = _pair(student, "p_zero_", _SHAPE, "inverted_dropout_forward")
    if not (np.allclose(h_tilde, h) and np.all(r == 1)):
        raise AssertionError("inverted_dropout_forward with p = 0 drops nothing: h_tilde = h and a mask of ones.")


@check(points=2, compare=_inverted_ok)
def inverted_dropout(sub):
    """inverted dropout, p = 0.3 on 60000 units: about 30% dropped, kept units scaled by 1 / 0.7;
    the identity at test time and with p = 0."""
    h, results = _inverted_h(), {}
    _call(sub, "inverted", h, 0.3, 3, True, "training_", results)
    _call(sub, "inverted", h, 0.3, 3, False, "test_", results)
    _call(sub, "inverted", h, 0.0, 3, True, "p_zero_", results)
    return results


def _positive_h():
    return np.abs(np.random.default_rng(4).normal(size=(50000,))) + 1.0


def _expectations_ok(student, reference):
    h, p = _positive_h(), 0.8
    for form, function in _FUNCTIONS.items():
        h_tilde, r = _pair(student, form + "_training_", h.shape, function)
        _check_training(form, h, h_tilde, r, p)
        test_output, _ = _pair(student, form + "_test_", h.shape, function)
        _check_test_time(form, h, test_output, np.ones_like(h), p)
        # each unit's training output has mean test_output_i and variance test_output_i^2 p / (1 - p)
        standard_error = math.sqrt(np.mean(test_output**2) * p / (1 - p) / h.size)
        if abs(h_tilde.mean() - test_output.mean()) > 5 * standard_error:
            expected = "(1 - p) times the mean of h" if form == "notes" else "the mean of h"
            raise AssertionError(
                f"{function} with p = {p}: the mean training output is {h_tilde.mean():.4g}, but in "
                f"expectation it equals the test-time output, {expected} ({test_output.mean():.4g})."
            )


@check(points=1, compare=_expectations_ok)
def training_expectation_is_the_test_output(sub):
    """p = 0.8: in both forms the mean training output equals the mean test-time output."""
    h, results = _positive_h(), {}
    for form in _FUNCTIONS:
        _call(sub, form, h, 0.8, 5, True, form + "_training_", results)
        _call(sub, form, h, 0.8, 5, False, form + "_test_", results)
    return results


def _masks_from_rng(student, reference):
    for form, function in _FUNCTIONS.items():
        if student.get(form + ".outputs_follow_the_mask", 0) != 1:
            rule = "h * r" if form == "notes" else "h * r / (1 - p)"
            raise AssertionError(f"{function} with p = 0.5 must return h_tilde = {rule} for the mask r it returns.")
        if student.get(form + ".same_seed_same_mask", 0) != 1:
            raise AssertionError(
                f"two calls of {function} with generators seeded alike gave different masks: draw "
                "the mask from `rng` (e.g. rng.random(h.shape)), not from np.random."
            )
        if student.get(form + ".next_call_new_mask", 0) != 1:
            raise AssertionError(f"two calls of {function} with the same generator gave the same mask: "
                                 "draw a new mask on every call.")
        if student.get(form + ".input_unchanged", 0) != 1:
            raise AssertionError(f"{function} changed h in place; return a new array h_tilde.")


@check(points=1, compare=_masks_from_rng)
def new_mask_each_call(sub):
    """the mask comes from rng: equal seeds give equal masks, the next call a new one; h is unchanged."""
    h = np.random.default_rng(6).normal(size=(30, 40))
    copy = h.copy()
    results = {}
    for form, name in _FUNCTIONS.items():
        function = getattr(sub, name)
        h_tilde, first = (np.asarray(a, dtype=float) for a in function(h, 0.5, np.random.default_rng(7), True))
        again = np.asarray(function(h, 0.5, np.random.default_rng(7), True)[1])
        rng = np.random.default_rng(8)
        one = np.asarray(function(h, 0.5, rng, True)[1])
        two = np.asarray(function(h, 0.5, rng, True)[1])
        scale = 1.0 if form == "notes" else 2.0
        follows = (h_tilde.shape == first.shape == h.shape and np.all((first == 0) | (first == 1))
                   and 0.3 < first.mean() < 0.7 and np.allclose(h_tilde, h * first * scale))
        results[form + ".outputs_follow_the_mask"] = int(follows)
        results[form + ".same_seed_same_mask"] = int(first.shape == again.shape and np.array_equal(first, again))
        results[form + ".next_call_new_mask"] = int(not np.array_equal(one, two))
        results[form + ".input_unchanged"] = int(np.array_equal(h, copy))
    return results


def _low_rate_ok(student, reference):
    h = np.random.default_rng(9).normal(size=(1000, 10))
    for form, function in _FUNCTIONS.items():
        _check_training(form, h, *_pair(student, form + "_", h.shape, function), 0.1)


@check(points=1, compare=_low_rate_ok)
def low_rate(sub):
    """p = 0.1 on a (1000, 10) batch, both forms: about 10% dropped."""
    h, results = np.random.default_rng(9).normal(size=(1000, 10)), {}
    for form in _FUNCTIONS:
        _call(sub, form, h, 0.1, 10, True, form + "_", results)
    return results
