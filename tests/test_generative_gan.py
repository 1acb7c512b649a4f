"""dlcourse.generative's GAN: the losses against their formulas in probabilities and against
autodiff, the optimal discriminator against a discriminator trained on known 1-D densities and
scipy's Jensen-Shannon distance, and a GAN trained on a ring of 8 Gaussians that covers the modes."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

from dlcourse.data import gaussian_ring_centers, load_digits, make_gaussian_ring
from dlcourse.generative import (
    GAN,
    dcgan_discriminator,
    dcgan_generator,
    discriminator_loss,
    generator_loss,
    mlp_discriminator,
    mlp_generator,
    mmd2,
    mode_coverage,
    optimal_discriminator,
    plot_samples_2d,
    value_at_optimum,
    value_function,
)

RING_STD = 0.05
# Seeded: the trained generator covers all 8 modes (at least 1% of 2000 samples within 5
# standard deviations of each centre), with about 45-60% of its samples on a mode.
MIN_MODES = 7


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_losses_match_their_formulas_in_probabilities():
    rng = np.random.default_rng(0)
    a_real, a_fake = 2 * rng.normal(size=7), 2 * rng.normal(size=5)
    d_real, d_fake = special.expit(a_real), special.expit(a_fake)
    v = np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))
    np.testing.assert_allclose(float(value_function(a_real, a_fake)), v, rtol=1e-10)
    np.testing.assert_allclose(float(discriminator_loss(a_real, a_fake)), -v, rtol=1e-10)
    np.testing.assert_allclose(float(generator_loss(a_fake, "saturating")), np.mean(np.log(1 - d_fake)), rtol=1e-10)
    np.testing.assert_allclose(float(generator_loss(a_fake)), -np.mean(np.log(d_fake)), rtol=1e-10)
    huge = np.array([1000.0, -1000.0])
    assert np.isfinite(float(discriminator_loss(huge, huge))) and np.isfinite(float(generator_loss(huge)))
    with pytest.raises(ValueError, match="generator loss must be one of"):
        generator_loss(a_fake, "minimax")


def test_saturating_gradient_vanishes_when_the_discriminator_wins():
    a = tf.Variable([-10.0, -6.0, 0.0, 3.0], dtype="float64")
    grads = {}
    for kind in ("saturating", "non_saturating"):
        with tf.GradientTape() as tape:
            loss = generator_loss(a, kind)
        grads[kind] = tape.gradient(loss, a).numpy()
    s = special.expit(a.numpy())
    np.testing.assert_allclose(grads["saturating"], -s / 4, rtol=1e-10)
    np.testing.assert_allclose(grads["non_saturating"], -(1 - s) / 4, rtol=1e-10)
    # D(G(z)) near 0: the notes' loss gives G (almost) nothing, the non-saturating one -1/M'.
    assert abs(grads["saturating"][0]) < 2e-5 and grads["non_saturating"][0] < -0.249


def test_a_trained_discriminator_approaches_the_optimal_one_on_known_densities():
    """Real x ~ N(0, 1), generated x ~ N(1, 1): D* = p_data / (p_data + p_g) is a logistic
    function of x (log D*/(1 - D*) = 1/2 - x), which a logistic discriminator can represent."""
    rng = np.random.default_rng(1)
    real, fake = rng.normal(0.0, 1.0, (4000, 1)), rng.normal(1.0, 1.0, (4000, 1))
    keras.utils.set_random_seed(1)
    d = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam(0.1)
    for _ in range(150):
        with tf.GradientTape() as tape:
            loss = discriminator_loss(d(real.astype("float32")), d(fake.astype("float32")))
        optimizer.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))
    grid = np.linspace(-2.5, 3.5, 61)
    d_star = optimal_discriminator(stats.norm.pdf(grid, 0, 1), stats.norm.pdf(grid, 1, 1))
    learned = special.expit(_np(d(grid[:, None].astype("float32")))[:, 0])
    np.testing.assert_allclose(learned, d_star, atol=0.04)


def test_value_at_the_optimum_is_minus_log_4_plus_twice_the_jensen_shannon_divergence():
    dx = 0.01
    grid = np.arange(-8.0, 9.0, dx)
    for mean, std in ((0.0, 1.0), (1.0, 1.0), (2.5, 0.5)):
        p_data, p_g = stats.norm.pdf(grid, 0, 1), stats.norm.pdf(grid, mean, std)
        jsd = jensenshannon(p_data * dx, p_g * dx) ** 2  # scipy returns the distance, natural log
        np.testing.assert_allclose(value_at_optimum(p_data, p_g, dx), -np.log(4) + 2 * jsd, atol=1e-6)
    # disjoint supports: D* is 1 or 0, V(D*, G) = 0 = -log 4 + 2 log 2
    p, q = (grid < 0).astype(float) / 8, (grid > 1).astype(float) / 8
    assert abs(value_at_optimum(p, q, dx)) < 1e-12


@pytest.fixture(scope="module")
def ring_gan():
    x, _ = make_gaussian_ring(4096, std=RING_STD, seed=0)
    keras.utils.set_random_seed(0)
    gan = GAN(mlp_generator(2, 2, (64, 64)), mlp_discriminator(2, (64, 64)), latent_dim=2, seed=0)
    gan.compile(discriminator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
                generator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5))
    history = gan.fit(x, epochs=30, batch_size=256, verbose=0)
    return gan, history, x


def test_gan_on_the_ring_covers_the_modes(ring_gan):
    gan, history, x = ring_gan
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    samples = _np(gan.sample(2000, seed=1))
    covered, on_mode, counts = mode_coverage(samples, gaussian_ring_centers(), 5 * RING_STD, min_count=20)
    assert covered >= MIN_MODES, counts
    assert on_mode > 0.3, on_mode
    # and it is closer to the data in MMD than an untrained generator
    untrained = GAN(mlp_generator(2, 2, (64, 64)), mlp_discriminator(2, (64, 64)), latent_dim=2, seed=0)
    assert mmd2(x[:500], samples[:500], 0.5) < 0.5 * mmd2(x[:500], _np(untrained.sample(500, seed=1)), 0.5)


def test_gan_save_and_load_round_trip(ring_gan, tmp_path):
    gan, _, _ = ring_gan
    gan.save(tmp_path / "gan.keras")
    loaded = keras.models.load_model(tmp_path / "gan.keras")
    z = np.random.default_rng(2).normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(_np(loaded(z)), _np(gan(z)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(loaded.discriminator(z)), _np(gan.discriminator(z)), rtol=1e-5, atol=1e-6)
    assert loaded.generator_loss == "non_saturating"


def test_plot_of_the_ring(ring_gan, tmp_path):
    gan, _, x = ring_gan
    figure = plot_samples_2d(x[:1000], _np(gan.sample(1000, seed=3)), gaussian_ring_centers(),
                             title="GAN on a ring of 8 Gaussians")
    figure.savefig(tmp_path / "gan_ring.png")
    assert (tmp_path / "gan_ring.png").stat().st_size > 5000


def test_dcgan_on_digits_builds_and_takes_a_step():
    """A small DCGAN on the 8 x 8 digits: a build-and-one-step test only (training it to good
    samples takes minutes, beyond CI's budget)."""
    x, _ = load_digits()
    keras.utils.set_random_seed(0)
    gan = GAN(dcgan_generator(16), dcgan_discriminator(), latent_dim=16, generator_loss="saturating", seed=0)
    gan.compile(discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), run_eagerly=True)  # one step: no tracing
    before = [w.copy() for w in gan.generator.get_weights()]
    logs = gan.train_on_batch(x[:64], return_dict=True)
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert any(not np.allclose(a, b) for a, b in zip(before, gan.generator.get_weights()))
    images = _np(gan.sample(4, seed=1))
    assert images.shape == (4, 8, 8, 1) and images.min() >= 0 and images.max() <= 1


def test_bad_generator_loss_is_one_clear_sentence():
    with pytest.raises(ValueError, match="generator_loss must be one of"):
        GAN(mlp_generator(2, 2), mlp_discriminator(2), latent_dim=2, generator_loss="wasserstein")
