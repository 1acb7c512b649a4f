"""Grader for ch03_sequence/gradient_clipping."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "clip_by_value": {"g": "any shape"},
    "clip_by_norm": {"g": "any shape"},
    "clip_by_global_norm": {},
}


def _gradients(seed, scale):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) * scale for shape in ((3, 4), (4,), (2, 2, 3))]


@check(points=1, visible=True)
def by_value(sub):
    """clip_by_value with v = 0.5 on a (3, 4) gradient."""
    g = _gradients(0, 1.0)[0]
    return {"clipped": sub.clip_by_value(g, 0.5)}


@check(points=1)
def by_norm_above_and_below(sub):
    """clip_by_norm with c = 1 on a large (3, 4) gradient (rescaled) and a small one (unchanged)."""
    large, small = _gradients(1, 5.0)[0], _gradients(2, 0.01)[2]
    return {"large": sub.clip_by_norm(large, 1.0), "small": sub.clip_by_norm(small, 1.0)}


@check(points=2)
def by_global_norm(sub):
    """clip_by_global_norm with c = 2 on three gradients of different shapes, above and below c."""
    results = {}
    for name, scale in (("large", 3.0), ("small", 0.05)):
        clipped, norm = sub.clip_by_global_norm(_gradients(3, scale), 2.0)
        results[f"{name}_global_norm"] = norm
        for k, g in enumerate(clipped):
            results[f"{name}_clipped_{k}"] = g
    return results


def _untouched(student, reference):
    # The probe's inputs are rebuilt here, in the grading process, from the same seed.
    original = _gradients(5, 10.0)
    inputs = (("clip_by_value", "after_clip_by_value", original[0]),
              ("clip_by_norm", "after_clip_by_norm", original[1]),
              *((f"clip_by_global_norm (gradient {k})", f"after_clip_by_global_norm_{k}", g)
                for k, g in enumerate(original)))
    for function, key, before in inputs:
        after = np.asarray(student[key])
        if after.shape != before.shape or not np.array_equal(after, before):
            raise AssertionError(f"{function} changed the array it was given: return new arrays instead of "
                                 "clipping in place.")
    for key, expected in reference.items():
        if key.startswith("after_"):
            continue
        got = student.get(key)
        if got is None or np.shape(got) != expected.shape or not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            raise AssertionError(
                f"`{key}` is wrong: an all-zero gradient must come back as zeros (no division by its "
                "zero norm), and its global norm is 0.")


@check(points=1, compare=_untouched, requires=("by_value", "by_norm_above_and_below", "by_global_norm"))
def zero_gradient_and_no_side_effects(sub):
    """an all-zero gradient stays zero (no NaN); no input array is modified in place."""
    out = {}
    gradients = _gradients(5, 10.0)
    sub.clip_by_value(gradients[0], 0.1)
    out["after_clip_by_value"] = gradients[0]
    gradients = _gradients(5, 10.0)
    sub.clip_by_norm(gradients[1], 0.1)
    out["after_clip_by_norm"] = gradients[1]
    gradients = _gradients(5, 10.0)
    sub.clip_by_global_norm(gradients, 0.1)
    out.update({f"after_clip_by_global_norm_{k}": g for k, g in enumerate(gradients)})
    zero = np.zeros((2, 3))
    clipped, norm = sub.clip_by_global_norm([zero, zero[0]], 1.0)
    out.update({"zero_by_norm": sub.clip_by_norm(zero, 1.0), "zero_by_global_norm": clipped[0],
                "zero_global_norm": norm})
    return out
