"""Grader for ch02_training/symmetry_breaking."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = (
    "dlcourse.training",
    "dlcourse.perceptron",
    "keras",
    "tensorflow",
    "jax",
    "torch",
    "autograd",
)

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "hidden_layer_gradients": {
        'params["W1"]': "(n_inputs, H)",
        'params["b1"]': "(H,)",
        'params["W2"]': "(H, K)",
        'params["b2"]': "(K,)",
        "x": "(N, n_inputs)",
        "y": "(N, K)",
    },
    "hidden_units_identical": {
        'params["W1"]': "(n_inputs, H)",
        'params["b1"]': "(H,)",
        'params["W2"]': "(H, K)",
        'params["b2"]': "(K,)",
    },
    "symmetry_after_training": {
        'params["W1"]': "(n_inputs, H)",
        'params["b1"]': "(H,)",
        'params["W2"]': "(H, K)",
        'params["b2"]': "(K,)",
        "x": "(N, n_inputs)",
        "y": "(N, K)",
    },
}

_NAMES = ("W1", "b1", "W2", "b2")


def _data(seed, n, n_in, k):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_in)), rng.normal(size=(n, k))


def _constant(n_in, hidden, k, value):
    """Every weight `value`, every bias 0: the symmetric start the notes warn about."""
    return {"W1": np.full((n_in, hidden), value), "b1": np.zeros(hidden),
            "W2": np.full((hidden, k), value), "b2": np.zeros(k)}


def _random(seed, n_in, hidden, k, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(n_in, hidden)) * scale, "b1": rng.normal(size=hidden) * scale,
            "W2": rng.normal(size=(hidden, k)) * scale, "b2": rng.normal(size=k) * scale}


def _gradients(sub, params, x, y, prefix=""):
    copies = {name: value.copy() for name, value in params.items()}
    grads = sub.hidden_layer_gradients(copies, x, y)
    return {f"{prefix}d{name}": np.asarray(grads[name], dtype=float) for name in _NAMES}


@check(points=1, visible=True)
def constant_init_gradients(sub):
    """gradients of a 3-4-2 network whose weights all start at 0.5 (biases 0), batch of 5."""
    x, y = _data(0, 5, 3, 2)
    return _gradients(sub, _constant(3, 4, 2, 0.5), x, y)


@check(points=1)
def zero_init_gradients(sub):
    """gradients of a 4-3-1 network with every weight and bias 0, batch of 6."""
    x, y = _data(1, 6, 4, 1)
    return _gradients(sub, _constant(4, 3, 1, 0.0), x, y)


def _loss(params, x, y):
    # The grader's own forward pass: finite differences must not trust the submission's.
    a = 1.0 / (1.0 + np.exp(-(x @ params["W1"] + params["b1"])))
    return np.mean((a @ params["W2"] + params["b2"] - y) ** 2)


def _finite_differences(params, x, y, h=1e-6):
    numeric = {}
    for name in _NAMES:
        grad = np.zeros_like(params[name])
        for index in np.ndindex(params[name].shape):
            shifted = {key: value.copy() for key, value in params.items()}
            shifted[name][index] += h
            up = _loss(shifted, x, y)
            shifted[name][index] -= 2 * h
            grad[index] = (up - _loss(shifted, x, y)) / (2 * h)
        numeric[f"numeric_d{name}"] = grad
    return numeric


def _agree_with_finite_differences(student, reference):
    wrong = []
    for name in _NAMES:
        got, numeric = student.get(f"d{name}"), student[f"numeric_d{name}"]
        if got is None or got.shape != numeric.shape:
            shape = None if got is None else got.shape
            wrong.append(f"d{name} has shape {shape}, expected {numeric.shape}")
            continue
        error = np.max(np.abs(got - numeric) / np.maximum(1e-4, np.abs(got) + np.abs(numeric)))
        if error > 1e-5:
            wrong.append(f"d{name} (relative error {error:.1e} against finite differences)")
    if wrong:
        raise AssertionError(
            "For random weights your gradients disagree with central finite differences of "
            "J = mean((Y_hat - Y)^2): " + "; ".join(wrong) + "."
        )


@check(points=2, compare=_agree_with_finite_differences)
def random_init_matches_finite_differences(sub):
    """gradients of a 3-5-2 network with random weights agree with central finite differences."""
    x, y = _data(2, 7, 3, 2)
    params = _random(3, 3, 5, 2)
    return {**_gradients(sub, params, x, y), **_finite_differences(params, x, y)}


def _identical_cases():
    cases = {
        "constant_weights": _constant(3, 4, 2, 0.7),
        "random_weights": _random(4, 3, 4, 2),
        "random_two_units": _random(5, 2, 2, 1),
        "one_hidden_unit": _random(6, 3, 1, 2),
    }
    only_bias = _constant(3, 4, 2, 0.7)
    only_bias["b1"][2] = 0.01
    cases["only_b1_differs"] = only_bias
    only_w2 = _constant(3, 4, 2, 0.7)
    only_w2["W2"][3, 1] += 1e-6
    cases["one_outgoing_weight_differs"] = only_w2
    exactly_tol = _constant(3, 4, 2, 0.0)
    exactly_tol["b1"][1] = 1e-9  # |1e-9 - 0| is exactly tol
    cases["difference_exactly_tol"] = exactly_tol
    twice_tol = _constant(3, 4, 2, 0.0)
    twice_tol["W1"][0, 2] = 2e-9
    cases["difference_twice_tol"] = twice_tol
    return cases


def _same_verdicts(student, reference):
    wrong = [name for name in reference if int(student.get(name, -1)) != int(reference[name])]
    if wrong:
        shown = ", ".join(f"{name} (expected {bool(reference[name])})" for name in wrong)
        raise AssertionError(
            f"hidden_units_identical(params, tol=1e-9) is wrong for: {shown}. Compare every unit's "
            "column of W1, entry of b1 and row of W2 with unit 0's; a difference of at most tol counts "
            "as identical, and a single hidden unit is identical."
        )


@check(points=1, compare=_same_verdicts)
def identical_units(sub):
    """hidden_units_identical on constant, random, nearly identical and one-unit layers, and at tol."""
    out = {}
    for name, params in _identical_cases().items():
        out[name] = int(bool(sub.hidden_units_identical(params, tol=1e-9)))
    return out


def _training_ok(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if key.endswith("identical"):
            if got is None or np.shape(got) != expected.shape or not np.array_equal(got, expected):
                start = key.split(".")[0].replace("_", " ")
                steps = expected.size - 1
                raise AssertionError(
                    f"{start}: `identical` is {None if got is None else np.asarray(got).astype(int).tolist()}, "
                    f"expected {expected.astype(int).tolist()} (t = 0 to {steps}); a constant start keeps the "
                    "hidden units identical at every step, a random start never has them identical."
                )
        elif key.endswith("params_unchanged"):
            if got is None or int(got) != 1:
                raise AssertionError("symmetry_after_training changed the params it was given; copy them first.")
        elif got is None or np.shape(got) != expected.shape or not np.allclose(got, expected, rtol=1e-6, atol=1e-9):
            raise AssertionError(f"after training, {key} differs from gradient descent W <- W - eta dJ/dW "
                                 "with your gradients.")


@check(points=1, compare=_training_ok)
def symmetry_stays_or_breaks(sub):
    """20 gradient-descent steps: constant starts stay symmetric, a random start is never symmetric."""
    x, y = _data(7, 8, 3, 2)
    out = {}
    for name, params in (("constant_start", _constant(3, 4, 2, 0.5)),
                         ("zero_start", _constant(3, 4, 2, 0.0)),
                         ("random_start", _random(8, 3, 4, 2, scale=0.5))):
        before = {key: value.copy() for key, value in params.items()}
        new_params, identical = sub.symmetry_after_training(params, x, y, 0.5, 20)
        out[f"{name}.identical"] = np.asarray(identical).astype(bool)
        out[f"{name}.params_unchanged"] = int(all(np.array_equal(before[k], params[k]) for k in _NAMES))
        for key in _NAMES:
            out[f"{name}.{key}"] = np.asarray(new_params[key], dtype=float)
    return out
