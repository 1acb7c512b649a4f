"""Hyperparameter search and cross-validation (dlcourse.training.search) against independent oracles.

Oracles: Table 1 of Li et al., "Hyperband", JMLR 18 (2018), typed from the paper;
sklearn.model_selection.KFold; sklearn.gaussian_process.GaussianProcessRegressor with a fixed
kernel; the closed form of expected improvement written with scipy.stats.norm and a Monte-Carlo
estimate of its definition; the notes' empirical guidelines (§2.5), typed from the notes, as the
default search spaces; and the exercise solutions tied to the library on random inputs.
"""

import collections
import itertools
import math
import pathlib

import numpy as np
import pytest
from scipy import stats
from sklearn import gaussian_process
from sklearn.gaussian_process import kernels as gp_kernels
from sklearn.model_selection import KFold

from dlcourse.grading.probe import load_module
from dlcourse.training import search
from dlcourse.training.search import (
    GUIDELINE_GRID,
    GUIDELINE_SPACE,
    IntUniform,
    LogUniform,
    Uniform,
    bayesian_optimization,
    expected_improvement,
    gaussian_process_posterior,
    grid_search,
    hyperband,
    hyperband_brackets,
    keras_objective,
    kfold_cross_validation,
    kfold_split,
    matern52_kernel,
    random_search,
    rbf_kernel,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "ch02_training"

# Li et al. (2018), Table 1: the brackets of Hyperband for R = 81, eta = 3, as (n_i, r_i).
TABLE_1 = {
    4: [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    3: [(34, 3), (11, 9), (3, 27), (1, 81)],
    2: [(15, 9), (5, 27), (1, 81)],
    1: [(8, 27), (2, 81)],
    0: [(5, 81)],
}


def _forrester(x):
    """Forrester et al. (2008): a 1-D test function of Bayesian optimization on [0, 1]."""
    return (6 * x - 2) ** 2 * np.sin(12 * x - 4)


# --------------------------------------------------------------------------------------------
# Hyperband
# --------------------------------------------------------------------------------------------


def test_hyperband_brackets_reproduce_table_1_of_the_paper():
    schedule = hyperband_brackets(R=81, eta=3)
    assert list(schedule) == [4, 3, 2, 1, 0]
    assert schedule == TABLE_1


@pytest.mark.parametrize("R, eta", [(243, 3), (1000, 10), (16, 2), (100, 3), (10, 4), (1, 3)])
def test_hyperband_brackets_follow_algorithm_1(R, eta):
    schedule = hyperband_brackets(R, eta)
    s_max = max(schedule)
    # floor(log_eta R) without floating-point logarithms: math.log(243, 3) is 4.999...
    assert eta**s_max <= R < eta ** (s_max + 1)
    assert list(schedule) == list(range(s_max, -1, -1))
    for s, rungs in schedule.items():
        n = math.ceil((s_max + 1) * eta**s / (s + 1))
        assert [n_i for n_i, _ in rungs] == [math.floor(n / eta**i) for i in range(s + 1)]
        np.testing.assert_allclose([r_i for _, r_i in rungs], [R * eta ** (i - s) for i in range(s + 1)])
        assert rungs[-1][1] == R  # every bracket ends at the full resource


@pytest.mark.parametrize("R, eta", [(0.5, 3), (81, 1), (81, 2.5), (float("nan"), 3)])
def test_hyperband_brackets_reject_bad_arguments(R, eta):
    with pytest.raises(ValueError, match="R must|eta must"):
        hyperband_brackets(R, eta)


def test_hyperband_trains_with_the_budgets_of_the_schedule():
    calls = []

    def objective(hparams, resource):
        calls.append((hparams["x"], resource))
        return hparams["x"]  # a loss that does not depend on the resource: survivors are known

    result = hyperband(objective, {"x": Uniform(0, 1)}, R=81, eta=3, seed=0)

    expected = collections.Counter()
    for rungs in TABLE_1.values():
        for n_i, r_i in rungs:
            expected[r_i] += n_i
    assert collections.Counter(r for _, r in calls) == expected
    assert len(result.trials) == len(calls) == sum(expected.values())

    # Successive halving: each rung trains exactly the best floor(n_i / eta) of the previous one.
    position = 0
    for rungs in TABLE_1.values():
        previous = None
        for n_i, r_i in rungs:
            rung = calls[position:position + n_i]
            position += n_i
            assert {r for _, r in rung} == {r_i}
            if previous is not None:
                assert sorted(x for x, _ in rung) == sorted(previous)[:n_i]
            previous = [x for x, _ in rung]
    assert result.best_score == min(x for x, _ in calls)


def test_hyperband_keeps_the_best_by_metric_with_mode_max_and_ignores_nan():
    def objective(hparams, resource):
        return float("nan") if hparams["x"] > 0.9 else hparams["x"] * resource

    result = hyperband(objective, {"x": Uniform(0, 1)}, R=9, eta=3, mode="max", seed=1)
    scores = [t.score for t in result.trials]
    assert result.best_score == np.nanmax(scores)
    assert result.best_hparams["x"] <= 0.9


# --------------------------------------------------------------------------------------------
# Grid and random search
# --------------------------------------------------------------------------------------------


def test_grid_search_evaluates_the_cartesian_product():
    space = {"a": [1, 2, 3], "b": ["relu", "tanh"], "c": [0.1, 0.5]}
    seen = []

    def objective(hp):
        seen.append(tuple(hp.values()))
        return (hp["a"] - 2) ** 2 + (hp["b"] == "relu") + hp["c"]

    result = grid_search(objective, space)
    assert seen == list(itertools.product(*space.values()))
    assert result.best_hparams == {"a": 2, "b": "tanh", "c": 0.1}
    assert grid_search(objective, space, mode="max").best_hparams == {"a": 1, "b": "relu", "c": 0.5}


def test_grid_search_needs_lists_and_modes_are_checked():
    with pytest.raises(TypeError, match="space\\['lr'\\]"):
        grid_search(lambda hp: 0.0, {"lr": LogUniform(1e-4, 1e-1)})
    with pytest.raises(ValueError, match="mode must be"):
        grid_search(lambda hp: 0.0, {"lr": [0.1]}, mode="maximize")
    with pytest.raises(TypeError, match="space\\['lr'\\]"):
        random_search(lambda hp: 0.0, {"lr": 0.1})


def test_random_search_is_seeded_and_samples_the_distributions():
    space = {
        "lr": LogUniform(1e-4, 1e-1),
        "units": IntUniform(1, 4),
        "activation": ["relu", "tanh"],
        "dropout": Uniform(0.0, 0.5),
        "momentum": stats.uniform(0.8, 0.19),  # any scipy.stats frozen distribution
    }
    first = random_search(lambda hp: hp["lr"], space, n_trials=400, seed=3)
    again = random_search(lambda hp: hp["lr"], space, n_trials=400, seed=3)
    assert [t.hparams for t in first.trials] == [t.hparams for t in again.trials]
    drawn = {name: [t.hparams[name] for t in first.trials] for name in space}
    log_lr = np.log10(drawn["lr"])
    assert log_lr.min() >= -4 and log_lr.max() <= -1
    assert abs(np.median(log_lr) + 2.5) < 0.25  # uniform on the log scale
    assert set(drawn["units"]) == {1, 2, 3, 4}
    assert set(drawn["activation"]) == {"relu", "tanh"}
    assert 0.0 <= min(drawn["dropout"]) and max(drawn["dropout"]) <= 0.5
    assert 0.8 <= min(drawn["momentum"]) and max(drawn["momentum"]) <= 0.99
    assert first.best_score == min(drawn["lr"])


# --------------------------------------------------------------------------------------------
# Gaussian process and expected improvement
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rbf", "matern52"])
def test_gaussian_process_posterior_matches_sklearn(name):
    rng = np.random.default_rng(0)
    x, y, xq = rng.uniform(size=(12, 2)), rng.normal(size=12), rng.uniform(size=(30, 2))
    length_scale, variance, noise = 0.4, 1.7, 1e-3
    base = (gp_kernels.RBF(length_scale, "fixed") if name == "rbf"
            else gp_kernels.Matern(length_scale, "fixed", nu=2.5))
    kernel = gp_kernels.ConstantKernel(variance, "fixed") * base
    np.testing.assert_allclose((rbf_kernel if name == "rbf" else matern52_kernel)(
        x, xq, length_scale, variance), kernel(x, xq), rtol=1e-10)
    oracle = gaussian_process.GaussianProcessRegressor(kernel, alpha=noise, optimizer=None).fit(x, y)
    mean_sk, std_sk = oracle.predict(xq, return_std=True)
    mean, var = gaussian_process_posterior(x, y, xq, name, length_scale, variance, noise)
    np.testing.assert_allclose(mean, mean_sk, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(var, std_sk**2, rtol=1e-6, atol=1e-9)


def test_expected_improvement_matches_the_closed_form_with_scipy():
    rng = np.random.default_rng(1)
    mean, std = rng.normal(size=50), rng.uniform(0.01, 2.0, size=50)
    best, xi = 0.3, 0.05
    z = (best - mean - xi) / std
    oracle = (best - mean - xi) * stats.norm.cdf(z) + std * stats.norm.pdf(z)
    np.testing.assert_allclose(expected_improvement(mean, std, best, xi), oracle, rtol=1e-10, atol=1e-12)
    # With no uncertainty the improvement is known: max(best - mean - xi, 0).
    np.testing.assert_allclose(expected_improvement(mean, np.zeros(50), best, xi),
                               np.maximum(best - mean - xi, 0.0))


def test_expected_improvement_is_the_mean_improvement_monte_carlo():
    rng = np.random.default_rng(2)
    samples = rng.normal(size=400_000)
    for mean, std in [(0.0, 1.0), (0.5, 0.3), (-1.0, 2.0)]:
        improvement = np.maximum(0.2 - (mean + std * samples), 0.0)
        assert abs(expected_improvement(mean, std, best=0.2) - improvement.mean()) < 5e-3 * max(std, 1)


def test_bayesian_optimization_beats_random_search_on_a_1d_function():
    space = {"x": Uniform(0.0, 1.0)}
    objective = lambda hp: float(_forrester(hp["x"]))  # noqa: E731
    minimum = _forrester(np.linspace(0, 1, 100_001)).min()
    bo, rs = [], []
    for seed in range(8):
        bo.append(bayesian_optimization(objective, space, n_trials=12, n_initial=4, seed=seed).best_score)
        rs.append(random_search(objective, space, n_trials=12, seed=seed).best_score)
    regret_bo, regret_rs = np.mean(bo) - minimum, np.mean(rs) - minimum
    assert regret_bo < 0.5 * regret_rs
    assert regret_bo < 0.05


def test_bayesian_optimization_handles_mixed_spaces_and_is_seeded():
    space = {"lr": LogUniform(1e-4, 1e-1), "units": IntUniform(4, 64), "act": ["relu", "tanh"]}

    def objective(hp):
        return (math.log10(hp["lr"]) + 2.5) ** 2 + ((hp["units"] - 32) / 32) ** 2 + (hp["act"] == "relu")

    first = bayesian_optimization(objective, space, n_trials=15, n_initial=5, n_candidates=300, seed=0)
    again = bayesian_optimization(objective, space, n_trials=15, n_initial=5, n_candidates=300, seed=0)
    assert [t.hparams for t in first.trials] == [t.hparams for t in again.trials]
    assert isinstance(first.best_hparams["units"], int) and first.best_hparams["act"] in ("relu", "tanh")
    random_best = random_search(objective, space, n_trials=15, seed=0).best_score
    assert first.best_score <= random_best
    with pytest.raises(TypeError, match="bayesian_optimization needs"):
        bayesian_optimization(objective, {"lr": stats.uniform(0, 1)})


# --------------------------------------------------------------------------------------------
# k-fold cross-validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, k", [(10, 5), (23, 4), (7, 7), (100, 3)])
def test_kfold_split_matches_sklearn_kfold(n, k):
    ours = kfold_split(n, k)
    theirs = list(KFold(n_splits=k).split(np.zeros(n)))
    assert len(ours) == k
    for (train, val), (train_sk, val_sk) in zip(ours, theirs):
        np.testing.assert_array_equal(train, train_sk)
        np.testing.assert_array_equal(val, val_sk)


def test_shuffled_kfold_split_is_a_seeded_partition():
    n, k = 53, 5
    folds = kfold_split(n, k, shuffle=True, seed=4)
    sizes_sk = [len(v) for _, v in KFold(n_splits=k, shuffle=True, random_state=4).split(np.zeros(n))]
    assert [len(v) for _, v in folds] == sizes_sk
    np.testing.assert_array_equal(np.sort(np.concatenate([v for _, v in folds])), np.arange(n))
    for train, val in folds:
        np.testing.assert_array_equal(train, np.setdiff1d(np.arange(n), val))
    assert not np.array_equal(folds[0][1], np.arange(len(folds[0][1])))
    again = kfold_split(n, k, shuffle=True, seed=4)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))
    with pytest.raises(ValueError, match="n_samples must be"):
        kfold_split(3, k=4)
    with pytest.raises(ValueError, match="k must be"):
        kfold_split(10, k=1)


def _line_fit_mse(x_train, y_train, x_val, y_val):
    design = np.stack([x_train, np.ones_like(x_train)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, y_train, rcond=None)
    return float(np.mean((a * x_val + b - y_val) ** 2))


def test_kfold_cross_validation_scores_each_sklearn_fold():
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, size=40)
    y = 3 * x - 1 + rng.normal(scale=0.2, size=40)
    result = kfold_cross_validation(_line_fit_mse, x, y, k=5)
    oracle = [_line_fit_mse(x[tr], y[tr], x[va], y[va]) for tr, va in KFold(5).split(x)]
    np.testing.assert_allclose(result.scores, oracle)
    assert result.mean == pytest.approx(np.mean(oracle))
    assert result.std == pytest.approx(np.std(oracle))


# --------------------------------------------------------------------------------------------
# Keras end to end
# --------------------------------------------------------------------------------------------


def _tiny_task():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    return (x[:48], y[:48]), (x[48:], y[48:])


def _build(hparams):
    import keras

    model = keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(hparams["units"], activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(keras.optimizers.Adam(hparams["learning_rate"]), "binary_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.mark.slow
def test_searches_run_end_to_end_on_a_keras_model():
    import keras

    class EpochCounter(keras.callbacks.Callback):
        epochs = 0

        def on_epoch_end(self, epoch, logs=None):
            EpochCounter.epochs += 1

    (x, y), validation = _tiny_task()
    objective = keras_objective(_build, x, y, validation_data=validation, epochs=1, batch_size=16,
                                seed=0, callbacks=[EpochCounter()])
    space = {"units": [2, 8], "learning_rate": [1e-2]}

    grid = grid_search(objective, space)
    assert len(grid.trials) == 2 and grid.best_hparams in [t.hparams for t in grid.trials]
    assert grid.best_score == min(t.score for t in grid.trials)

    rand = random_search(objective, {"units": IntUniform(2, 8), "learning_rate": LogUniform(1e-3, 1e-1)},
                         n_trials=2, seed=0)
    assert 2 <= rand.best_hparams["units"] <= 8

    EpochCounter.epochs = 0
    band = hyperband(objective, space, R=3, eta=3, seed=0)
    # R=3, eta=3: bracket 1 trains 3 models 1 epoch and 1 model 3 epochs, bracket 0 two models 3.
    assert sorted(t.resource for t in band.trials) == [1, 1, 1, 3, 3, 3]
    assert EpochCounter.epochs == 3 * 1 + 1 * 3 + 2 * 3
    assert band.best_hparams["units"] in (2, 8)


def test_keras_objective_explains_its_mistakes():
    (x, y), validation = _tiny_task()
    with pytest.raises(ValueError, match="validation_data"):
        keras_objective(_build, x, y)
    objective = keras_objective(_build, x, y, monitor="val_recall", validation_data=validation)
    with pytest.raises(ValueError, match="val_recall"):
        objective({"units": 2, "learning_rate": 0.01})
    uncompiled = keras_objective(lambda hp: _build(hp).__class__.from_config(_build(hp).get_config()),
                                 x, y, validation_data=validation)
    with pytest.raises(ValueError, match="compiled"):
        uncompiled({"units": 2, "learning_rate": 0.01})


# --------------------------------------------------------------------------------------------
# Exercise solutions tied to the library
# --------------------------------------------------------------------------------------------


def test_hyperband_brackets_solution_agrees_with_the_library():
    solution = load_module(str(SOLUTIONS / "hyperband_brackets.py"), "solution_hyperband_brackets")
    for R, eta in [(81, 3), (27, 3), (16, 2), (100, 3), (243, 3), (1000, 10), (1, 2), (50, 4)]:
        ours, theirs = hyperband_brackets(R, eta), solution.hyperband_brackets(R, eta)
        assert list(ours) == list(theirs)
        for s in ours:
            np.testing.assert_allclose(np.array(theirs[s], float), np.array(ours[s], float), rtol=1e-12)


def test_expected_improvement_solution_agrees_with_the_library():
    solution = load_module(str(SOLUTIONS / "expected_improvement.py"), "solution_expected_improvement")
    rng = np.random.default_rng(6)
    for d in (1, 3):
        x, y, xq = rng.uniform(size=(9, d)), rng.normal(size=9), rng.uniform(size=(20, d))
        np.testing.assert_allclose(solution.rbf_kernel(x, xq, 0.3, 2.0), rbf_kernel(x, xq, 0.3, 2.0),
                                   rtol=1e-12)
        mean, var = solution.gp_posterior(x, y, xq, 0.3, 2.0, 1e-4)
        mean_lib, var_lib = gaussian_process_posterior(x, y, xq, "rbf", 0.3, 2.0, 1e-4)
        np.testing.assert_allclose(mean, mean_lib, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(var, var_lib, rtol=1e-6, atol=1e-9)
    mean, std = rng.normal(size=30), np.abs(rng.normal(size=30))
    std[::5] = 0.0
    np.testing.assert_allclose(solution.expected_improvement(mean, std, 0.1, 0.02),
                               expected_improvement(mean, std, 0.1, 0.02), rtol=1e-10, atol=1e-12)


def test_kfold_split_solution_agrees_with_the_library():
    solution = load_module(str(SOLUTIONS / "kfold_split.py"), "solution_kfold_split")
    for n, k, shuffle, seed in [(10, 5, False, None), (23, 4, False, None), (31, 3, True, 11),
                                (50, 7, True, 0)]:
        ours = kfold_split(n, k, shuffle=shuffle, seed=seed)
        theirs = solution.kfold_split(n, k, shuffle, seed)
        for (tr, va), (tr_s, va_s) in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(tr, tr_s)
            np.testing.assert_array_equal(va, va_s)
    rng = np.random.default_rng(7)
    x = rng.uniform(size=25)
    y = x + rng.normal(scale=0.1, size=25)
    scores, mean, std = solution.kfold_cross_validation(_line_fit_mse, x, y, 4, True, 2)
    result = kfold_cross_validation(_line_fit_mse, x, y, 4, shuffle=True, seed=2)
    np.testing.assert_allclose(scores, result.scores)
    assert (mean, std) == pytest.approx((result.mean, result.std))


def test_search_names_are_reexported_from_dlcourse_training():
    import dlcourse.training as training

    for name in ("grid_search", "random_search", "bayesian_optimization", "hyperband",
                 "hyperband_brackets", "kfold_cross_validation", "GUIDELINE_GRID", "GUIDELINE_SPACE"):
        assert getattr(training, name) is getattr(search, name)


# --------------------------------------------------------------------------------------------
# The notes' empirical guidelines (§2.5) are the default search spaces
# --------------------------------------------------------------------------------------------

# Typed from the notes: start with a small learning rate (e.g. 0.001) and increase it; batch sizes
# within 32 to 512; regularization strength lambda between 10^-4 and 10^-1.
NOTES_LEARNING_RATE_START = 0.001
NOTES_BATCH_SIZES = (32, 512)
NOTES_LAMBDA = (1e-4, 1e-1)
GUIDELINE_NAMES = {"learning_rate", "batch_size", "regularization_strength"}


def _within_the_guidelines(hparams):
    assert set(hparams) == GUIDELINE_NAMES
    assert NOTES_LEARNING_RATE_START <= hparams["learning_rate"] <= 0.1
    assert NOTES_BATCH_SIZES[0] <= hparams["batch_size"] <= NOTES_BATCH_SIZES[1]
    assert NOTES_LAMBDA[0] <= hparams["regularization_strength"] <= NOTES_LAMBDA[1]


def test_guideline_spaces_are_the_notes_guidelines():
    assert set(GUIDELINE_GRID) == set(GUIDELINE_SPACE) == GUIDELINE_NAMES
    assert min(GUIDELINE_GRID["learning_rate"]) == NOTES_LEARNING_RATE_START
    assert (min(GUIDELINE_GRID["batch_size"]), max(GUIDELINE_GRID["batch_size"])) == NOTES_BATCH_SIZES
    assert (min(GUIDELINE_GRID["regularization_strength"]),
            max(GUIDELINE_GRID["regularization_strength"])) == pytest.approx(NOTES_LAMBDA)
    rate, batch, lam = (GUIDELINE_SPACE[name] for name in ("learning_rate", "batch_size", "regularization_strength"))
    assert isinstance(rate, LogUniform) and rate.low == NOTES_LEARNING_RATE_START
    assert (min(batch), max(batch)) == NOTES_BATCH_SIZES
    assert isinstance(lam, LogUniform) and (lam.low, lam.high) == pytest.approx(NOTES_LAMBDA)


def test_grid_search_defaults_to_the_guideline_grid():
    seen = []
    result = grid_search(lambda hp: seen.append(dict(hp)) or -hp["learning_rate"] * hp["batch_size"])
    assert len(seen) == math.prod(len(values) for values in GUIDELINE_GRID.values()) == 36
    for hparams in seen:
        _within_the_guidelines(hparams)
    assert {hp["regularization_strength"] for hp in seen} == {1e-4, 1e-3, 1e-2, 1e-1}
    assert result.best_hparams["learning_rate"] == 0.1 and result.best_hparams["batch_size"] == 512


def test_random_search_defaults_to_the_guideline_space():
    result = random_search(lambda hp: hp["learning_rate"], n_trials=400, seed=0)
    drawn = [t.hparams for t in result.trials]
    for hparams in drawn:
        _within_the_guidelines(hparams)
    log_rate = np.log10([hp["learning_rate"] for hp in drawn])
    log_lambda = np.log10([hp["regularization_strength"] for hp in drawn])
    assert abs(np.median(log_rate) + 2.0) < 0.2 and abs(np.median(log_lambda) + 2.5) < 0.25  # log-uniform
    assert {hp["batch_size"] for hp in drawn} == {32, 64, 128, 256, 512}


def test_bayesian_optimization_and_hyperband_default_to_the_guideline_space():
    def loss(hp, epochs=1):
        return (math.log10(hp["learning_rate"]) + 2) ** 2 + math.log10(hp["regularization_strength"]) ** 2 / 10

    bayes = bayesian_optimization(loss, n_trials=8, n_candidates=200, seed=0)
    band = hyperband(loss, R=9, seed=0)
    for result in (bayes, band):
        for trial in result.trials:
            _within_the_guidelines(trial.hparams)


def test_keras_objective_takes_the_batch_size_from_the_hyperparameters():
    import keras

    class BatchCounter(keras.callbacks.Callback):
        batches = 0

        def on_train_batch_end(self, batch, logs=None):
            BatchCounter.batches += 1

    def build(hp):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(keras.optimizers.SGD(hp["learning_rate"]), "mse")
        return model

    x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    objective = keras_objective(build, x, x[:, :1], epochs=1, batch_size=32, monitor="loss",
                                callbacks=[BatchCounter()])
    for hparams, batches in (({"learning_rate": 0.01}, 2), ({"learning_rate": 0.01, "batch_size": 16}, 4)):
        BatchCounter.batches = 0
        objective(hparams)
        assert BatchCounter.batches == batches
