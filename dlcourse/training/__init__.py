"""Chapter 2, training a neural network: the Keras pieces of the notes.

Lecture: §2 Training a Neural Network

- initialization (§2.1): `XavierUniform`, `HeNormal`, `compute_fans`, and `identical_units`,
  which shows the symmetry that a constant start never breaks
- optimization (§2.2): `SGD`, `SGDMomentum` (the notes' momentum, v <- mu v - eta grad L,
  theta <- theta + v; a moving-average option beyond the notes), `Adam` (the notes' form, or
  with bias correction), and, beyond the notes, `AdamW` (Adam with decoupled weight decay,
  the optimizer of chapter 8's LLM pre-training)
- regularization (§2.3): `L1`, `L2`, `BatchNormalization`, `Dropout` (the notes' form, scaled
  by 1 - p at test time), `InvertedDropout` (the practical variant), `EarlyStopping`
- losses (§2.4): `CategoricalCrossentropy`, `MeanSquaredError` (and their function forms)
- hyperparameter tuning (§2.5, `dlcourse.training.search`): `grid_search`, `random_search`,
  `bayesian_optimization` (Gaussian process + expected improvement), `hyperband`,
  `hyperband_brackets`, `kfold_split`, `kfold_cross_validation`, and `keras_objective` to
  search over a Keras model-building function; by default the searches use the notes'
  empirical guidelines, `GUIDELINE_GRID` and `GUIDELINE_SPACE`
"""

from dlcourse.training.callbacks import EarlyStopping
from dlcourse.training.dropout import Dropout, InvertedDropout
from dlcourse.training.initializers import HeNormal, XavierUniform, compute_fans, identical_units
from dlcourse.training.losses import (
    CategoricalCrossentropy,
    MeanSquaredError,
    categorical_crossentropy,
    mean_squared_error,
)
from dlcourse.training.normalization import BatchNormalization
from dlcourse.training.optimizers import SGD, Adam, AdamW, SGDMomentum
from dlcourse.training.regularizers import L1, L2
from dlcourse.training.search import (
    GUIDELINE_GRID,
    GUIDELINE_SPACE,
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
    "identical_units",
    "SGD",
    "SGDMomentum",
    "Adam",
    "AdamW",
    "L1",
    "L2",
    "BatchNormalization",
    "Dropout",
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
    "GUIDELINE_GRID",
    "GUIDELINE_SPACE",
    "expected_improvement",
    "gaussian_process_posterior",
    "Uniform",
    "LogUniform",
    "IntUniform",
    "SearchResult",
    "CrossValidationResult",
]
