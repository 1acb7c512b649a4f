"""dlcourse.generative's autoencoders: dense and conv train on the digits to a lower
reconstruction loss, encode to 2-D, plot the latent space, and save and load."""

import keras
import numpy as np
import pytest

from dlcourse.data import load_digits
from dlcourse.generative import Autoencoder, plot_latent_space


@pytest.mark.parametrize("architecture", ["dense", "conv"])
def test_autoencoder_learns_to_reconstruct_digits(architecture, tmp_path):
    (x, _), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    keras.utils.set_random_seed(0)
    model = Autoencoder((8, 8, 1), latent_dim=2, architecture=architecture, hidden_units=(64,))
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    before = model.evaluate(x_test, x_test, verbose=0)
    model.fit(x, x, epochs=5, batch_size=32, verbose=0)
    after = model.evaluate(x_test, x_test, verbose=0)
    # binary cross-entropy per pixel; the mean image alone gives about 0.42 on these grey levels
    assert after < before - 0.1 and after < 0.42, (before, after)
    z = keras.ops.convert_to_numpy(model.encode(x_test))
    assert z.shape == (len(x_test), 2)
    plot_latent_space(z, y_test, title=f"{architecture} autoencoder").savefig(tmp_path / "latent.png")
    model.save(tmp_path / "ae.keras")
    loaded = keras.models.load_model(tmp_path / "ae.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x_test[:4])),
                               keras.ops.convert_to_numpy(model(x_test[:4])), rtol=1e-5, atol=1e-6)


def test_bad_arguments_are_one_clear_sentence():
    with pytest.raises(ValueError, match="architecture must be one of"):
        Autoencoder(architecture="rnn")
    with pytest.raises(ValueError, match="image_shape must be"):
        Autoencoder(image_shape=(8, 8))
    with pytest.raises(ValueError, match="latent_dim"):
        Autoencoder(latent_dim=0)
