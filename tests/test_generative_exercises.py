"""Chapter 6 exercises: each solution agrees with its dlcourse.generative twin on random inputs
(and so, through the library's tests, with scipy, finite differences and autodiff), and with an
oracle of its own where one is at hand. Grading solutions/ full and exercises/ zero, the stated
points and FORBIDDEN are checked course-wide (test_release, test_grade_cli)."""

import pathlib

import keras
import numpy as np
import tensorflow as tf
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

from dlcourse.generative import (
    AffineCoupling,
    bernoulli_log_likelihood,
    discriminator_loss,
    gaussian_kernel,
    gaussian_kl,
    generator_loss,
    mmd2,
    optimal_discriminator,
    reparameterize,
    standard_normal_log_prob,
    value_at_optimum,
    value_function,
)
from dlcourse.grading.probe import load_module

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTER = "ch06_generative"


def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch06_{name}_solution")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_chapter_has_at_least_eight_exercises():
    assert len(list((ROOT / "solutions" / CHAPTER).glob("*.py"))) >= 8


def test_reparameterization_agrees_with_the_library_and_autodiff():
    sol = _solution("reparameterization")
    rng = np.random.default_rng(0)
    mu, log_var, grad_z = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    z, eps = sol.reparameterize(mu, log_var, np.random.default_rng(1))
    np.testing.assert_array_equal(eps, np.random.default_rng(1).standard_normal((4, 3)))
    np.testing.assert_allclose(z, _np(reparameterize(mu, log_var, eps)), rtol=1e-12)
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(reparameterize(mu_t, lv_t, eps) * grad_z)
    expected = [g.numpy() for g in tape.gradient(loss, [mu_t, lv_t])]
    for got, want in zip(sol.reparameterized_gradients(mu, log_var, eps, grad_z), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_gaussian_kl_agrees_with_the_library_and_monte_carlo():
    sol = _solution("gaussian_kl")
    rng = np.random.default_rng(2)
    mu_q, mu_p, lv_q, lv_p = (rng.normal(size=(3, 2)) for _ in range(4))
    np.testing.assert_allclose(sol.gaussian_kl(mu_q, lv_q), _np(gaussian_kl(mu_q, lv_q)), rtol=1e-12)
    np.testing.assert_allclose(sol.gaussian_kl_between(mu_q, lv_q, np.zeros((3, 2)), np.zeros((3, 2))),
                               sol.gaussian_kl(mu_q, lv_q), rtol=1e-12)
    sq, sp = np.exp(0.5 * lv_q), np.exp(0.5 * lv_p)
    z = mu_q + sq * rng.standard_normal((200_000, 3, 2))
    mc = (stats.norm.logpdf(z, mu_q, sq) - stats.norm.logpdf(z, mu_p, sp)).sum(-1)
    np.testing.assert_allclose(sol.gaussian_kl_between(mu_q, lv_q, mu_p, lv_p), mc.mean(0),
                               atol=4 * mc.std(0).max() / np.sqrt(len(z)))


def test_elbo_agrees_with_the_library():
    sol = _solution("elbo")
    rng = np.random.default_rng(3)
    x, logits, mu, log_var = rng.uniform(size=(5, 6)), 4 * rng.normal(size=(5, 6)), rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    total, reconstruction, kl = sol.elbo(x, logits, mu, log_var)
    np.testing.assert_allclose(reconstruction, _np(bernoulli_log_likelihood(x, logits)), rtol=1e-12)
    np.testing.assert_allclose(kl, _np(gaussian_kl(mu, log_var)), rtol=1e-12)
    np.testing.assert_allclose(total, reconstruction - kl, rtol=1e-12)
    binary = (x > 0.5).astype(float)
    np.testing.assert_allclose(sol.bernoulli_log_likelihood(binary, logits),
                               stats.bernoulli.logpmf(binary, special.expit(logits)).sum(1), rtol=1e-10)
    assert sol.vae_loss(x, logits, mu, log_var) == -np.mean(total)


def test_gan_losses_agree_with_the_library_and_autodiff():
    sol = _solution("gan_losses")
    rng = np.random.default_rng(4)
    a_real, a_fake = 3 * rng.normal(size=6), 3 * rng.normal(size=4)
    np.testing.assert_allclose(sol.value_function(special.expit(a_real), special.expit(a_fake)),
                               float(value_function(a_real, a_fake)), rtol=1e-10)
    np.testing.assert_allclose(sol.discriminator_loss(a_real, a_fake), float(discriminator_loss(a_real, a_fake)),
                               rtol=1e-12)
    for saturating, kind in ((True, "saturating"), (False, "non_saturating")):
        np.testing.assert_allclose(sol.generator_loss(a_fake, saturating), float(generator_loss(a_fake, kind)),
                                   rtol=1e-12)
        a = tf.Variable(a_fake)
        with tf.GradientTape() as tape:
            loss = generator_loss(a, kind)
        np.testing.assert_allclose(sol.generator_loss_gradient(a_fake, saturating), tape.gradient(loss, a).numpy(),
                                   rtol=1e-12)


def test_optimal_discriminator_agrees_with_the_library_and_scipy():
    sol = _solution("optimal_discriminator")
    grid, dx = np.arange(-6.0, 7.0, 0.05), 0.05
    p_data, p_g = stats.norm.pdf(grid, 0, 1), stats.norm.pdf(grid, 1.5, 0.8)
    np.testing.assert_allclose(sol.optimal_discriminator(p_data, p_g), optimal_discriminator(p_data, p_g), rtol=1e-12)
    np.testing.assert_allclose(sol.value_at_optimum(p_data, p_g, dx), value_at_optimum(p_data, p_g, dx), rtol=1e-10)
    np.testing.assert_allclose(sol.jensen_shannon_divergence(p_data, p_g, dx),
                               jensenshannon(p_data * dx, p_g * dx) ** 2, rtol=1e-3)


def test_affine_coupling_agrees_with_the_library_layer():
    """The library's AffineCoupling with no hidden layers is the exercise's layer: one Dense of
    b * x to [s | t], s = tanh(first D)."""
    sol = _solution("affine_coupling")
    rng = np.random.default_rng(5)
    d, mask = 4, np.array([1.0, 0.0, 0.0, 1.0])
    w_s, w_t, c_s, c_t = rng.normal(size=(d, d)), rng.normal(size=(d, d)), rng.normal(size=d), rng.normal(size=d)
    layer = AffineCoupling(mask.tolist(), hidden_units=())
    x = rng.normal(size=(5, d))
    layer(x.astype("float32"))
    layer.set_weights([np.concatenate([w_s, w_t], 1).astype("float32"), np.concatenate([c_s, c_t]).astype("float32")])
    z, log_det = sol.coupling_forward(x, mask, w_s, c_s, w_t, c_t)
    z_lib, log_det_lib = layer(x.astype("float32"))
    np.testing.assert_allclose(z, _np(z_lib), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(log_det, _np(log_det_lib), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(sol.coupling_inverse(z, mask, w_s, c_s, w_t, c_t), x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(layer.inverse(z.astype("float32"))), x, rtol=1e-4, atol=1e-5)


def test_flow_log_likelihood_agrees_with_scipy_gaussians():
    """An affine flow z = x A + c with z ~ N(0, I) makes x Gaussian with mean -c A^-1 and
    covariance A^-T A^-1."""
    sol = _solution("flow_log_likelihood")
    rng = np.random.default_rng(6)
    weights, biases = np.eye(3) + 0.5 * rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3))
    a = weights[0] @ weights[1]
    c = biases[0] @ weights[1] + biases[1]
    inverse = np.linalg.inv(a)
    gaussian = stats.multivariate_normal(-c @ inverse, inverse.T @ inverse)
    x = rng.normal(size=(6, 3))
    np.testing.assert_allclose(sol.flow_log_likelihood(x, weights, biases), gaussian.logpdf(x), rtol=1e-10)
    np.testing.assert_allclose(sol.standard_normal_log_prob(x), _np(standard_normal_log_prob(x)), rtol=1e-12)
    samples = sol.flow_sample(weights, biases, 50_000, np.random.default_rng(7))
    np.testing.assert_allclose(samples.mean(0), gaussian.mean, atol=0.05)
    np.testing.assert_allclose(np.cov(samples.T), gaussian.cov, atol=0.1)


def test_mmd_agrees_with_the_library():
    sol = _solution("mmd")
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(12, 2)), rng.normal(0.3, 1.0, size=(9, 2))
    np.testing.assert_allclose(sol.gaussian_kernel(x, y, 0.7), gaussian_kernel(x, y, 0.7), rtol=1e-10)
    for unbiased in (True, False):
        np.testing.assert_allclose(sol.mmd2(x, y, 0.7, unbiased), mmd2(x, y, 0.7, unbiased), rtol=1e-10)
