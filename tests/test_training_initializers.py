"""XavierUniform and HeNormal against Keras' GlorotUniform / HeNormal, by distribution; the notes'
symmetry breaking (§2.1) on a Keras model trained by keras.optimizers.SGD.

The random numbers differ (different generators), so the oracle comparison is statistical:
bounds, mean and variance on large samples, and a two-sample Kolmogorov-Smirnov test where the
two distributions are meant to be identical.
"""

import math

import keras
import numpy as np
import pytest
from keras.src.initializers.random_initializers import compute_fans as keras_compute_fans
from scipy import stats

from dlcourse.training import HeNormal, XavierUniform, compute_fans, identical_units

SHAPES = [(7,), (300, 200), (3, 3, 16, 32), (2, 5, 5, 3, 8)]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("shape", SHAPES)
def test_fans_match_keras(shape):
    assert compute_fans(shape) == keras_compute_fans(shape)


@pytest.mark.parametrize("shape", [(300, 200), (3, 3, 32, 64)])
def test_xavier_uniform_has_glorot_uniform_distribution(shape):
    ours = keras.ops.convert_to_numpy(XavierUniform(seed=1)(shape)).ravel()
    theirs = keras.ops.convert_to_numpy(keras.initializers.GlorotUniform(seed=2)(shape)).ravel()
    fan_in, fan_out = keras_compute_fans(shape)
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert np.abs(ours).max() <= limit and np.abs(theirs).max() <= limit
    assert np.abs(ours).max() > 0.99 * limit
    assert abs(ours.mean()) < 5 * limit / math.sqrt(3 * ours.size)
    assert ours.var() == pytest.approx(theirs.var(), rel=0.03)
    assert stats.ks_2samp(ours, theirs).pvalue > 1e-4


@pytest.mark.parametrize("shape", [(400, 150), (5, 5, 32, 64)])
def test_he_normal_moments_match_keras(shape):
    ours = keras.ops.convert_to_numpy(HeNormal(seed=3)(shape)).ravel()
    theirs = keras.ops.convert_to_numpy(keras.initializers.HeNormal(seed=4)(shape)).ravel()
    sigma = math.sqrt(2 / keras_compute_fans(shape)[0])
    assert abs(ours.mean()) < 5 * sigma / math.sqrt(ours.size)
    # Keras truncates its normal at two (widened) standard deviations but keeps Var = 2 / fan_in
    assert ours.var() == pytest.approx(theirs.var(), rel=0.03)
    assert ours.var() == pytest.approx(sigma**2, rel=0.03)
    # ours is the notes' untruncated normal; Keras' is not, so only ours has the normal's tails
    assert stats.kstest(ours, stats.norm(0, sigma).cdf).pvalue > 1e-4
    assert np.abs(ours).max() > np.abs(theirs).max()


@pytest.mark.backend_neutral
def test_seeds_behave_like_keras():
    assert np.array_equal(XavierUniform(seed=5)((4, 3)), XavierUniform(seed=5)((4, 3)))
    assert not np.array_equal(XavierUniform(seed=5)((4, 3)), XavierUniform(seed=6)((4, 3)))
    same_instance = HeNormal()
    assert np.array_equal(same_instance((4, 3)), same_instance((4, 3)))
    fresh = HeNormal(seed=keras.random.SeedGenerator(7))
    assert not np.array_equal(fresh((4, 3)), fresh((4, 3)))


@pytest.mark.parametrize("cls", [XavierUniform, HeNormal])
def test_config_round_trip(cls):
    initializer = cls(seed=9)
    restored = keras.initializers.deserialize(keras.initializers.serialize(initializer))
    assert type(restored) is cls and restored.get_config() == {"seed": 9}
    assert np.array_equal(initializer((6, 2)), restored((6, 2)))


@pytest.mark.parametrize("bad", ["1", 1.5, True])
def test_bad_seed_is_refused(bad):
    with pytest.raises(ValueError, match="seed must be an integer"):
        XavierUniform(seed=bad)


@pytest.mark.backend_neutral
def test_used_in_a_dense_layer():
    layer = keras.layers.Dense(8, kernel_initializer=HeNormal(seed=0))
    layer.build((None, 32))
    kernel = keras.ops.convert_to_numpy(layer.kernel)
    assert kernel.shape == (32, 8) and np.array_equal(kernel, HeNormal(seed=0)((32, 8)))


def _trained_dense_pair(kernel_initializer, seed=0):
    """A 3-5-2 network (sigmoid hidden layer) after 15 steps of Keras' SGD on the MSE."""
    keras.utils.set_random_seed(seed)
    hidden = keras.layers.Dense(5, activation="sigmoid", kernel_initializer=kernel_initializer)
    output = keras.layers.Dense(2, kernel_initializer=kernel_initializer)
    model = keras.Sequential([keras.Input((3,)), hidden, output])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")
    before = identical_units(hidden.kernel, hidden.bias, output.kernel)
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0).history["loss"]
    return before, identical_units(hidden.kernel, hidden.bias, output.kernel, tol=1e-6), hidden, history


@pytest.mark.backend_neutral
@pytest.mark.parametrize("initializer", [keras.initializers.Zeros(), keras.initializers.Constant(0.3)])
def test_a_constant_start_keeps_the_units_identical_under_keras_sgd(initializer):
    # the notes: the same initial value gives every neuron the same gradient, so they stay copies
    before, after, hidden, history = _trained_dense_pair(initializer)
    assert before and after
    assert history[-1] < history[0]  # the network did learn -- but as one neuron
    if isinstance(initializer, keras.initializers.Constant):
        assert not np.allclose(keras.ops.convert_to_numpy(hidden.kernel), 0.3)  # it moved, all alike


@pytest.mark.parametrize("initializer", [XavierUniform(seed=1), HeNormal(seed=2)])
def test_a_random_start_breaks_the_symmetry(initializer):
    before, after, _, _ = _trained_dense_pair(initializer)
    assert not before and not after


def test_identical_units_edges():
    w = np.zeros((3, 4))
    assert identical_units(w, np.zeros(4), np.zeros((4, 2)))
    assert identical_units(np.random.default_rng(0).normal(size=(3, 1)))  # a single unit
    b = np.zeros(4)
    b[2] = 1e-9
    assert identical_units(w, b, tol=1e-9) and not identical_units(w, b, tol=5e-10)
    w2 = np.zeros((4, 2))
    w2[3, 0] = 0.1
    assert identical_units(w, b) is True and not identical_units(w, None, w2)
    with pytest.raises(ValueError, match="next_kernel must have shape"):
        identical_units(w, None, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="tol must be a non-negative number"):
        identical_units(w, tol=-1.0)
