"""Grader for ch02_training/early_stopping."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "early_stopping": {},
}


def _noisy_curves(seed, count=6, epochs=40):
    rng = np.random.default_rng(seed)
    t = np.arange(epochs)
    curves = []
    for _ in range(count):
        # validation loss: falls, then overfits upwards, with noise
        curve = np.exp(-t / rng.uniform(3, 10)) + rng.uniform(0.001, 0.01) * t + rng.normal(0, 0.02, epochs)
        curves.append([round(float(v), 6) for v in curve])
    return curves


def _run(sub, cases):
    """cases: {name: (history, patience, min_delta, mode)}. The settings travel with the
    results, so that the feedback can name the case that failed."""
    results = {}
    for name, (history, patience, min_delta, mode) in cases.items():
        stop_epoch, best_epoch = sub.early_stopping(list(history), patience, min_delta, mode)
        results[f"{name}.stop_epoch"] = int(stop_epoch)
        results[f"{name}.best_epoch"] = int(best_epoch)
        results[f"{name}.history"] = np.asarray(history, dtype=float)
        results[f"{name}.setting"] = f"patience={patience}, min_delta={min_delta}, mode={mode!r}"
    return results


def _same_epochs(student, reference):
    for key, expected in reference.items():
        name, quantity = key.split(".")
        if quantity not in ("stop_epoch", "best_epoch"):
            continue
        got = student.get(key)
        if got is not None and np.shape(got) == () and int(got) == int(expected):
            continue
        history = [float(v) for v in reference[f"{name}.history"]]
        shown = f"history {history}" if len(history) <= 10 else f"a history of {len(history)} epochs"
        raise AssertionError(
            f"for {shown} with {reference[f'{name}.setting']}: your {quantity} is "
            f"{None if got is None else int(got)}, expected {int(expected)} (epochs count from 0)."
        )


@check(points=1, visible=True, compare=_same_epochs)
def simple_history(sub):
    """patience 2 on a short loss history that stalls after epoch 2."""
    return _run(sub, {"simple": ([1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], 2, 0.0, "min")})


@check(points=1, compare=_same_epochs)
def never_stops(sub):
    """a loss that keeps improving, and a patience longer than the training: run to the end."""
    return _run(sub, {
        "always_improving": ([1.0 / (epoch + 1) for epoch in range(8)], 1, 0.0, "min"),
        "patience_beyond_the_end": ([0.5, 0.4, 0.45, 0.46, 0.47], 5, 0.0, "min"),
    })


@check(points=1, compare=_same_epochs)
def patience_zero(sub):
    """patience 0 stops at the first epoch that does not improve; equal values do not improve,
    nor does an improvement of exactly min_delta."""
    return _run(sub, {
        "first_bump": ([0.9, 0.8, 0.85, 0.5], 0, 0.0, "min"),
        "plateau": ([0.9, 0.9, 0.1], 0, 0.0, "min"),
        "improvement_of_exactly_min_delta": ([0.5, 0.25, 0.1], 0, 0.25, "min"),
    })


@check(points=2, compare=_same_epochs)
def min_delta_and_noisy_curves(sub):
    """min_delta: small improvements do not count; noisy validation curves with several settings."""
    cases = {"small_improvements": ([1.0, 0.95, 0.949, 0.948, 0.947, 0.90], 3, 0.01, "min")}
    settings = [(3, 0.0), (5, 0.01), (2, 0.005), (8, 0.02), (1, 0.0), (4, 0.001)]
    for index, (curve, (patience, min_delta)) in enumerate(zip(_noisy_curves(17), settings)):
        cases[f"noisy_curve_{index}"] = (curve, patience, min_delta, "min")
    return _run(sub, cases)


@check(points=1, compare=_same_epochs)
def accuracy_mode_max(sub):
    """mode "max" on a validation accuracy, with and without min_delta; a repeated accuracy and a
    rise of exactly min_delta do not improve."""
    accuracy = [0.50, 0.62, 0.70, 0.705, 0.71, 0.69, 0.70, 0.72, 0.715]
    return _run(sub, {
        "no_min_delta": (accuracy, 2, 0.0, "max"),
        "min_delta": (accuracy, 2, 0.02, "max"),
        "repeated_accuracy": ([0.5, 0.625, 0.625, 0.75], 0, 0.0, "max"),
        "rise_of_exactly_min_delta": ([0.5, 0.75, 0.875], 0, 0.25, "max"),
    })
