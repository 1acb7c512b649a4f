"""Grader for ch01_perceptron/minibatch_sgd."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = ("dlcourse.perceptron", "keras", "tensorflow", "sklearn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "minibatch_sgd": {"params": "dict", "x": "(N, ...)", "y": "(N, ...)"},
}


def _regression_data(seed, n, n_in=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_in))
    y = x @ rng.normal(size=(n_in, 1)) + 0.5 + 0.1 * rng.normal(size=(n, 1))
    params = {"w": np.zeros((n_in, 1)), "b": np.zeros(1)}
    return params, x, y


def _linear_mse(params, x, y):
    """Loss and gradients of the linear model y_hat = x w + b under mean squared error."""
    error = x @ params["w"] + params["b"] - y
    return float(np.mean(error ** 2)), {
        "w": 2.0 * x.T @ error / error.size,
        "b": 2.0 * error.sum(axis=0) / error.size,
    }


def _train(sub, seed, n, learning_rate, epochs, batch_size, sgd_seed):
    params, x, y = _regression_data(seed, n)
    new_params, losses = sub.minibatch_sgd(
        _linear_mse, params, x, y, learning_rate=learning_rate, epochs=epochs,
        batch_size=batch_size, seed=sgd_seed,
    )
    return {"w": new_params["w"], "b": new_params["b"], "losses": np.asarray(losses, dtype=float)}


@check(points=2, visible=True)
def two_epochs_linear_regression(sub):
    """linear regression, 8 samples, batches of 4, 2 epochs: parameters and batch losses."""
    return _train(sub, 0, n=8, learning_rate=0.1, epochs=2, batch_size=4, sgd_seed=0)


@check(points=1)
def uneven_last_batch(sub):
    """10 samples in batches of 4 (the last batch of each epoch holds 2), 3 epochs."""
    return _train(sub, 1, n=10, learning_rate=0.05, epochs=3, batch_size=4, sgd_seed=7)


def _same_batches(student, reference):
    if student["visited"].shape != reference["visited"].shape:
        raise AssertionError(
            f"loss_and_gradients saw {student['visited'].size} samples in "
            f"{student['batch_sizes'].size} calls, expected {reference['visited'].size} samples "
            f"in {reference['batch_sizes'].size} calls (once per batch, epochs * ceil(N / B))."
        )
    if not np.array_equal(student["batch_sizes"], reference["batch_sizes"]):
        raise AssertionError(
            f"batch sizes were {student['batch_sizes'].tolist()}, expected "
            f"{reference['batch_sizes'].tolist()}."
        )
    if not np.array_equal(student["visited"], reference["visited"]):
        raise AssertionError(
            "the samples in your batches come in a different order than specified: create "
            "rng = np.random.default_rng(seed) once, call rng.permutation(N) at the start of "
            "every epoch, and slice consecutive batches from that order."
        )


@check(points=1, compare=_same_batches, requires=("two_epochs_linear_regression",))
def batches_follow_the_shuffling_rule(sub):
    """the batches visit the samples in the order set by default_rng(seed).permutation."""
    n = 11
    x = np.arange(n, dtype=float)[:, None]  # each sample carries its own index
    seen = []

    def recording(params, x_batch, y_batch):
        seen.append(x_batch[:, 0].astype(int).copy())
        return 0.0, {"w": np.zeros_like(params["w"])}

    sub.minibatch_sgd(recording, {"w": np.zeros(1)}, x, x.copy(), learning_rate=0.1,
                      epochs=3, batch_size=3, seed=42)
    return {
        "visited": np.concatenate(seen) if seen else np.zeros(0, dtype=int),
        "batch_sizes": np.array([len(batch) for batch in seen], dtype=int),
    }


@check(points=1)
def full_batch_is_gradient_descent(sub):
    """batch_size larger than N: one full-batch step per epoch."""
    return _train(sub, 2, n=5, learning_rate=0.2, epochs=4, batch_size=100, sgd_seed=3)


@check(points=1, requires=("two_epochs_linear_regression", "uneven_last_batch"))
def leaves_the_callers_params_alone(sub):
    """the caller's params dict and arrays are unchanged after training."""
    params, x, y = _regression_data(3, n=6)
    params = {"w": np.ones_like(params["w"]), "b": np.ones_like(params["b"])}
    keys_before = sorted(params)
    sub.minibatch_sgd(_linear_mse, params, x, y, learning_rate=0.1, epochs=2, batch_size=2,
                      seed=0)
    return {
        "caller_w_after_training": params["w"],
        "caller_b_after_training": params["b"],
        "caller_keys_unchanged": int(sorted(params) == keys_before),
    }
