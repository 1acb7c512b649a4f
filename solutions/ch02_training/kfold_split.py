# %% [markdown]
"""k-fold cross-validation (6 points)
Lecture: §2.5 Hyperparameter Tuning

The notes evaluate hyperparameters with k-fold cross-validation: split the training set into k
subsets (folds), train on k - 1 of them and validate on the remaining one, each fold in turn,
and compare configurations by the average validation error across the folds:

    CV = (1 / k) * sum_j score(model fitted on all folds but j, fold j)

Beyond the notes, the folds are cut as scikit-learn's KFold cuts them: the first (n mod k)
folds hold floor(n / k) + 1 samples, the others floor(n / k), and fold j is the j-th
consecutive block of the (possibly permuted) indices 0, ..., n - 1.

Implement:
- `kfold_split(n_samples, k=5, shuffle=False, seed=None)`: a list of k pairs
  (train_indices, validation_indices), integer numpy arrays, each sorted ascending. With
  shuffle=True first permute the indices with `np.random.default_rng(seed).permutation(n_samples)`
  and cut that permutation into blocks. Raise ValueError when k < 2 or k > n_samples; every k
  from 2 up to n_samples is allowed (k = n_samples is leave-one-out).
- `kfold_cross_validation(fit_and_score, x, y, k=5, shuffle=False, seed=None)`: for each fold
  call `fit_and_score(x_train, y_train, x_val, y_val)` (it returns a float), where x
  (n, ...) and y (n, ...) hold the n samples along their first axis, and return
  (scores, mean, std): scores a float array of shape (k,) in fold order, mean and std (numpy's
  default, ddof=0) of the scores as floats.

You may not use sklearn.model_selection or dlcourse.training.
"""

# %%
import numpy as np


# %%
def kfold_split(n_samples, k=5, shuffle=False, seed=None):
    """List of k (train_indices, validation_indices) pairs, each sorted ascending."""
    ### BEGIN SOLUTION
    if k < 2 or k > n_samples:
        raise ValueError(f"k must be between 2 and n_samples={n_samples}, got {k}.")
    indices = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    folds = []
    start = 0
    for j in range(k):
        size = n_samples // k + (1 if j < n_samples % k else 0)
        val = np.sort(indices[start:start + size])
        train = np.sort(np.concatenate([indices[:start], indices[start + size:]]))
        folds.append((train, val))
        start += size
    return folds
    ### END SOLUTION


# %%
def kfold_cross_validation(fit_and_score, x, y, k=5, shuffle=False, seed=None):
    """Return (scores of shape (k,), mean, std)."""
    ### BEGIN SOLUTION
    x, y = np.asarray(x), np.asarray(y)
    scores = np.array([
        float(fit_and_score(x[train], y[train], x[val], y[val]))
        for train, val in kfold_split(len(x), k, shuffle, seed)
    ])
    return scores, float(scores.mean()), float(scores.std())
    ### END SOLUTION
