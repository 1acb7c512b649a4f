"""Grader for ch02_training/batch_norm."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "batch_norm_forward": {
        "x": "(batch, ..., features)",
        "gamma": "(features,)",
        "beta": "(features,)",
        "running_mean": "(features,)",
        "running_var": "(features,)",
    },
}


def _parameters(rng, features):
    gamma = rng.uniform(0.5, 2.0, size=features)
    beta = rng.normal(size=features)
    running_mean = rng.normal(size=features)
    running_var = rng.uniform(0.5, 2.0, size=features)
    return gamma, beta, running_mean, running_var


def _batch(rng, shape):
    # features on different scales and offsets, as real pre-activations are
    return rng.normal(size=shape) * rng.uniform(0.5, 3.0, size=shape[-1]) + rng.normal(size=shape[-1])


def _outputs(prefix, result):
    y, mean, var = result
    return {f"{prefix}y": y, f"{prefix}running_mean": mean, f"{prefix}running_var": var}


@check(points=1, visible=True)
def training_forward(sub):
    """one training-mode call on a (8, 3) batch: output and updated running statistics."""
    rng = np.random.default_rng(0)
    gamma, beta, mean, var = _parameters(rng, 3)
    x = _batch(rng, (8, 3))
    return _outputs("", sub.batch_norm_forward(x, gamma, beta, mean, var, True, 0.9, 1e-3))


@check(points=2)
def running_statistics_then_inference(sub):
    """three training calls carry the running statistics; an inference call then uses them."""
    rng = np.random.default_rng(4)
    gamma, beta, mean, var = _parameters(rng, 5)
    results = {}
    for step in range(3):
        y, mean, var = sub.batch_norm_forward(_batch(rng, (16, 5)), gamma, beta, mean, var, True, 0.8, 1e-3)
        results.update(_outputs(f"train{step}_", (y, mean, var)))
    results.update(_outputs("inference_", sub.batch_norm_forward(_batch(rng, (4, 5)), gamma, beta, mean, var, False, 0.8, 1e-3)))
    return results


def _inference_ok(student, reference):
    if student.get("inputs_unchanged", 0) != 1:
        raise AssertionError(
            "batch_norm_forward changed the arrays it was given (x, gamma, beta or the running "
            "statistics): return new arrays instead of updating them in place."
        )
    for key in ("y", "running_mean", "running_var"):
        got, expected = student.get(key), reference[key]
        if got is None or np.shape(got) != expected.shape:
            raise AssertionError(f"in inference mode `{key}` has shape {np.shape(got)}, expected {expected.shape}.")
        if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            if key == "y":
                raise AssertionError(
                    "in inference mode y must use the running statistics, "
                    "y = gamma (x - running_mean) / sqrt(running_var + epsilon) + beta."
                )
            raise AssertionError(f"in inference mode the running statistics must stay unchanged; `{key}` changed.")


@check(points=1, compare=_inference_ok)
def inference_mode(sub):
    """inference uses and keeps the running statistics; no input array is modified."""
    rng = np.random.default_rng(7)
    gamma, beta, mean, var = _parameters(rng, 4)
    x = _batch(rng, (6, 4))
    arrays = (x, gamma, beta, mean, var)
    copies = [a.copy() for a in arrays]
    y, new_mean, new_var = sub.batch_norm_forward(x, gamma, beta, mean, var, False, 0.9, 1e-3)
    # a training call too: an in-place update of the running statistics shows up here
    sub.batch_norm_forward(x, gamma, beta, mean, var, True, 0.9, 1e-3)
    unchanged = all(np.array_equal(a, c) for a, c in zip(arrays, copies))
    return {"y": y, "running_mean": new_mean, "running_var": new_var, "inputs_unchanged": int(unchanged)}


@check(points=1)
def image_batch(sub):
    """a channels-last image batch (4, 5, 5, 3): statistics per channel over batch, height, width."""
    rng = np.random.default_rng(12)
    gamma, beta, mean, var = _parameters(rng, 3)
    x = _batch(rng, (4, 5, 5, 3))
    return _outputs("", sub.batch_norm_forward(x, gamma, beta, mean, var, True, 0.99, 1e-5))
