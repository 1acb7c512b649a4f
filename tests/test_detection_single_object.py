"""Single-object detection (classification + localisation): the exercise's loss against Keras'
CategoricalCrossentropy and MeanSquaredError and against finite differences; the library's
SingleObjectDetector against the same stack of keras.layers on shared weights, its default loss
against the exercise's, config and save/load round-trips (also in a fresh process), and a small
seeded training run on the generated shapes scored by accuracy and IoU."""

import pathlib
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from dlcourse.data.shapes import SHAPE_CLASSES, make_shapes
from dlcourse.detection import (
    BoxL2Loss,
    SingleObjectDetector,
    normalized_centers,
    normalized_centers_to_corners,
    pairwise_iou,
)
from dlcourse.grading.probe import load_module

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sol():
    path = ROOT / "solutions" / "ch04_cnn" / "single_object_detection.py"
    return load_module(str(path), "ch04_single_object_detection_solution")


def _problem(seed, n=6, num_classes=4):
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, 2, size=(n, num_classes))
    y = np.eye(num_classes)[rng.integers(0, num_classes, size=n)]
    box_true = rng.uniform(0, 1, size=(n, 4))
    box_pred = box_true + rng.normal(0, 0.2, size=(n, 4))
    return scores, box_pred, y, box_true


def _numpy(x):
    return float(keras.ops.convert_to_numpy(x))


# --- the exercise's loss against independent oracles ---------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_solution_losses_equal_keras_losses(sol, seed):
    scores, box_pred, y, box_true = _problem(seed)
    cross_entropy = keras.losses.CategoricalCrossentropy(from_logits=True)
    mse = keras.losses.MeanSquaredError()
    assert sol.classification_loss(scores, y) == pytest.approx(_numpy(cross_entropy(y, scores)), rel=1e-5)
    # Keras' MSE also averages over the four numbers; the L2 box loss sums them.
    assert sol.localization_loss(box_pred, box_true) == pytest.approx(4 * _numpy(mse(box_true, box_pred)),
                                                                      rel=1e-5)
    loss, _ = sol.detection_loss(scores, box_pred, y, box_true, 2.5)
    assert loss == pytest.approx(_numpy(cross_entropy(y, scores)) + 2.5 * 4 * _numpy(mse(box_true, box_pred)),
                                 rel=1e-5)


def test_solution_cross_entropy_is_stable_for_large_scores(sol):
    scores = np.array([[1000.0, 999.0, -1000.0], [-1000.0, 0.0, 1000.0]])
    y = np.eye(3)[[1, 0]]
    # log p = s - logsumexp(s): row 0 gives -1 - log(1 + e^-1) (e^-2000 vanishes), row 1 -2000.
    expected = (1 + np.log1p(np.exp(-1.0)) + 2000.0) / 2
    assert sol.classification_loss(scores, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("lam", [0.0, 0.7, 3.0])
def test_solution_box_gradient_equals_finite_differences(sol, lam):
    scores, box_pred, y, box_true = _problem(5, n=5)
    _, grad = sol.detection_loss(scores, box_pred, y, box_true, lam)
    numeric = np.zeros_like(box_pred)
    eps = 1e-6
    for index in np.ndindex(box_pred.shape):
        up, down = box_pred.copy(), box_pred.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (sol.detection_loss(scores, up, y, box_true, lam)[0]
                          - sol.detection_loss(scores, down, y, box_true, lam)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_normalized_centers_by_hand_and_solution_agrees(sol):
    # a 20 x 40 image (20 rows, 40 columns): the whole image, and a box of rows 5..15, cols 0..10
    boxes = np.array([[0, 0, 20, 40], [5, 0, 15, 10]], dtype=float)
    expected = [[0.5, 0.5, 1.0, 1.0], [0.125, 0.5, 0.25, 0.5]]
    np.testing.assert_allclose(normalized_centers(boxes, 20, 40), expected, rtol=1e-12)
    np.testing.assert_allclose(sol.normalized_centers(boxes, 20, 40), expected, rtol=1e-12)
    rng = np.random.default_rng(0)
    corners = np.sort(rng.uniform(0, 1, size=(7, 2, 2)), axis=1) * [30, 50]
    random_boxes = np.concatenate([corners[:, 0], corners[:, 1]], axis=1)
    np.testing.assert_allclose(sol.normalized_centers(random_boxes, 30, 50),
                               normalized_centers(random_boxes, 30, 50), rtol=1e-12)
    np.testing.assert_allclose(normalized_centers_to_corners(normalized_centers(random_boxes, 30, 50), 30, 50),
                               random_boxes, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="image_height and image_width must be positive"):
        normalized_centers(boxes, 0, 40)


# --- the library model and its loss ---------------------------------------------------------


def _images(seed, n=5, size=16):
    return np.random.default_rng(seed).uniform(size=(n, size, size, 3)).astype("float32")


def test_box_l2_loss_is_four_times_mse(sol):
    _, box_pred, _, box_true = _problem(7)
    ours = _numpy(BoxL2Loss()(box_true.astype("float32"), box_pred.astype("float32")))
    mse = _numpy(keras.losses.MeanSquaredError()(box_true, box_pred))
    assert ours == pytest.approx(4 * mse, rel=1e-5)
    assert ours == pytest.approx(sol.localization_loss(box_pred, box_true), rel=1e-5)
    assert BoxL2Loss.from_config(BoxL2Loss(name="box").get_config()).name == "box"


@pytest.mark.backend_neutral
def test_detector_equals_keras_layers_on_shared_weights():
    model = SingleObjectDetector(num_classes=3, filters=(4, 8), dense_units=16)
    out = model(_images(0))
    assert tuple(out["class_logits"].shape) == (5, 3) and tuple(out["box"].shape) == (5, 4)
    # conv 3*3*3*4+4, conv 3*3*4*8+8, dense (4*4*8)*16+16, heads 16*3+3 and 16*4+4
    assert model.count_params() == 112 + 296 + 2064 + 51 + 68
    inputs = keras.Input((16, 16, 3))
    h = inputs
    for f in (4, 8):
        h = keras.layers.MaxPooling2D(2)(keras.layers.Conv2D(f, 3, padding="same", activation="relu")(h))
    h = keras.layers.Dense(16, activation="relu")(keras.layers.Flatten()(h))
    reference = keras.Model(inputs, [keras.layers.Dense(3)(h), keras.layers.Dense(4)(h)])
    reference.set_weights(model.get_weights())
    logits, box = reference(_images(0))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out["class_logits"]),
                               keras.ops.convert_to_numpy(logits), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out["box"]), keras.ops.convert_to_numpy(box),
                               rtol=1e-5, atol=1e-6)


def test_default_loss_is_the_exercise_loss(sol):
    """compile() without a loss gives L_cls + lambda L_box, as the exercise computes it."""
    keras.utils.set_random_seed(0)
    model = SingleObjectDetector(num_classes=3, filters=(4,), dense_units=8, box_loss_weight=2.5)
    model.compile(optimizer="adam")
    images = _images(1, n=6)
    rng = np.random.default_rng(1)
    y = np.eye(3)[rng.integers(0, 3, size=6)].astype("float32")
    box_true = rng.uniform(size=(6, 4)).astype("float32")
    loss = model.evaluate(images, {"class_logits": y, "box": box_true}, batch_size=6, verbose=0, return_dict=True)
    out = model(images)
    scores = keras.ops.convert_to_numpy(out["class_logits"]).astype(float)
    box_pred = keras.ops.convert_to_numpy(out["box"]).astype(float)
    expected, _ = sol.detection_loss(scores, box_pred, y, box_true, 2.5)
    assert loss["loss"] == pytest.approx(expected, rel=1e-5)


def _fitted_model():
    keras.utils.set_random_seed(0)
    model = SingleObjectDetector(num_classes=2, filters=(4,), dense_units=8, box_loss_weight=3.0, name="det")
    model.compile(optimizer="adam")
    rng = np.random.default_rng(2)
    y = {"class_logits": np.eye(2)[rng.integers(0, 2, size=4)].astype("float32"),
         "box": rng.uniform(size=(4, 4)).astype("float32")}
    model.fit(_images(2, n=4, size=8), y, epochs=1, verbose=0)
    return model


@pytest.mark.backend_neutral
def test_detector_config_and_save_load_round_trip(tmp_path):
    model = _fitted_model()
    clone = SingleObjectDetector.from_config(model.get_config())
    assert clone.get_config() == model.get_config() and clone.box_loss_weight == 3.0
    model.save(tmp_path / "det.keras")
    loaded = keras.models.load_model(tmp_path / "det.keras")
    assert isinstance(loaded, SingleObjectDetector) and isinstance(loaded.loss["box"], BoxL2Loss)
    assert loaded.box_loss_weight == 3.0
    for key in ("class_logits", "box"):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(_images(3, size=8))[key]),
                                   keras.ops.convert_to_numpy(model(_images(3, size=8))[key]), rtol=1e-6)


def test_plain_keras_loads_the_detector_once_dlcourse_detection_is_imported(tmp_path):
    """A fresh process that imports keras, then dlcourse.detection, loads a saved detector with
    keras.models.load_model (dlcourse.load_model in a fresh process: tests/test_load_model.py)."""
    model = _fitted_model()
    path = tmp_path / "det.keras"
    model.save(path)
    np.save(tmp_path / "images.npy", _images(4, size=8))
    np.save(tmp_path / "box.npy", keras.ops.convert_to_numpy(model(_images(4, size=8))["box"]))
    code = textwrap.dedent(f"""
        import keras
        import numpy as np
        import dlcourse.detection
        images, box = np.load({str(tmp_path / "images.npy")!r}), np.load({str(tmp_path / "box.npy")!r})
        loaded = keras.models.load_model({str(path)!r})
        np.testing.assert_allclose(np.asarray(loaded(images)["box"]), box, rtol=1e-5, atol=1e-6)
        print("loaded", type(loaded).__name__, loaded.box_loss_weight, type(loaded.loss["box"]).__name__)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "loaded SingleObjectDetector 3.0 BoxL2Loss" in proc.stdout


def test_detector_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_classes must be a positive integer, got 0"):
        SingleObjectDetector(0)
    with pytest.raises(ValueError, match="filters"):
        SingleObjectDetector(2, filters=(4, 0))
    with pytest.raises(ValueError, match="box_loss_weight must be a number >= 0"):
        SingleObjectDetector(2, box_loss_weight=-1.0)
    with pytest.raises(ValueError, match="box_loss_weight must be a number >= 0"):
        SingleObjectDetector(2, box_loss_weight="big")


@pytest.mark.slow
def test_detector_trained_on_shapes_classifies_and_localises():
    """1000 training images of 16x16 with one shape each (sides 8-14 pixels), 15 epochs; on 100
    new images accuracy and mean IoU (about 0.90-0.95 and 0.67-0.71 over seeds 0-2) beat the
    majority class and the training set's mean box (about 0.4 and 0.5) by far."""
    keras.utils.set_random_seed(0)
    size, n_train = 16, 1000
    images, boxes, labels = make_shapes(n_train + 100, image_size=size, max_objects=1, min_size=8,
                                        max_size=14, noise=0.05, seed=0)
    labels = np.concatenate(labels)
    box_targets = np.concatenate([normalized_centers(b, size, size) for b in boxes]).astype("float32")
    one_hot = np.eye(len(SHAPE_CLASSES), dtype="float32")[labels]
    train, test = slice(0, n_train), slice(n_train, None)
    model = SingleObjectDetector(num_classes=len(SHAPE_CLASSES), filters=(16, 32), dense_units=64,
                                 box_loss_weight=5.0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    history = model.fit(images[train], {"class_logits": one_hot[train], "box": box_targets[train]},
                        epochs=15, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    out = model.predict(images[test], verbose=0)
    accuracy = np.mean(np.argmax(out["class_logits"], axis=1) == labels[test])
    truth = np.concatenate(boxes[test])
    iou = np.diag(pairwise_iou(normalized_centers_to_corners(out["box"], size, size), truth))
    mean_box = normalized_centers_to_corners(box_targets[train].mean(axis=0, keepdims=True), size, size)
    baseline_iou = pairwise_iou(mean_box, truth).mean()
    majority = np.mean(labels[test] == np.bincount(labels[train]).argmax())
    assert accuracy >= 0.8 and accuracy > majority + 0.3, (accuracy, majority)
    assert iou.mean() >= 0.6 and iou.mean() > baseline_iou + 0.1, (iou.mean(), baseline_iou)
