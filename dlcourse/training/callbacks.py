"""Early stopping: end training once the validation loss stops improving.

Lecture: §2.3 Regularization

The notes list early stopping among the regularization techniques: stopping before the model
fits the noise of the training data limits its capacity to do so. They give no stopping rule;
beyond the notes, the rule here (patience, min_delta, restoring the best epoch) is the one of
`keras.callbacks.EarlyStopping`.
"""

from __future__ import annotations

import keras

from dlcourse.arguments import non_negative_int

__all__ = ["EarlyStopping"]

# Monitored quantities that improve upwards when mode="auto"; everything else is a loss.
_HIGHER_IS_BETTER = ("acc", "accuracy", "auc", "precision", "recall")


@keras.saving.register_keras_serializable(package="dlcourse")
class EarlyStopping(keras.callbacks.Callback):
    """Stop training when a monitored quantity has not improved for `patience` epochs.

    After every epoch the monitored value (by default the validation loss) is compared with
    the best value so far. An epoch improves when, in "min" mode,

        value < best - min_delta        ("max" mode: value > best + min_delta),

    which makes it the new best epoch and resets the counter of epochs without improvement.
    Training stops at the end of the epoch at which that counter reaches `patience` (with
    patience 0, at the first epoch that does not improve). With `restore_best_weights=True`
    the model gets back the weights it had at the end of the best epoch when training ends.
    Epochs are counted from 0, as Keras passes them. These are the rules of
    `keras.callbacks.EarlyStopping` (without its `baseline` and `start_from_epoch`).

    Args:
        monitor: name of the logged quantity to watch. Defaults to "val_loss".
        patience: epochs without improvement to wait before stopping, >= 0. Defaults to 0.
        min_delta: smallest change that counts as an improvement, >= 0. Defaults to 0.
        mode: "min", "max", or "auto" ("max" for accuracy-like names, else "min").
        restore_best_weights: whether to restore the best epoch's weights at the end.

    Attributes:
        best: best monitored value seen.
        best_epoch: epoch (from 0) at which it was seen.
        stopped_epoch: epoch (from 0) at which training was stopped, or None.

    Example:

    >>> import keras
    >>> from dlcourse.training import EarlyStopping
    >>> stop = EarlyStopping(monitor="loss", patience=1)
    >>> stop.set_model(keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]))
    >>> stop.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.8, 0.9]):
    ...     stop.on_epoch_end(epoch, {"loss": loss})
    >>> stop.stopped_epoch, stop.best_epoch
    (2, 1)
    """

    def __init__(
        self,
        monitor="val_loss",
        patience=0,
        min_delta=0.0,
        mode="auto",
        restore_best_weights=False,
    ):
        super().__init__()
        patience = non_negative_int("patience", patience)
        if isinstance(min_delta, bool) or not isinstance(min_delta, (int, float)) or min_delta < 0:
            raise ValueError(f"min_delta must be a non-negative number, got {min_delta!r}.")
        if mode not in ("min", "max", "auto"):
            raise ValueError(f'mode must be "min", "max" or "auto", got {mode!r}.')
        self.monitor = monitor
        self.patience = patience
        self.min_delta = float(min_delta)
        self.mode = mode
        self.restore_best_weights = bool(restore_best_weights)
        self._reset()

    def _reset(self):
        self.best = None
        self.best_epoch = None
        self.best_weights = None
        self.stopped_epoch = None
        self.epochs_without_improvement = 0

    @property
    def higher_is_better(self):
        if self.mode == "auto":
            return self.monitor.removeprefix("val_") in _HIGHER_IS_BETTER
        return self.mode == "max"

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which is not in the logs "
                f"(available: {sorted(logs or {})}); pass monitor= one of those or add "
                "validation data."
            )
        value = float(value)
        if self._improves(value):
            self.best, self.best_epoch = value, epoch
            self.epochs_without_improvement = 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.epochs_without_improvement += 1
        if self.epochs_without_improvement >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def _improves(self, value):
        if self.best is None:
            return True
        if self.higher_is_better:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)

    def get_config(self):
        return {
            "monitor": self.monitor,
            "patience": self.patience,
            "min_delta": self.min_delta,
            "mode": self.mode,
            "restore_best_weights": self.restore_best_weights,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
