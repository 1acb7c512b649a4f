"""Grader for ch02_training/kfold_split."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("sklearn.model_selection", "dlcourse.training")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "kfold_split": {},
    "kfold_cross_validation": {"x": "(n, ...)", "y": "(n, ...)"},
}


def _folds(sub, *args, prefix="", **kwargs):
    folds = sub.kfold_split(*args, **kwargs)
    out = {f"{prefix}n_folds": len(folds)}
    for j, (train, val) in enumerate(folds):
        out[f"{prefix}fold{j}_train"] = np.asarray(train).astype(np.int64)
        out[f"{prefix}fold{j}_val"] = np.asarray(val).astype(np.int64)
    return out


def _show(indices):
    text = str(indices.tolist())
    return text if len(text) < 70 else text[:67] + "...]"


def _same_folds(student, reference, prefix="", call="kfold_split"):
    if int(student[f"{prefix}n_folds"]) != int(reference[f"{prefix}n_folds"]):
        raise AssertionError(f"{call} returned {int(student[f'{prefix}n_folds'])} folds, "
                             f"expected {int(reference[f'{prefix}n_folds'])}.")
    for j in range(int(reference[f"{prefix}n_folds"])):
        for part, name in (("val", "validation"), ("train", "training")):
            got, expected = student[f"{prefix}fold{j}_{part}"], reference[f"{prefix}fold{j}_{part}"]
            if got.shape != expected.shape or not np.array_equal(got, expected):
                raise AssertionError(f"{call}, fold {j}: the {name} indices are {_show(got)}, expected "
                                     f"{_show(expected)} (sorted ascending).")


@check(points=1, visible=True, compare=_same_folds)
def five_folds_in_order(sub):
    """kfold_split(10, k=5) without shuffling."""
    return _folds(sub, 10, k=5)


# The calls of the next check: uneven folds, the smallest legal k (2) and the largest (n_samples,
# leave-one-out), each under a prefix of its own.
_EDGE_CALLS = {"uneven_": (23, 4), "k_2_": (7, 2), "k_n_": (5, 5)}


def _uneven_and_errors(student, reference):
    for prefix, (n, k) in _EDGE_CALLS.items():
        if student.get(prefix + "error"):
            raise AssertionError(f"kfold_split({n}, k={k}) raised {student[prefix + 'error']}; only "
                                 "k < 2 or k > n_samples should raise (k = 2 and k = n_samples are allowed).")
        _same_folds(student, reference, prefix, f"kfold_split({n}, k={k})")
    for key, call in (("raised_k1", "kfold_split(5, k=1)"), ("raised_k_large", "kfold_split(3, k=4)")):
        if student[key] != 1:
            raise AssertionError(f"{call} should raise ValueError.")


@check(points=1, compare=_uneven_and_errors)
def uneven_folds_edges_and_errors(sub):
    """kfold_split(23, k=4) (sizes 6, 6, 6, 5), k = 2 and k = n_samples (leave-one-out);
    k=1 and k > n_samples raise ValueError."""
    out = {}
    for prefix, (n, k) in _EDGE_CALLS.items():
        try:
            out.update(_folds(sub, n, k=k, prefix=prefix))
        except Exception as err:  # noqa: BLE001 -- reported by the comparison
            out[prefix + "error"] = f"{type(err).__name__}({str(err)[:100]!r})"
            out[prefix + "n_folds"] = -1
    for key, args in (("raised_k1", (5, 1)), ("raised_k_large", (3, 4))):
        try:
            sub.kfold_split(*args)
        except ValueError:
            out[key] = 1
        else:
            out[key] = 0
    return out


def _is_partition(student, reference):
    if student["n_folds"] != reference["n_folds"]:
        raise AssertionError(f"kfold_split(30, k=4, shuffle=True) returned {int(student['n_folds'])} "
                             f"folds, expected {int(reference['n_folds'])}.")
    if not np.array_equal(student["val_sizes"], reference["val_sizes"]):
        raise AssertionError(f"the validation folds hold {student['val_sizes'].tolist()} samples, "
                             f"expected {reference['val_sizes'].tolist()}.")
    messages = {
        "each_once": "every sample must be in exactly one validation fold",
        "complements": "each fold's training indices must be all the samples not in its "
                       "validation fold",
        "shuffled": "with shuffle=True the validation folds must not be the consecutive blocks "
                    "of shuffle=False",
    }
    for key, message in messages.items():
        if student[key] != 1:
            raise AssertionError(message + ".")


@check(points=1, compare=_is_partition)
def shuffled_folds_partition(sub):
    """kfold_split(30, k=4, shuffle=True, seed=3) is still a partition, and a shuffled one."""
    folds = sub.kfold_split(30, k=4, shuffle=True, seed=3)
    vals = [np.asarray(v) for _, v in folds]
    trains = [np.asarray(t) for t, _ in folds]
    everything = np.arange(30)
    return {
        "n_folds": len(folds),
        "val_sizes": np.array([len(v) for v in vals]),
        "each_once": int(np.array_equal(np.sort(np.concatenate(vals)), everything)),
        "complements": int(all(np.array_equal(np.sort(t), np.setdiff1d(everything, v))
                               for t, v in zip(trains, vals))),
        "shuffled": int(not np.array_equal(np.sort(vals[0]), np.arange(len(vals[0])))),
    }


@check(points=1, compare=_same_folds)
def shuffled_folds_exact(sub):
    """kfold_split(17, k=3, shuffle=True, seed=7) cuts np.random.default_rng(7).permutation(17)."""
    return _folds(sub, 17, k=3, shuffle=True, seed=7)


def _least_squares_mse(x_train, y_train, x_val, y_val):
    """Fit y = a x + b by least squares; the score is the validation mean squared error."""
    design = np.stack([x_train, np.ones_like(x_train)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, y_train, rcond=None)
    return float(np.mean((a * x_val + b - y_val) ** 2))


def _regression_data(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=n)
    return x, 2 * x + 0.5 + rng.normal(scale=0.3, size=n)


def _cv(sub, *args, **kwargs):
    scores, mean, std = sub.kfold_cross_validation(_least_squares_mse, *args, **kwargs)
    return {"scores": np.asarray(scores, dtype=float), "mean": float(mean), "std": float(std)}


@check(points=1, visible=True)
def cross_validate_line_fit(sub):
    """4-fold CV of a least-squares line on 20 noisy points (score: validation MSE)."""
    return _cv(sub, *_regression_data(0, 20), k=4)


@check(points=1)
def cross_validate_shuffled(sub):
    """3-fold CV on 31 points with shuffle=True, seed=11."""
    return _cv(sub, *_regression_data(1, 31), k=3, shuffle=True, seed=11)
