"""Grader for ch01_perceptron/backprop_two_layer."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = (
    "dlcourse.perceptron",
    "keras",
    "tensorflow",
    "jax",
    "torch",
    "autograd",
)

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "forward_propagation": {
        'params["W1"]': "(n_inputs, H)",
        'params["b1"]': "(H,)",
        'params["W2"]': "(H, K)",
        'params["b2"]': "(K,)",
        "x": "(N, n_inputs)",
    },
    "backward_propagation": {
        'params["W1"]': "(n_inputs, H)",
        'params["b1"]': "(H,)",
        'params["W2"]': "(H, K)",
        'params["b2"]': "(K,)",
        "y": "(N, K)",
    },
}

_NAMES = ("W1", "b1", "W2", "b2")


def _case(seed, n=4, n_in=2, hidden=3, k=1):
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(size=(n_in, hidden)),
        "b1": rng.normal(size=hidden),
        "W2": rng.normal(size=(hidden, k)),
        "b2": rng.normal(size=k),
    }
    x = rng.normal(size=(n, n_in))
    y = (rng.random((n, k)) < 0.5).astype(float)
    return params, x, y


def _gradients(sub, params, x, y, loss):
    copies = {name: value.copy() for name, value in params.items()}
    _, cache = sub.forward_propagation(copies, x)
    grads = sub.backward_propagation(copies, cache, y, loss)
    return {f"d{name}": np.asarray(grads[name], dtype=float) for name in _NAMES}


def _loss(params, x, y, loss):
    # The grader's own forward pass: finite differences must not trust the submission's.
    a1 = 1.0 / (1.0 + np.exp(-(x @ params["W1"] + params["b1"])))
    y_hat = 1.0 / (1.0 + np.exp(-(a1 @ params["W2"] + params["b2"])))
    if loss == "binary_cross_entropy":
        return -np.mean(y * np.log(y_hat) + (1.0 - y) * np.log(1.0 - y_hat))
    return np.mean((y_hat - y) ** 2)


def _finite_differences(params, x, y, loss, h=1e-5):
    numeric = {}
    for name in _NAMES:
        grad = np.zeros_like(params[name])
        for index in np.ndindex(params[name].shape):
            shifted = {key: value.copy() for key, value in params.items()}
            shifted[name][index] += h
            up = _loss(shifted, x, y, loss)
            shifted[name][index] -= 2 * h
            grad[index] = (up - _loss(shifted, x, y, loss)) / (2 * h)
        numeric[f"numeric_d{name}"] = grad
    return numeric


@check(points=1, visible=True)
def forward_output(sub):
    """y_hat of a 2-3-1 network on a batch of 4."""
    params, x, _ = _case(0)
    y_hat, _ = sub.forward_propagation(params, x)
    return {"y_hat": np.asarray(y_hat, dtype=float)}


@check(points=2, visible=True)
def gradients_binary_cross_entropy(sub):
    """dL/dW1, dL/db1, dL/dW2, dL/db2 of a 2-3-1 network with binary cross-entropy."""
    params, x, y = _case(0)
    return _gradients(sub, params, x, y, "binary_cross_entropy")


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
            "Your gradients disagree with central finite differences of the loss: "
            + "; ".join(wrong) + "."
        )


@check(points=2, compare=_agree_with_finite_differences)
def gradients_match_finite_differences(sub):
    """gradients of a 3-4-2 network (BCE) agree with central finite differences."""
    params, x, y = _case(5, n=6, n_in=3, hidden=4, k=2)
    return {
        **_gradients(sub, params, x, y, "binary_cross_entropy"),
        **_finite_differences(params, x, y, "binary_cross_entropy"),
    }


@check(points=1)
def gradients_mean_squared_error(sub):
    """gradients with loss="mean_squared_error" (3-5-2 network, batch of 7)."""
    params, x, y = _case(2, n=7, n_in=3, hidden=5, k=2)
    return _gradients(sub, params, x, y, "mean_squared_error")


@check(points=1)
def larger_batch_params_unchanged(sub):
    """BCE gradients on a 5-6-3 batch of 20, and params are left unmodified."""
    params, x, y = _case(9, n=20, n_in=5, hidden=6, k=3)
    before = {name: value.copy() for name, value in params.items()}
    _, cache = sub.forward_propagation(params, x)
    grads = sub.backward_propagation(params, cache, y, "binary_cross_entropy")
    changed = sum(not np.array_equal(before[name], params[name]) for name in _NAMES)
    return {
        **{f"d{name}": np.asarray(grads[name], dtype=float) for name in _NAMES},
        "number_of_params_modified": changed,
    }
