"""XavierUniform and HeNormal against Keras' GlorotUniform / HeNormal, by distribution.

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

from dlcourse.training import HeNormal, XavierUniform, compute_fans

SHAPES = [(7,), (300, 200), (3, 3, 16, 32), (2, 5, 5, 3, 8)]


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
    # ours is the lecture's untruncated normal; Keras' is not, so only ours has the normal's tails
    assert stats.kstest(ours, stats.norm(0, sigma).cdf).pvalue > 1e-4
    assert np.abs(ours).max() > np.abs(theirs).max()


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


def test_used_in_a_dense_layer():
    layer = keras.layers.Dense(8, kernel_initializer=HeNormal(seed=0))
    layer.build((None, 32))
    kernel = keras.ops.convert_to_numpy(layer.kernel)
    assert kernel.shape == (32, 8) and np.array_equal(kernel, HeNormal(seed=0)((32, 8)))
