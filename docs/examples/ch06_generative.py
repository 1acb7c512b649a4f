# %% [markdown]
# # Chapter 6: a VAE's samples and a flow's density
#
# A VAE on the 8x8 digits, trained on -ELBO, and images decoded from z ~ N(0, I); then a RealNVP
# flow fitted to the two moons by exact maximum likelihood, and its density
# p(x) = N(f(x); 0, I) |det df/dx|. Lecture: §6.1 Variational Autoencoders(VAE);
# §6.3 Flow-based Deep Generative Models.

# %% tags=["remove_output"]
# %matplotlib inline
import os

import keras
import numpy as np
from IPython.display import display

from dlcourse.data import load_digits, make_two_moons
from dlcourse.generative import VAE, RealNVP, density_on_grid, plot_density, plot_image_grid

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
VAE_EPOCHS, FLOW_EPOCHS = (3, 10) if QUICK else (15, 60)

# %% [markdown]
# ## VAE samples

# %%
keras.utils.set_random_seed(0)
x, _ = load_digits()
vae = VAE((8, 8, 1), latent_dim=2, hidden_units=(128,), seed=0)
vae.compile(optimizer=keras.optimizers.Adam(3e-3))
history = vae.fit(x, epochs=VAE_EPOCHS, batch_size=64, verbose=0).history
print(f"ELBO after {VAE_EPOCHS} epochs: {history['elbo'][-1]:.1f} nats per image")
samples = keras.ops.convert_to_numpy(vae.sample(32, seed=0))
fig = plot_image_grid(samples, ncols=8, title="VAE samples, z ~ N(0, I)")
display(fig)

# %% [markdown]
# ## A flow's density

# %%
keras.utils.set_random_seed(0)
moons, _ = make_two_moons(n_samples=1000, noise=0.08, seed=0)
moons = moons.astype("float32")
flow = RealNVP(2, num_coupling_layers=6, hidden_units=(32, 32), seed=0)
flow.compile(optimizer=keras.optimizers.Adam(3e-3))
history = flow.fit(moons, epochs=FLOW_EPOCHS, batch_size=128, verbose=0).history
print(f"mean log p(x) after {FLOW_EPOCHS} epochs: {history['log_likelihood'][-1]:.3f}")
xs, ys, density = density_on_grid(lambda points: keras.ops.convert_to_numpy(flow(points.astype("float32"))),
                                  num=100)
fig = plot_density(xs, ys, density, samples=moons[:300], title="RealNVP density on the two moons")
display(fig)
