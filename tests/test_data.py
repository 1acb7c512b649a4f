"""dlcourse.data: embedded and generated data sets, and the offline-first MNIST loader.

Oracles: scikit-learn's own `load_digits`; scikit-learn classifiers (logistic regression, a
hard-margin linear SVM, k-nearest neighbours) for what is and is not linearly separable;
scikit-learn's `make_moons` for the moons' geometry; and a small mnist.npz written by the test.
"""

import subprocess
import sys

import numpy as np
import pytest
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from dlcourse.data import (
    DatasetNotFoundError,
    default_keras_path,
    load_digits,
    load_mnist,
    make_linearly_separable,
    make_regression,
    make_two_moons,
    make_xor,
)

# --------------------------------------------------------------------------------------------
# Digits
# --------------------------------------------------------------------------------------------


def test_load_digits_is_sklearns_digits_scaled_to_unit_range():
    x, y = load_digits()
    oracle = datasets.load_digits()
    assert x.shape == (1797, 8, 8, 1) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(x[..., 0] * 16, oracle.images)
    np.testing.assert_array_equal(y, oracle.target)
    assert y.dtype == np.int64


def test_load_digits_split_is_seeded_stratified_and_complete():
    (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.25, seed=1)
    x_all, y_all = load_digits()
    assert len(x_train) + len(x_test) == len(x_all)
    # Together the two parts hold every image exactly once (rows compared as bytes).
    rows = lambda x: sorted(image.tobytes() for image in x)  # noqa: E731
    assert rows(np.concatenate([x_train, x_test])) == rows(x_all)
    for label in range(10):
        share = np.mean(y_test == label) / np.mean(y_all == label)
        assert abs(share - 1.0) < 0.05  # each digit keeps its share in the test part
    (x_again, _), _ = load_digits(test_size=0.25, seed=1)
    (x_other, _), _ = load_digits(test_size=0.25, seed=2)
    np.testing.assert_array_equal(x_again, x_train)
    assert not np.array_equal(x_other, x_train)
    with pytest.raises(ValueError, match="test_size must be"):
        load_digits(test_size=360)


# --------------------------------------------------------------------------------------------
# Generated toy sets
# --------------------------------------------------------------------------------------------


def _train_accuracy(model, x, y):
    return model.fit(x, y).score(x, y)


def test_make_xor_is_the_truth_table_and_not_linearly_separable():
    x, y = make_xor(4, noise=0.0)
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    x, y = make_xor(400, noise=0.1, seed=3)
    assert x.shape == (400, 2) and x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(y, np.round(x[:, 0]).astype(int) ^ np.round(x[:, 1]).astype(int))
    assert _train_accuracy(LogisticRegression(), x, y) < 0.8
    # With the product feature x1 * x2 a linear model solves it: the problem needs a hidden layer.
    with_product = np.column_stack([x, (x[:, 0] - 0.5) * (x[:, 1] - 0.5)])
    assert _train_accuracy(LogisticRegression(C=100.0), with_product, y) > 0.95


@pytest.mark.parametrize("n_features, margin", [(2, 0.2), (5, 0.5), (2, 0.0)])
def test_make_linearly_separable_has_the_margin(n_features, margin):
    x, y = make_linearly_separable(200, n_features=n_features, margin=margin, seed=4)
    assert x.shape == (200, n_features) and set(np.unique(y)) == {0, 1}
    svm = SVC(kernel="linear", C=1e6).fit(x, y)  # hard-margin SVM
    assert svm.score(x, y) == 1.0
    gap = 2.0 / np.linalg.norm(svm.coef_)
    assert gap >= margin - 1e-3


def _on_moon(x, y):
    """Class 0 on the upper unit half circle, class 1 on the lower one centred at (1, 0.5)."""
    outer = np.abs(np.hypot(x[:, 0], x[:, 1]) - 1) < 1e-5
    inner = np.abs(np.hypot(x[:, 0] - 1, x[:, 1] - 0.5) - 1) < 1e-5
    return np.where(y == 0, outer & (x[:, 1] >= -1e-6), inner & (x[:, 1] <= 0.5 + 1e-6))


def test_make_two_moons_has_sklearns_geometry():
    x, y = make_two_moons(100, noise=0.0, seed=5)
    x_sk, y_sk = datasets.make_moons(100, noise=0.0, random_state=5)
    assert _on_moon(x_sk, y_sk).all()  # the predicate describes scikit-learn's moons
    assert _on_moon(x.astype(np.float64), y).all()
    assert np.bincount(y).tolist() == [50, 50]
    x, y = make_two_moons(400, noise=0.1, seed=6)
    assert x.shape == (400, 2) and x.dtype == np.float32
    assert _train_accuracy(LogisticRegression(), x, y) < 0.92
    assert _train_accuracy(KNeighborsClassifier(5), x, y) > 0.97


def test_make_regression_is_the_curve_plus_the_noise():
    x, y = make_regression(50, noise=0.0)
    assert x.shape == y.shape == (50, 1) and x.dtype == y.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_allclose(y, np.sin(2 * np.pi * x), atol=1e-6)
    x, y = make_regression(20_000, noise=0.3, function="linear", seed=7)
    residual = y - (2 * x - 1)
    assert abs(residual.mean()) < 0.01 and abs(residual.std() - 0.3) < 0.01
    x, y = make_regression(10, noise=0.0, function=np.square)
    np.testing.assert_allclose(y, x**2, rtol=1e-6)
    with pytest.raises(ValueError, match="function must be"):
        make_regression(10, function="cubic")


@pytest.mark.parametrize("make", [make_xor, make_two_moons, make_linearly_separable, make_regression])
def test_generated_sets_are_seeded_and_check_their_arguments(make):
    first, again, other = make(30, seed=0), make(30, seed=0), make(30, seed=1)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])
    with pytest.raises(ValueError, match="n_samples must be"):
        make(0)
    if make is not make_linearly_separable:
        with pytest.raises(ValueError, match="noise must be"):
            make(10, noise=-0.1)


def test_importing_dlcourse_data_stays_light():
    code = ("import sys, dlcourse.data; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# MNIST, offline first
# --------------------------------------------------------------------------------------------


def _small_mnist():
    rng = np.random.default_rng(8)
    return {
        "x_train": rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, size=12, dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, size=5, dtype=np.uint8),
    }


@pytest.fixture
def no_network(monkeypatch):
    """Make every Keras download fail loudly, to prove the loader does not try one."""
    import keras

    def refuse(*args, **kwargs):
        raise AssertionError("load_mnist tried to download")

    monkeypatch.setattr(keras.utils, "get_file", refuse)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", refuse)


def test_load_mnist_reads_the_file(tmp_path, no_network):
    arrays = _small_mnist()
    np.savez(tmp_path / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = load_mnist(tmp_path / "mnist.npz")
    for key, value in zip(("x_train", "y_train", "x_test", "y_test"), (x_train, y_train, x_test, y_test)):
        np.testing.assert_array_equal(value, arrays[key])
        assert value.dtype == np.uint8
    (x_train, y_train), (x_test, _) = load_mnist(str(tmp_path / "mnist.npz"), normalize=True)
    assert x_train.shape == (12, 28, 28, 1) and x_train.dtype == np.float32
    np.testing.assert_allclose(x_train[..., 0] * 255, arrays["x_train"], rtol=1e-6)
    assert y_train.dtype == np.int64


def test_load_mnist_reads_the_keras_cache_by_default(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert default_keras_path("mnist.npz") == tmp_path / "datasets" / "mnist.npz"
    with pytest.raises(DatasetNotFoundError) as missing:
        load_mnist()
    message = str(missing.value)
    assert str(tmp_path / "datasets" / "mnist.npz") in message and "download=True" in message
    assert isinstance(missing.value, RuntimeError)
    (tmp_path / "datasets").mkdir()
    np.savez(tmp_path / "datasets" / "mnist.npz", **_small_mnist())
    (_, y_train), _ = load_mnist()
    np.testing.assert_array_equal(y_train, _small_mnist()["y_train"])


def test_load_mnist_missing_file_names_path_and_fix(tmp_path, no_network):
    path = tmp_path / "nowhere" / "mnist.npz"
    with pytest.raises(DatasetNotFoundError, match="download=True") as missing:
        load_mnist(path)
    assert str(path) in str(missing.value)


def test_load_mnist_rejects_a_file_without_the_arrays(tmp_path):
    np.savez(tmp_path / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="y_train, x_test, y_test"):
        load_mnist(tmp_path / "mnist.npz")


def test_load_mnist_downloads_only_when_asked(tmp_path, monkeypatch):
    import keras

    calls = []

    def fake_get_file(fname, origin, file_hash, cache_dir, cache_subdir):
        calls.append((fname, origin, cache_dir, cache_subdir))
        target = f"{cache_dir}/{fname}"
        np.savez(target, **_small_mnist())
        return target

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    path = tmp_path / "mine.npz"
    (x_train, _), _ = load_mnist(path, download=True)
    assert calls == [("mine.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
                      str(tmp_path), "")]
    np.testing.assert_array_equal(x_train, _small_mnist()["x_train"])

    # The default location is Keras' own: load_mnist hands over to keras.datasets.mnist.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    arrays = _small_mnist()
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (
        (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])))
    (_, _), (x_test, _) = load_mnist(download=True, normalize=True)
    assert x_test.shape == (5, 28, 28, 1)

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(DatasetNotFoundError, match="could not download MNIST"):
        load_mnist(tmp_path / "other.npz", download=True)
