"""dlcourse.generative's VAE: the Gaussian KL against Monte Carlo and scipy, the reparameterised
gradient against finite differences with epsilon fixed, the Bernoulli likelihood against
scipy.stats, the ELBO below an importance-sampled log p(x), and a VAE trained on the digits."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import integrate, special, stats

from dlcourse.data import load_digits
from dlcourse.generative import (
    VAE,
    Sampling,
    bernoulli_log_likelihood,
    gaussian_kl,
    plot_image_grid,
    plot_latent_space,
    plot_latent_traversal,
    reparameterize,
)

# The trained VAE's mean ELBO on the held-out 20% of the digits, in nats per 8 x 8 image of grey
# levels (seeded; measured -25.0 to -25.2, KL about 2 nats). A model with no latent information,
# the mean training image as Bernoulli probabilities, gets -27.1.
HELD_OUT_ELBO = -26.0


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.backend_neutral
def test_gaussian_kl_matches_numerical_integration_and_monte_carlo():
    rng = np.random.default_rng(0)
    mu, log_var = rng.normal(size=(3, 4)), rng.uniform(-2.0, 1.5, size=(3, 4))
    closed = _np(gaussian_kl(mu, log_var))
    sigma = np.exp(0.5 * log_var)
    # scipy: integrate q log(q / p) per dimension (the KL of a diagonal Gaussian is a sum over j).
    by_quad = np.zeros(3)
    for b in range(3):
        for j in range(4):
            q, p = stats.norm(mu[b, j], sigma[b, j]), stats.norm(0.0, 1.0)
            by_quad[b] += integrate.quad(lambda z: q.pdf(z) * (q.logpdf(z) - p.logpdf(z)), -30, 30, limit=200)[0]
    np.testing.assert_allclose(closed, by_quad, rtol=1e-6, atol=1e-8)
    # Monte Carlo: the mean of log q(z) - log p(z) over z ~ q, within 4 standard errors.
    z = mu + sigma * rng.standard_normal((100_000, 3, 4))
    log_ratio = (stats.norm.logpdf(z, mu, sigma) - stats.norm.logpdf(z)).sum(axis=-1)
    error = log_ratio.std(axis=0) / np.sqrt(len(z))
    assert np.all(np.abs(log_ratio.mean(axis=0) - closed) < 4 * error)


def test_reparameterised_gradient_matches_finite_differences_with_epsilon_fixed():
    rng = np.random.default_rng(1)
    mu, log_var, eps, w = (rng.normal(size=(2, 3)) for _ in range(4))

    def loss(m, lv):
        z = reparameterize(m, lv, eps)
        return keras.ops.sum(keras.ops.sin(z) * w)

    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        value = loss(mu_t, lv_t)
    grad_mu, grad_lv = (g.numpy() for g in tape.gradient(value, [mu_t, lv_t]))
    h = 1e-6
    for analytic, which in ((grad_mu, 0), (grad_lv, 1)):
        numeric = np.zeros_like(mu)
        for index in np.ndindex(mu.shape):
            step = np.zeros_like(mu)
            step[index] = h
            args_up, args_down = [mu, log_var], [mu, log_var]
            args_up[which], args_down[which] = args_up[which] + step, args_down[which] - step
            numeric[index] = (float(loss(*args_up)) - float(loss(*args_down))) / (2 * h)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)
    # and the closed forms the exercise states: dz/dmu = 1, dz/dlog_var = sigma eps / 2
    upstream = np.cos(mu + np.exp(0.5 * log_var) * eps) * w
    np.testing.assert_allclose(grad_lv, upstream * np.exp(0.5 * log_var) * eps / 2, rtol=1e-10)


def test_bernoulli_log_likelihood_matches_scipy_and_stays_finite():
    rng = np.random.default_rng(2)
    x, logits = rng.integers(0, 2, size=(4, 2, 3, 1)).astype(float), 3 * rng.normal(size=(4, 2, 3, 1))
    expected = stats.bernoulli.logpmf(x, special.expit(logits)).reshape(4, -1).sum(axis=1)
    np.testing.assert_allclose(_np(bernoulli_log_likelihood(x, logits)), expected, rtol=1e-10)
    huge = _np(bernoulli_log_likelihood(np.array([[1.0, 0.0]]), np.array([[-1000.0, 1000.0]])))
    np.testing.assert_allclose(huge, [-2000.0])


@pytest.mark.backend_neutral
def test_sampling_draws_from_q_in_training_and_returns_mu_otherwise():
    layer = Sampling(seed=3)
    mu, log_var = np.full((20_000, 2), [1.0, -2.0], "float32"), np.full((20_000, 2), [0.0, np.log(0.25)], "float32")
    z = _np(layer(mu, log_var, training=True))
    np.testing.assert_allclose(z.mean(0), [1.0, -2.0], atol=0.03)
    np.testing.assert_allclose(z.std(0), [1.0, 0.5], atol=0.03)
    np.testing.assert_array_equal(_np(layer(mu, log_var)), mu)


@pytest.fixture(scope="module")
def trained():
    (x, y), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    keras.utils.set_random_seed(0)
    vae = VAE((8, 8, 1), latent_dim=2, hidden_units=(256,), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(3e-3))
    history = vae.fit(x, epochs=15, batch_size=32, verbose=0)
    return vae, history, (x_test, y_test)


def test_train_step_reports_the_elbo_and_its_terms(trained):
    _, history, _ = trained
    logs = {k: np.array(v) for k, v in history.history.items()}
    assert set(logs) == {"loss", "reconstruction", "kl", "elbo"}
    np.testing.assert_allclose(logs["elbo"], logs["reconstruction"] - logs["kl"], rtol=1e-4)
    np.testing.assert_allclose(logs["loss"], -logs["elbo"], rtol=1e-6)
    assert logs["elbo"][-1] > logs["elbo"][0] + 5 and np.all(logs["kl"] > 0)


def test_trained_vae_reaches_its_stated_elbo_on_held_out_digits(trained):
    vae, _, (x_test, _) = trained
    keras.utils.set_random_seed(1)
    elbo = float(np.mean(_np(vae.elbo_terms(x_test)[0])))
    assert elbo > HELD_OUT_ELBO, elbo
    # A baseline with no latent information, the mean training image, does worse.
    (x, _), _ = load_digits(test_size=0.2, seed=0)
    mean = np.clip(x.mean(0, keepdims=True), 1e-4, 1 - 1e-4)
    baseline = float(np.mean(_np(bernoulli_log_likelihood(x_test, np.broadcast_to(special.logit(mean), x_test.shape)))))
    assert elbo > baseline + 1.5, (elbo, baseline)


def test_elbo_is_below_an_importance_sampled_log_likelihood(trained):
    """log p(x) ~ log mean_k p(x|z_k) p(z_k) / q(z_k|x), z_k ~ q (K = 200), is above the ELBO."""
    vae, _, (x_test, _) = trained
    x = x_test[:40]
    mu, log_var = (_np(t).astype(np.float64) for t in vae.encode(x))
    sigma, k = np.exp(0.5 * log_var), 200
    z = mu + sigma * np.random.default_rng(4).standard_normal((k,) + mu.shape)
    logits = _np(vae.decode_logits(z.reshape(-1, 2).astype("float32"))).reshape((k, len(x), -1)).astype(np.float64)
    log_px_z = (x.reshape(1, len(x), -1) * logits - np.logaddexp(0, logits)).sum(-1)
    log_w = log_px_z + stats.norm.logpdf(z).sum(-1) - stats.norm.logpdf(z, mu, sigma).sum(-1)
    log_px = special.logsumexp(log_w, axis=0) - np.log(k)
    elbo = log_w.mean(axis=0)  # the ELBO itself, estimated with the same K samples
    assert np.all(log_px >= elbo - 1e-9) and np.mean(log_px - elbo) > 0.01
    # The model's own one-sample ELBO, averaged over draws, agrees with this scipy estimate.
    keras.utils.set_random_seed(6)
    model_elbo = np.mean([_np(vae.elbo_terms(x)[0]) for _ in range(50)], axis=0)
    np.testing.assert_allclose(model_elbo.mean(), elbo.mean(), atol=0.2)


def test_save_and_load_round_trip(trained, tmp_path):
    vae, _, (x_test, _) = trained
    vae.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    np.testing.assert_allclose(_np(loaded(x_test[:5])), _np(vae(x_test[:5])), rtol=1e-5, atol=1e-6)
    assert loaded.get_config()["latent_dim"] == 2 and isinstance(loaded.sampling, Sampling)


def test_plots_of_the_trained_vae(trained, tmp_path):
    vae, _, (x_test, y_test) = trained
    mu, _ = vae.encode(x_test)
    figures = {
        "vae_latent_space": plot_latent_space(_np(mu), y_test, title="VAE: means of q(z|x), held-out digits"),
        "vae_samples": plot_image_grid(_np(vae.sample(32, seed=5)), ncols=8, title="VAE samples, z ~ N(0, I)"),
        "vae_traversal": plot_latent_traversal(*[_np(t) for t in vae.latent_traversal(9, 2.0)]),
    }
    for name, figure in figures.items():
        figure.savefig(tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 5000


def test_bad_arguments_are_one_clear_sentence():
    with pytest.raises(ValueError, match="architecture must be one of"):
        VAE((8, 8, 1), architecture="mlp")
    with pytest.raises(ValueError, match="divisible by 4"):
        VAE((6, 6, 1), architecture="conv")
