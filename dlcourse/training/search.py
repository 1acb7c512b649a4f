"""Hyperparameter search and k-fold cross-validation.

Lecture: §2.5 Hyperparameter Tuning

The notes name four tuning techniques -- grid search (every combination of listed values),
random search (values drawn from distributions), Bayesian optimization (a probabilistic model
of the validation error, maximizing the expected improvement) and Hyperband (random search
with early stopping) -- and k-fold cross-validation to score a configuration: train on k - 1
folds, validate on the remaining one, average the validation error over the k folds. The
algorithms' details (the Gaussian process and its kernels, Hyperband's brackets, the fold
sizes) go beyond the notes and cite their sources.

Every search here optimizes an *objective*: a callable that takes a dict of hyperparameters and
returns one number, a validation loss (``mode="min"``, the default) or a validation metric
(``mode="max"``). Hyperband also passes the resource to spend, ``objective(hparams, resource)``,
where the resource is a number of epochs. `keras_objective` turns a Keras model-building function
``build_fn(hparams) -> compiled keras.Model`` and training data into such an objective::

    def build_fn(hp):
        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu",
                               kernel_regularizer=keras.regularizers.L2(hp["regularization_strength"])),
            keras.layers.Dense(10, activation="softmax")])
        model.compile(keras.optimizers.Adam(hp["learning_rate"]),
                      "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    objective = keras_objective(build_fn, x_train, y_train,
                                validation_data=(x_val, y_val), epochs=5)
    result = random_search(objective, n_trials=10, seed=0)   # the notes' guidelines
    result = hyperband(objective, R=27, eta=3, seed=0)
    result.best_hparams, result.best_score

Without a `space`, every search uses the notes' empirical guidelines (`GUIDELINE_GRID` for grid
search, `GUIDELINE_SPACE` for the others): a learning rate from 0.001 upwards, batch sizes from
32 to 512, and a regularization strength lambda from 1e-4 to 1e-1. A search space is a dict
from hyperparameter name to either a list of values (grid search takes every combination; the
other searches draw uniformly from the list) or a distribution: `Uniform`, `LogUniform`,
`IntUniform` (random search also takes any scipy.stats frozen distribution). Bayesian
optimization maps every dimension to [0, 1] and models the objective there with a Gaussian
process.

Cross-validation takes ``fit_and_score(x_train, y_train, x_val, y_val) -> float`` instead,
because it compares *models*, not hyperparameters: build, fit and score one model per fold.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from dlcourse.arguments import int_at_least, is_int, positive_int

__all__ = [
    "GUIDELINE_GRID",
    "GUIDELINE_SPACE",
    "Uniform",
    "LogUniform",
    "IntUniform",
    "Trial",
    "SearchResult",
    "CrossValidationResult",
    "keras_objective",
    "grid_search",
    "random_search",
    "rbf_kernel",
    "matern52_kernel",
    "gaussian_process_posterior",
    "expected_improvement",
    "bayesian_optimization",
    "hyperband_brackets",
    "hyperband",
    "kfold_split",
    "kfold_cross_validation",
]


# --------------------------------------------------------------------------------------------
# Search spaces
# --------------------------------------------------------------------------------------------


def _is_number(value):
    return (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            and math.isfinite(value))


class Uniform:
    """A real hyperparameter drawn uniformly from [low, high] (e.g. dropout rate).

    Args:
        low, high: the interval's ends, finite with low < high.

    Example:

    >>> from dlcourse.training import Uniform
    >>> Uniform(0.0, 0.5).from_unit(0.5)
    0.25
    """

    def __init__(self, low, high):
        if not (_is_number(low) and _is_number(high) and low < high):
            raise ValueError(
                f"{type(self).__name__} needs finite numbers low < high, got low={low!r}, "
                f"high={high!r}; swap or fix the bounds."
            )
        self.low, self.high = float(low), float(high)

    def sample(self, rng):
        return self.from_unit(rng.uniform())

    def to_unit(self, value):
        return (float(value) - self.low) / (self.high - self.low)

    def from_unit(self, u):
        return self.low + float(u) * (self.high - self.low)

    def __repr__(self):
        return f"{type(self).__name__}({self.low!r}, {self.high!r})"


class LogUniform(Uniform):
    """A positive real hyperparameter whose logarithm is uniform (e.g. learning rate).

    log(value) ~ Uniform(log(low), log(high)): each decade between low and high is equally likely.

    Args:
        low, high: the interval's ends, 0 < low < high.

    Example:

    >>> from dlcourse.training import LogUniform
    >>> round(LogUniform(1e-4, 1e-2).from_unit(0.5), 6)
    0.001
    """

    def __init__(self, low, high):
        super().__init__(low, high)
        if self.low <= 0:
            raise ValueError(f"LogUniform needs low > 0, got low={low!r}; use Uniform for ranges "
                             "that include zero.")

    def to_unit(self, value):
        return (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))

    def from_unit(self, u):
        return math.exp(math.log(self.low) + float(u) * (math.log(self.high) - math.log(self.low)))


class IntUniform:
    """An integer hyperparameter drawn uniformly from low, low + 1, ..., high (both included).

    Args:
        low, high: integers, low <= high.

    Example:

    >>> from dlcourse.training import IntUniform
    >>> IntUniform(1, 4).from_unit(0.99)
    4
    """

    def __init__(self, low, high):
        if not (is_int(low) and is_int(high) and low <= high):
            raise ValueError(f"IntUniform needs integers low <= high, got low={low!r}, high={high!r}.")
        self.low, self.high = int(low), int(high)

    def sample(self, rng):
        return int(rng.integers(self.low, self.high + 1))

    def to_unit(self, value):
        # The centre of the value's cell, so that to_unit(from_unit(u)) snaps u to a grid point.
        return (int(value) - self.low + 0.5) / (self.high - self.low + 1)

    def from_unit(self, u):
        count = self.high - self.low + 1
        return self.low + min(int(math.floor(float(u) * count)), count - 1)

    def __repr__(self):
        return f"IntUniform({self.low!r}, {self.high!r})"


class _Choice:
    """A hyperparameter drawn from a list; for the Gaussian process its index is the coordinate."""

    def __init__(self, values):
        self.values = list(values)

    def sample(self, rng):
        return self.values[int(rng.integers(len(self.values)))]

    def to_unit(self, value):
        return (self.values.index(value) + 0.5) / len(self.values)

    def from_unit(self, u):
        return self.values[min(int(math.floor(float(u) * len(self.values))), len(self.values) - 1)]


class _ScipyDistribution:
    """A scipy.stats frozen distribution: random search can sample it, BO cannot map it to [0, 1]."""

    def __init__(self, dist):
        self.dist = dist

    def sample(self, rng):
        value = self.dist.rvs(random_state=rng)
        return value.item() if hasattr(value, "item") else value


def _dimension(name, spec):
    if isinstance(spec, (list, tuple)):
        if len(spec) == 0:
            raise ValueError(f"space[{name!r}] is an empty list; give at least one value.")
        return _Choice(spec)
    if isinstance(spec, (Uniform, IntUniform)):
        return spec
    if hasattr(spec, "rvs"):
        return _ScipyDistribution(spec)
    raise TypeError(
        f"space[{name!r}] must be a list of values or a distribution (Uniform, LogUniform, "
        f"IntUniform), got {spec!r}; write [{spec!r}] for a fixed value."
    )


def _dimensions(space):
    if not isinstance(space, dict) or not space:
        raise ValueError(f"space must be a non-empty dict from hyperparameter name to values, "
                         f"got {space!r}.")
    return {name: _dimension(name, spec) for name, spec in space.items()}


def _sample(dimensions, rng):
    return {name: dim.sample(rng) for name, dim in dimensions.items()}


# --------------------------------------------------------------------------------------------
# The notes' empirical guidelines (§2.5) as the default search spaces
# --------------------------------------------------------------------------------------------

# The notes: start with a small learning rate (e.g. 0.001) and increase it if training converges
# too slowly; use batch sizes from 32 to 512; the regularization strength lambda typically lies
# between 1e-4 and 1e-1. The upper end of the learning rate, 0.1, is ours (the notes give none).
GUIDELINE_GRID = {
    "learning_rate": [0.001, 0.01, 0.1],
    "batch_size": [32, 128, 512],
    "regularization_strength": [1e-4, 1e-3, 1e-2, 1e-1],
}
"""The default space of `grid_search`: the notes' guidelines on a grid of 3 x 3 x 4 = 36 points."""

GUIDELINE_SPACE = {
    "learning_rate": LogUniform(0.001, 0.1),
    "batch_size": [32, 64, 128, 256, 512],
    "regularization_strength": LogUniform(1e-4, 1e-1),
}
"""The default space of `random_search`, `bayesian_optimization` and `hyperband`: the notes'
guidelines as distributions (learning rate and lambda uniform on the log scale)."""


def _space_or_guidelines(space, guidelines):
    return dict(guidelines) if space is None else space


# --------------------------------------------------------------------------------------------
# Results and objectives
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Trial:
    """One evaluation of the objective: the hyperparameters, the score, the resource spent."""

    hparams: dict
    score: float
    resource: float | None = None


@dataclasses.dataclass
class SearchResult:
    """What a search returns.

    Attributes:
        best_hparams: the hyperparameters with the best score (lowest for mode "min").
        best_score: that score.
        trials: every `Trial`, in the order they were evaluated.
        mode: "min" or "max".
    """

    best_hparams: dict
    best_score: float
    trials: list
    mode: str = "min"


@dataclasses.dataclass
class CrossValidationResult:
    """What `kfold_cross_validation` returns: per-fold scores, their mean and (ddof=0) std."""

    scores: np.ndarray
    mean: float
    std: float


def keras_objective(build_fn, x, y=None, *, validation_data=None, epochs=1, batch_size=32,
                    monitor="val_loss", seed=None, verbose=0, **fit_kwargs):
    """Turn a Keras model-building function into an objective for the searches.

    The objective builds a fresh model with `build_fn(hparams)`, fits it on (x, y) and returns
    the last epoch's value of `monitor` from the training history. With a resource (Hyperband)
    it trains for round(resource) epochs (at least one), otherwise for `epochs`. A
    "batch_size" hyperparameter (the default spaces have one) sets the batch size of `fit`.

    Args:
        build_fn: `build_fn(hparams: dict) -> keras.Model`, compiled.
        x, y: training data, as for `keras.Model.fit`.
        validation_data: (x_val, y_val), needed for the default `monitor="val_loss"`.
        epochs: epochs per trial when the search passes no resource.
        batch_size: as for `fit`, when `hparams` has no "batch_size".
        monitor: the history key to return, e.g. "val_loss" or "val_accuracy" (then search
            with mode="max").
        seed: if given, `keras.utils.set_random_seed(seed)` runs before each build, so every
            trial starts from the same random state and trials differ only in hyperparameters.
        verbose: passed to `fit`.
        **fit_kwargs: any other `fit` argument (e.g. validation_split, callbacks).

    Returns:
        `objective(hparams, resource=None) -> float`.

    Example:

        objective = keras_objective(build_fn, x, y, validation_data=(xv, yv), epochs=3)
        grid_search(objective, {"units": [8, 16]}).best_hparams
    """
    if not callable(build_fn):
        raise TypeError(f"build_fn must be a callable build_fn(hparams) -> keras.Model, "
                        f"got {build_fn!r}.")
    positive_int("epochs", epochs)
    if (monitor.startswith("val_") and validation_data is None
            and not fit_kwargs.get("validation_split")):
        raise ValueError(f"monitor={monitor!r} needs validation data; pass "
                         "validation_data=(x_val, y_val) or validation_split=0.2, or monitor a "
                         "training metric such as 'loss'.")

    def objective(hparams, resource=None):
        import keras  # here, so that searching over plain functions never loads TensorFlow

        if seed is not None:
            keras.utils.set_random_seed(seed)
        model = build_fn(hparams)
        if not isinstance(model, keras.Model):
            raise TypeError(f"build_fn must return a keras.Model, got {type(model).__name__}.")
        if not model.compiled:
            raise ValueError("build_fn must return a compiled keras.Model; call "
                             "model.compile(optimizer, loss, metrics) before returning it.")
        n_epochs = epochs if resource is None else max(1, int(round(resource)))
        history = model.fit(x, y, validation_data=validation_data, epochs=n_epochs,
                            batch_size=int(hparams.get("batch_size", batch_size)), verbose=verbose,
                            **fit_kwargs).history
        if monitor not in history:
            raise ValueError(f"monitor={monitor!r} is not in the training history, which has "
                             f"{sorted(history)}; pick one of those.")
        return float(history[monitor][-1])

    return objective


def _check_mode(mode):
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' (a loss) or 'max' (a metric such as accuracy), "
                         f"got {mode!r}.")


def _loss_of(score, mode):
    """The score as a loss to minimize; NaN (a diverged run) counts as the worst."""
    score = float(score)
    if math.isnan(score):
        return math.inf
    return score if mode == "min" else -score


def _result(trials, mode):
    best = min(trials, key=lambda t: _loss_of(t.score, mode))
    return SearchResult(dict(best.hparams), best.score, trials, mode)


# --------------------------------------------------------------------------------------------
# Grid and random search
# --------------------------------------------------------------------------------------------


def grid_search(objective, space=None, *, mode="min"):
    """Evaluate the objective on every combination of the listed hyperparameter values.

    The grid is the Cartesian product of the lists, prod_j |values_j| configurations; its size
    grows exponentially with the number of hyperparameters, which is why random search
    (Bergstra and Bengio, 2012) usually finds good settings of the few important ones sooner.

    Args:
        objective: `objective(hparams: dict) -> float`, e.g. from `keras_objective`.
        space: dict from name to a list of values, e.g. {"units": [16, 32], "lr": [1e-3, 1e-2]}.
            Defaults to `GUIDELINE_GRID`, the notes' guidelines.
        mode: "min" when the objective is a loss, "max" when it is a metric to maximize.

    Returns:
        A `SearchResult` (best_hparams, best_score, trials in grid order, the last name varying
        fastest).

    Example:

    >>> from dlcourse.training import grid_search
    >>> grid_search(lambda hp: (hp["x"] - 2) ** 2, {"x": [0, 1, 2, 3]}).best_hparams
    {'x': 2}
    """
    _check_mode(mode)
    space = _space_or_guidelines(space, GUIDELINE_GRID)
    dimensions = _dimensions(space)
    for name, dim in dimensions.items():
        if not isinstance(dim, _Choice):
            raise TypeError(f"grid_search needs a list of values for every hyperparameter, but "
                            f"space[{name!r}] is {space[name]!r}; list the values to try or use "
                            "random_search.")
    names = list(dimensions)
    trials = []
    for values in itertools.product(*(dimensions[name].values for name in names)):
        hparams = dict(zip(names, values))
        trials.append(Trial(hparams, float(objective(hparams))))
    return _result(trials, mode)


def random_search(objective, space=None, n_trials=10, *, mode="min", seed=None):
    """Evaluate the objective on `n_trials` configurations drawn independently from the space.

    Each hyperparameter is drawn from its distribution (uniformly from a list), independently of
    the others and of earlier results.

    Args:
        objective: `objective(hparams: dict) -> float`.
        space: dict from name to a list of values, a `Uniform`/`LogUniform`/`IntUniform`, or a
            scipy.stats frozen distribution. Defaults to `GUIDELINE_SPACE`, the notes' guidelines.
        n_trials: number of configurations to evaluate.
        mode: "min" or "max".
        seed: seed of the numpy generator that draws the configurations.

    Returns:
        A `SearchResult`.

    Example:

    >>> from dlcourse.training import random_search, Uniform
    >>> r = random_search(lambda hp: (hp["x"] - 0.3) ** 2, {"x": Uniform(0, 1)}, 50, seed=0)
    >>> abs(r.best_hparams["x"] - 0.3) < 0.05
    True
    """
    _check_mode(mode)
    int_at_least("n_trials", n_trials, 1)
    dimensions = _dimensions(_space_or_guidelines(space, GUIDELINE_SPACE))
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        hparams = _sample(dimensions, rng)
        trials.append(Trial(hparams, float(objective(hparams))))
    return _result(trials, mode)


# --------------------------------------------------------------------------------------------
# Bayesian optimization: a Gaussian process and expected improvement
# --------------------------------------------------------------------------------------------


def _squared_distances(a, b):
    a, b = np.atleast_2d(np.asarray(a, float)), np.atleast_2d(np.asarray(b, float))
    d2 = np.sum(a**2, axis=1)[:, None] + np.sum(b**2, axis=1)[None, :] - 2.0 * a @ b.T
    return np.maximum(d2, 0.0)


def rbf_kernel(a, b, length_scale=1.0, variance=1.0):
    """Squared-exponential (RBF) kernel matrix.

        k(x, x') = variance * exp(-||x - x'||^2 / (2 length_scale^2))

    Args:
        a: points, shape (n, d). b: points, shape (m, d).
        length_scale: how far apart two points may be and still be correlated.
        variance: the prior variance k(x, x).

    Returns:
        Array of shape (n, m).
    """
    return variance * np.exp(-0.5 * _squared_distances(a, b) / length_scale**2)


def matern52_kernel(a, b, length_scale=1.0, variance=1.0):
    """Matern kernel with nu = 5/2, the usual default of Bayesian optimization (Snoek et al., 2012).

        r = ||x - x'|| / length_scale
        k(x, x') = variance * (1 + sqrt(5) r + 5 r^2 / 3) * exp(-sqrt(5) r)

    Its samples are twice differentiable, rougher than the RBF kernel's (infinitely smooth),
    which suits validation losses better.

    Args:
        a: points, shape (n, d). b: points, shape (m, d).
        length_scale, variance: as for `rbf_kernel`.

    Returns:
        Array of shape (n, m).
    """
    r = np.sqrt(5.0 * _squared_distances(a, b)) / length_scale
    return variance * (1.0 + r + r**2 / 3.0) * np.exp(-r)


_KERNELS = {"rbf": rbf_kernel, "matern52": matern52_kernel}


def _kernel_fn(kernel):
    if callable(kernel):
        return kernel
    if kernel not in _KERNELS:
        raise ValueError(f"kernel must be one of {sorted(_KERNELS)} or a callable k(a, b, "
                         f"length_scale, variance), got {kernel!r}.")
    return _KERNELS[kernel]


def _gp_fit(x_train, y_train, kernel, length_scale, variance, noise):
    """Cholesky factor L of K + noise I and alpha = (K + noise I)^-1 y."""
    k = kernel(x_train, x_train, length_scale, variance) + noise * np.eye(len(x_train))
    chol = np.linalg.cholesky(k)
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, y_train))
    return chol, alpha


def gaussian_process_posterior(x_train, y_train, x_query, kernel="rbf", length_scale=1.0,
                               variance=1.0, noise=1e-10):
    """Posterior mean and variance of a zero-mean Gaussian process at query points.

    With K = k(X, X) + noise I, k* = k(X, x*):

        mean(x*)     = k*^T K^-1 y
        variance(x*) = k(x*, x*) - k*^T K^-1 k*

    computed with the Cholesky factor of K (Rasmussen and Williams, 2006, Algorithm 2.1).

    Args:
        x_train: observed points, shape (n, d).
        y_train: observed values, shape (n,).
        x_query: where to predict, shape (m, d).
        kernel: "rbf", "matern52" or a callable `k(a, b, length_scale, variance)`.
        length_scale, variance: the kernel's hyperparameters (held fixed).
        noise: observation-noise variance added to the diagonal of K.

    Returns:
        (mean, variance), each of shape (m,); variance is clipped at 0.

    Example:

    >>> from dlcourse.training import gaussian_process_posterior
    >>> m, v = gaussian_process_posterior([[0.0]], [1.0], [[0.0]], noise=1e-8)
    >>> round(float(m[0]), 4), round(float(v[0]), 4)
    (1.0, 0.0)
    """
    kernel = _kernel_fn(kernel)
    x_train = np.atleast_2d(np.asarray(x_train, float))
    x_query = np.atleast_2d(np.asarray(x_query, float))
    y_train = np.asarray(y_train, float).reshape(-1)
    chol, alpha = _gp_fit(x_train, y_train, kernel, length_scale, variance, noise)
    k_star = kernel(x_train, x_query, length_scale, variance)
    mean = k_star.T @ alpha
    v = np.linalg.solve(chol, k_star)
    prior = np.diag(kernel(x_query, x_query, length_scale, variance))
    return mean, np.maximum(prior - np.sum(v**2, axis=0), 0.0)


def _log_marginal_likelihood(x_train, y_train, kernel, length_scale, variance, noise):
    # log p(y | X) = -1/2 y^T K^-1 y - sum(log diag L) - n/2 log(2 pi)
    try:
        chol, alpha = _gp_fit(x_train, y_train, kernel, length_scale, variance, noise)
    except np.linalg.LinAlgError:
        return -math.inf
    n = len(y_train)
    return float(-0.5 * y_train @ alpha - np.sum(np.log(np.diag(chol))) - 0.5 * n * math.log(2 * math.pi))


_erfc = np.vectorize(math.erfc, otypes=[float])


def _normal_cdf(z):
    return 0.5 * _erfc(-np.asarray(z, float) / math.sqrt(2.0))


def _normal_pdf(z):
    z = np.asarray(z, float)
    return np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)


def expected_improvement(mean, std, best, xi=0.0):
    """Expected improvement over the best loss so far, for a Gaussian belief N(mean, std^2).

    For minimization, the improvement of a point with loss f is max(best - f - xi, 0); its
    expectation under f ~ N(mean, std^2) has the closed form (Jones et al., 1998)

        z  = (best - mean - xi) / std
        EI = (best - mean - xi) * Phi(z) + std * phi(z)          (std > 0)
        EI = max(best - mean - xi, 0)                             (std = 0)

    with Phi and phi the standard normal CDF and density. The first term rewards a low mean
    (exploitation), the second a large std (exploration); xi >= 0 shifts the balance to
    exploration.

    Args:
        mean: posterior mean(s), any shape.
        std: posterior standard deviation(s), same shape, >= 0.
        best: the lowest loss observed so far.
        xi: required margin of improvement.

    Returns:
        Array of the broadcast shape of mean and std, >= 0.

    Example:

    >>> from dlcourse.training import expected_improvement
    >>> round(float(expected_improvement(0.0, 1.0, best=0.0)), 4)  # phi(0) = 1 / sqrt(2 pi)
    0.3989
    """
    mean, std = np.broadcast_arrays(np.asarray(mean, float), np.asarray(std, float))
    improvement = best - mean - xi
    positive = std > 0
    z = np.where(positive, improvement / np.where(positive, std, 1.0), 0.0)
    ei = improvement * _normal_cdf(z) + std * _normal_pdf(z)
    return np.where(positive, np.maximum(ei, 0.0), np.maximum(improvement, 0.0))


_LENGTH_SCALES = (0.05, 0.1, 0.2, 0.4, 0.8)
_NOISES = (1e-6, 1e-3, 1e-1)


def bayesian_optimization(objective, space=None, n_trials=20, *, n_initial=5, n_candidates=1000,
                          kernel="matern52", xi=0.01, mode="min", seed=None):
    """Bayesian optimization: a Gaussian process of the objective picks each next trial.

    Every hyperparameter is mapped to [0, 1] (LogUniform on the log scale, a list by its index),
    so the search space is the unit cube. After `n_initial` random trials, each step

    1. fits a zero-mean Gaussian process to the standardized losses observed so far, with the
       kernel's length scale and the noise chosen by maximum marginal likelihood on a small grid,
    2. draws `n_candidates` random points of the cube and computes their expected improvement
       EI(x) = (best - mean - xi) Phi(z) + std phi(z), z = (best - mean - xi) / std,
    3. evaluates the objective at the candidate with the largest EI.

    Args:
        objective: `objective(hparams: dict) -> float`.
        space: dict from name to a list of values, `Uniform`, `LogUniform` or `IntUniform`.
            Defaults to `GUIDELINE_SPACE`, the notes' guidelines.
        n_trials: total number of objective evaluations, the random ones included.
        n_initial: random trials before the Gaussian process takes over.
        n_candidates: random points on which the acquisition function is maximized.
        kernel: "matern52" (default) or "rbf".
        xi: exploration margin of expected improvement, in units of the losses' std.
        mode: "min" or "max".
        seed: seed of the numpy generator (initial trials and candidates).

    Returns:
        A `SearchResult`.

    Example:

    >>> from dlcourse.training import bayesian_optimization, Uniform
    >>> r = bayesian_optimization(lambda hp: (hp["x"] - 0.3) ** 2, {"x": Uniform(0, 1)},
    ...                           n_trials=12, seed=0)
    >>> abs(r.best_hparams["x"] - 0.3) < 0.02
    True
    """
    _check_mode(mode)
    int_at_least("n_trials", n_trials, 1)
    int_at_least("n_initial", n_initial, 1)
    int_at_least("n_candidates", n_candidates, 1)
    kernel = _kernel_fn(kernel)
    space = _space_or_guidelines(space, GUIDELINE_SPACE)
    dimensions = _dimensions(space)
    for name, dim in dimensions.items():
        if not hasattr(dim, "to_unit"):
            raise TypeError(f"bayesian_optimization needs a list, Uniform, LogUniform or "
                            f"IntUniform for every hyperparameter, but space[{name!r}] is "
                            f"{space[name]!r}.")
    names = list(dimensions)
    rng = np.random.default_rng(seed)

    def encode(hparams):
        return [dimensions[name].to_unit(hparams[name]) for name in names]

    def decode(u):
        return {name: dimensions[name].from_unit(u_j) for name, u_j in zip(names, u)}

    trials = []
    for t in range(n_trials):
        if t < n_initial:
            hparams = _sample(dimensions, rng)
        else:
            hparams = _propose(trials, encode, decode, kernel, xi, mode, n_candidates, rng)
        trials.append(Trial(hparams, float(objective(hparams))))
    return _result(trials, mode)


def _propose(trials, encode, decode, kernel, xi, mode, n_candidates, rng):
    x_train = np.array([encode(t.hparams) for t in trials])
    losses = np.array([_loss_of(t.score, mode) for t in trials])
    finite = np.isfinite(losses)
    if not finite.any():
        return decode(rng.uniform(size=x_train.shape[1]))
    losses[~finite] = losses[finite].max()  # a diverged run is as bad as the worst seen
    y = (losses - losses.mean()) / (losses.std() or 1.0)
    length_scale, noise = max(
        itertools.product(_LENGTH_SCALES, _NOISES),
        key=lambda p: _log_marginal_likelihood(x_train, y, kernel, p[0], 1.0, p[1]),
    )
    # Snap candidates to representable points (integers, list entries) before scoring them.
    candidates = [decode(u) for u in rng.uniform(size=(n_candidates, x_train.shape[1]))]
    x_query = np.array([encode(c) for c in candidates])
    mean, var = gaussian_process_posterior(x_train, y, x_query, kernel, length_scale, 1.0, noise)
    ei = expected_improvement(mean, np.sqrt(var), y.min(), xi)
    return candidates[int(np.argmax(ei))]


# --------------------------------------------------------------------------------------------
# Hyperband
# --------------------------------------------------------------------------------------------


def _integer_log(R, eta):
    """The largest integer s with eta^s <= R (floor(log_eta R) without rounding error)."""
    s = 0
    while eta ** (s + 1) <= R * (1 + 1e-12):
        s += 1
    return s


def hyperband_brackets(R, eta=3):
    """Hyperband's schedule: for each bracket s, the successive-halving rungs (n_i, r_i).

    From Li et al., "Hyperband", JMLR 18 (2018), Algorithm 1, with s_max = floor(log_eta R)
    and B = (s_max + 1) R:

        for s = s_max, ..., 0:
            n = ceil(B / R * eta^s / (s + 1)),   r = R eta^-s
            for i = 0, ..., s:
                n_i = floor(n eta^-i),   r_i = r eta^i

    Bracket s starts n configurations on the small resource r and keeps the best 1/eta of them
    at each rung; bracket 0 is plain random search at the full resource R. R=81, eta=3 gives
    Table 1 of the paper.

    Args:
        R: the maximum resource one configuration may get (epochs), a number >= 1.
        eta: the halving rate, an integer >= 2 (only the best 1/eta survive a rung).

    Returns:
        dict from s (s_max first, down to 0) to the list [(n_0, r_0), ..., (n_s, r_s)].
        r_i is an int when it is a whole number, a float otherwise.

    Example:

    >>> from dlcourse.training import hyperband_brackets
    >>> hyperband_brackets(9, eta=3)
    {2: [(9, 1), (3, 3), (1, 9)], 1: [(5, 3), (1, 9)], 0: [(3, 9)]}
    """
    if not _is_number(R) or R < 1:
        raise ValueError(f"R must be a number >= 1 (the maximum resource per configuration, "
                         f"e.g. epochs), got {R!r}.")
    if not is_int(eta) or eta < 2:
        raise ValueError(f"eta must be an integer >= 2 (the halving rate; 3 is usual), got {eta!r}.")
    eta = int(eta)
    s_max = _integer_log(R, eta)
    schedule = {}
    for s in range(s_max, -1, -1):
        n = -(-(s_max + 1) * eta**s // (s + 1))  # ceil((B / R) eta^s / (s + 1)) in integers
        schedule[s] = [(n // eta**i, _resource(R, eta ** (s - i))) for i in range(s + 1)]
    return schedule


def _resource(R, divisor):
    if is_int(R) and int(R) % divisor == 0:
        return int(R) // divisor
    return R / divisor


def hyperband(objective, space=None, R=27, eta=3, *, mode="min", seed=None):
    """Hyperband (Li et al., JMLR 2018, Algorithm 1): successive halving over several brackets.

    For each bracket s of `hyperband_brackets(R, eta)` it draws n_0 random configurations and
    runs successive halving: at rung i it trains each surviving configuration with resource
    r_i (epochs), `objective(hparams, r_i)`, and keeps the floor(n_i / eta) best. Brackets trade
    many configurations on small budgets (aggressive early stopping) against few on the full
    budget. Each call trains from scratch, as in the paper's run_then_return_val_loss.

    Args:
        objective: `objective(hparams: dict, resource) -> float`; `keras_objective` makes one
            whose resource is the number of epochs.
        space: as for `random_search` (defaults to `GUIDELINE_SPACE`, the notes' guidelines).
        R: maximum resource (epochs) per configuration.
        eta: halving rate, an integer >= 2.
        mode: "min" or "max".
        seed: seed of the numpy generator that draws the configurations.

    Returns:
        A `SearchResult` over every (configuration, resource) evaluation; the best is, as in
        the paper, the configuration with the best intermediate score seen.

    Example:

    >>> from dlcourse.training import hyperband, Uniform
    >>> r = hyperband(lambda hp, epochs: (hp["x"] - 0.3) ** 2 + 1 / epochs,
    ...               {"x": Uniform(0, 1)}, R=9, seed=0)
    >>> len(r.trials)
    22
    """
    _check_mode(mode)
    schedule = hyperband_brackets(R, eta)
    dimensions = _dimensions(_space_or_guidelines(space, GUIDELINE_SPACE))
    rng = np.random.default_rng(seed)
    trials = []
    for rungs in schedule.values():
        configs = [_sample(dimensions, rng) for _ in range(rungs[0][0])]
        for n_i, r_i in rungs:
            scores = []
            for hparams in configs:
                score = float(objective(hparams, r_i))
                trials.append(Trial(hparams, score, r_i))
                scores.append(_loss_of(score, mode))
            order = np.argsort(scores, kind="stable")
            configs = [configs[j] for j in order[: n_i // eta]]
    return _result(trials, mode)


# --------------------------------------------------------------------------------------------
# k-fold cross-validation
# --------------------------------------------------------------------------------------------


def kfold_split(n_samples, k=5, *, shuffle=False, seed=None):
    """Split range(n_samples) into k folds: each fold is the validation set once.

    The indices (permuted with np.random.default_rng(seed).permutation when shuffle=True) are
    cut into k consecutive blocks; the first n_samples % k blocks hold one sample more. Same
    folds as sklearn.model_selection.KFold when shuffle=False.

    Args:
        n_samples: number of samples, >= k.
        k: number of folds, an integer >= 2.
        shuffle: permute the samples before cutting them into blocks.
        seed: seed of the permutation.

    Returns:
        List of k pairs (train_indices, validation_indices), int arrays sorted ascending.

    Example:

    >>> from dlcourse.training import kfold_split
    >>> [v.tolist() for _, v in kfold_split(5, k=2)]
    [[0, 1, 2], [3, 4]]
    """
    int_at_least("k", k, 2)
    if not is_int(n_samples) or n_samples < k:
        raise ValueError(f"n_samples must be an integer >= k={k}, got {n_samples!r}; use fewer "
                         "folds or more data.")
    order = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    folds, start = [], 0
    for size in sizes:
        in_fold = np.zeros(n_samples, dtype=bool)
        in_fold[order[start:start + size]] = True
        folds.append((np.flatnonzero(~in_fold), np.flatnonzero(in_fold)))
        start += size
    return folds


def kfold_cross_validation(fit_and_score, x, y=None, k=5, *, shuffle=False, seed=None):
    """k-fold cross-validation: fit on k - 1 folds, score on the held-out fold, k times.

        CV = 1/k sum_j score(model fitted without fold j, fold j)

    Every sample is used for validation exactly once, so the mean is a less noisy estimate of
    generalization than a single split, and the std shows how much it depends on the split.

    Args:
        fit_and_score: `fit_and_score(x_train, y_train, x_val, y_val) -> float`; for Keras,
            build a fresh model, fit it on the training part, return e.g.
            `model.evaluate(x_val, y_val, return_dict=True)["accuracy"]`.
        x: inputs, an array indexable by an index array along axis 0.
        y: targets (or None), same length as x.
        k, shuffle, seed: as for `kfold_split`.

    Returns:
        `CrossValidationResult(scores, mean, std)`: scores of shape (k,), their mean and
        population std (ddof=0).

    Example:

    >>> import numpy as np
    >>> from dlcourse.training import kfold_cross_validation
    >>> x = np.arange(10.0)
    >>> kfold_cross_validation(lambda xt, yt, xv, yv: float(xv.mean()), x, x, k=2).scores
    array([2., 7.])
    """
    x = np.asarray(x)
    y = None if y is None else np.asarray(y)
    if y is not None and len(y) != len(x):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}.")
    scores = []
    for train, val in kfold_split(len(x), k, shuffle=shuffle, seed=seed):
        scores.append(float(fit_and_score(x[train], None if y is None else y[train],
                                          x[val], None if y is None else y[val])))
    scores = np.array(scores)
    return CrossValidationResult(scores, float(scores.mean()), float(scores.std()))
