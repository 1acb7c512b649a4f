"""Grader for ch06_generative/mmd."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "scipy", "sklearn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "gaussian_kernel": {"x": "(m, D)", "y": "(n, D)"},
    "mmd2": {"x": "(m, D)", "y": "(n, D)"},
}


@check(points=1, visible=True)
def kernel_of_three_and_two_points(sub):
    """k(x_i, y_j) for three points against two in 2-D, bandwidth 1.5."""
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    y = np.array([[1.0, 1.0], [-1.0, 0.5]])
    return {"k": sub.gaussian_kernel(x, y, 1.5)}


@check(points=2)
def both_estimates_on_random_samples(sub):
    """unbiased and biased MMD^2 for 8 samples of N(0, I) against 6 of N(0.7, I) in 3-D, h = 1."""
    rng = np.random.default_rng(14)
    x, y = rng.normal(size=(8, 3)), rng.normal(0.7, 1.0, size=(6, 3))
    return {"unbiased": sub.mmd2(x, y, 1.0, True), "biased": sub.mmd2(x, y, 1.0, False)}


@check(points=1)
def same_distribution_in_one_dimension(sub):
    """both estimates for 2 against 5 samples of one distribution in 1-D (the unbiased one may be < 0)."""
    rng = np.random.default_rng(15)
    x, y = rng.normal(size=(2, 1)), rng.normal(size=(5, 1))
    return {"unbiased": sub.mmd2(x, y, 0.8, True), "biased": sub.mmd2(x, y, 0.8, False)}


def _raised_and_still_works(student, reference):
    for key, sizes in (("raised_x", "1 sample of x"), ("raised_y", "1 sample of y")):
        if student[key] != 1:
            raise AssertionError(f"mmd2(..., unbiased=True) with {sizes} should raise ValueError.")
    if "valid_error" in student:
        raise AssertionError(f"mmd2(..., unbiased=True) with 2 samples of each set raised {student['valid_error']} "
                             "-- only fewer than 2 should raise.")
    if not np.isclose(float(student["unbiased"]), float(reference["unbiased"]), rtol=1e-5, atol=1e-8):
        raise AssertionError("mmd2(..., unbiased=True) with 2 samples of each set returned a wrong value.")


@check(points=1, compare=_raised_and_still_works)
def one_sample_raises(sub):
    """the unbiased estimate raises ValueError for a set of 1 sample; 2 samples of each work."""
    rng = np.random.default_rng(16)
    x, y = rng.normal(size=(2, 2)), rng.normal(size=(2, 2)) + 1.0
    out = {}
    for key, (a, b) in (("raised_x", (x[:1], y)), ("raised_y", (x, y[:1]))):
        out[key] = 0
        try:
            sub.mmd2(a, b, 1.0, True)
        except ValueError:
            out[key] = 1
    try:
        out["unbiased"] = sub.mmd2(x, y, 1.0, True)
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
