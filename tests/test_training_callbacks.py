"""EarlyStopping against keras.callbacks.EarlyStopping on scripted histories."""

import keras
import numpy as np
import pytest

from dlcourse.training import EarlyStopping


def _model():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="zeros")])


def _drive(callback, history, monitor="val_loss", change_weights=True):
    """Play a history through on_epoch_end as fit would; the kernel holds the epoch number."""
    model = _model()
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    last = None
    for epoch, value in enumerate(history):
        if change_weights:
            model.set_weights([np.full((2, 1), float(epoch), "float32"), np.zeros(1, "float32")])
        callback.on_epoch_end(epoch, {monitor: value})
        last = epoch
        if model.stop_training:
            break
    callback.on_train_end()
    return last, model.get_weights()[0][0, 0]


def _noisy_curve(seed, epochs=30):
    rng = np.random.default_rng(seed)
    t = np.arange(epochs)
    return list(np.exp(-t / rng.uniform(2, 8)) + 0.005 * t + rng.normal(0, 0.02, epochs))


CASES = [
    ([1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.6], 2, 0.0, "min"),
    ([1.0, 0.9, 0.8, 0.7], 1, 0.0, "min"),
    ([0.9, 0.8, 0.85, 0.5], 0, 0.0, "min"),
    ([0.9, 0.9, 0.1], 0, 0.0, "min"),
    ([1.0, 0.95, 0.949, 0.948, 0.947, 0.90], 3, 0.01, "min"),
    ([0.5, 0.62, 0.70, 0.705, 0.71, 0.69, 0.70, 0.72], 2, 0.0, "max"),
    ([0.5, 0.62, 0.70, 0.705, 0.71, 0.69, 0.70, 0.72], 2, 0.02, "max"),
    *[(_noisy_curve(seed), patience, delta, "min") for seed, patience, delta in ((0, 3, 0.0), (1, 5, 0.01), (2, 1, 0.0), (3, 4, 0.002))],
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("history, patience, min_delta, mode", CASES)
def test_same_stop_and_restored_epoch_as_keras(history, patience, min_delta, mode):
    settings = dict(monitor="val_loss", patience=patience, min_delta=min_delta, mode=mode, restore_best_weights=True)
    ours, theirs = EarlyStopping(**settings), keras.callbacks.EarlyStopping(**settings)
    ours_last, ours_restored = _drive(ours, history)
    theirs_last, theirs_restored = _drive(theirs, history)
    assert ours_last == theirs_last
    assert (ours.stopped_epoch or 0) == theirs.stopped_epoch
    assert ours.best_epoch == theirs.best_epoch
    assert ours_restored == theirs_restored == ours.best_epoch


def test_auto_mode_reads_accuracy_as_higher_is_better():
    history = [0.5, 0.6, 0.55, 0.54]
    stop = EarlyStopping(monitor="val_accuracy", patience=2)
    _drive(stop, history, monitor="val_accuracy", change_weights=False)
    assert (stop.stopped_epoch, stop.best_epoch) == (3, 1)


@pytest.mark.backend_neutral
def test_stops_fit_when_the_loss_stalls():
    # learning rate 0: the loss never improves, so fit stops after 1 + patience epochs
    x = np.ones((8, 2), "float32")
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(x, x[:, :1], epochs=20, verbose=0, callbacks=[EarlyStopping(monitor="loss", patience=3)])
    assert len(history.history["loss"]) == 4


def test_missing_monitor_is_a_clear_error():
    stop = EarlyStopping(monitor="val_loss")
    stop.set_model(_model())
    with pytest.raises(ValueError, match="not in the logs"):
        stop.on_epoch_end(0, {"loss": 1.0})


def test_config_round_trip_and_validation():
    stop = EarlyStopping(monitor="loss", patience=4, min_delta=0.1, mode="min", restore_best_weights=True)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(stop))
    assert type(restored) is EarlyStopping and restored.get_config() == stop.get_config()
    with pytest.raises(ValueError, match="patience must be a non-negative integer"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="mode must be"):
        EarlyStopping(mode="down")
