# %% [markdown]
"""The optimal discriminator and the value of the game (5 points)
Lecture: §6.2 Generative Adversarial Network(GAN)

The notes' game is

    min_G max_D V(D, G) = E_{x ~ p_data(x)}[ log D(x) ] + E_{z ~ p_z(z)}[ log(1 - D(G(z))) ],

with D(x) pushed towards 1 on real data and D(G(z)) towards 0 on generated data. Beyond the
notes (Goodfellow et al., 2014): if p_g is the density of G(z), V = integral of
[ p_data(x) log D(x) + p_g(x) log(1 - D(x)) ] dx, and for a fixed G the D that maximises it
point by point is

    D*(x) = p_data(x) / (p_data(x) + p_g(x)).

At D*, the value is V(D*, G) = -log 4 + 2 JSD(p_data || p_g), with the Jensen-Shannon
divergence JSD >= 0, zero exactly when p_g = p_data (then D* = 1/2 everywhere and
V = -log 4): the generator's best reply is the data distribution.

The densities come as values on an evenly spaced 1-D grid with spacing dx > 0: p_data (n,)
and p_g (n,), non-negative. Integrals are Riemann sums, sum(values) * dx. Where
p_data + p_g = 0, D* is undefined: return 1/2 there, and such points add nothing to V. Use
0 log 0 = 0 (a point where p_data = 0 adds nothing from its first term, one where p_g = 0
nothing from its second), so that disjoint densities give a finite V.

Implement with numpy only:

- `optimal_discriminator(p_data, p_g)` -> (n,): D* on the grid;
- `value_at_optimum(p_data, p_g, dx)` -> a float: V(D*, G) as the Riemann sum of
  p_data log D* + p_g log(1 - D*);
- `jensen_shannon_divergence(p_data, p_g, dx)` -> a float: JSD = (V(D*, G) + log 4) / 2.

You may not use dlcourse.generative or scipy (scipy.spatial.distance has jensenshannon).
"""

# %%
import numpy as np


# %%
def optimal_discriminator(p_data, p_g):
    """D* = p_data / (p_data + p_g) on the grid, 1/2 where both are 0; shape (n,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def value_at_optimum(p_data, p_g, dx):
    """V(D*, G) = sum(p_data log D* + p_g log(1 - D*)) dx, with 0 log 0 = 0; a float."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def jensen_shannon_divergence(p_data, p_g, dx):
    """JSD(p_data || p_g) = (V(D*, G) + log 4) / 2, a float."""
    # YOUR CODE HERE
    raise NotImplementedError()
