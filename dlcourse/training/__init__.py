"""Chapter 2, training a neural network: the Keras pieces of the lecture.

- initializers: `XavierUniform`, `HeNormal`, `compute_fans`
- optimizers: `SGD`, `SGDMomentum` (the lecture's moving-average momentum), `Adam` (with or
  without bias correction)
- regularizers: `L1`, `L2`
- layers: `BatchNormalization`, `InvertedDropout`
- losses: `CategoricalCrossentropy`, `MeanSquaredError` (and their function forms)
- callbacks: `EarlyStopping`
- hyperparameter search and k-fold cross-validation (`dlcourse.training.search`):
  `grid_search`, `random_search`, `bayesian_optimization` (Gaussian process + expected
  improvement), `hyperband`, `hyperband_brackets`, `kfold_split`, `kfold_cross_validation`,
  and `keras_objective` to search over a Keras model-building function
"""

from dlcourse.training.callbacks import EarlyStopping
from dlcourse.training.dropout import InvertedDropout
from dlcourse.training.initializers import HeNormal, XavierUniform, compute_fans
from dlcourse.training.losses import (
    CategoricalCrossentropy,
    MeanSquaredError,
    categorical_crossentropy,
    mean_squared_error,
)
from dlcourse.training.normalization import BatchNormalization
from dlcourse.training.optimizers import SGD, Adam, SGDMomentum
from dlcourse.training.regularizers import L1, L2
from dlcourse.training.search import (
    CrossValidationResult,
    IntUniform,
    LogUniform,
    SearchResult,
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
    random_search,
)

__all__ = [
    "XavierUniform",
    "HeNormal",
    "compute_fans",
    "SGD",
    "SGDMomentum",
    "Adam",
    "L1",
    "L2",
    "BatchNormalization",
    "InvertedDropout",
    "CategoricalCrossentropy",
    "MeanSquaredError",
    "categorical_crossentropy",
    "mean_squared_error",
    "EarlyStopping",
    "grid_search",
    "random_search",
    "bayesian_optimization",
    "hyperband",
    "hyperband_brackets",
    "kfold_split",
    "kfold_cross_validation",
    "keras_objective",
    "expected_improvement",
    "gaussian_process_posterior",
    "Uniform",
    "LogUniform",
    "IntUniform",
    "SearchResult",
    "CrossValidationResult",
]
