# %% [markdown]
"""Sinusoidal position encoding (5 points)
Lecture: §3.3 Attention Mechanism; §5.3 Transformer

Self-attention treats its inputs as a set: shuffle the positions and the outputs are shuffled
the same way, nothing else changes. The notes' first step of self-attention is therefore to
feed the sequence in at once *and encode position information* into each embedded input a^i,
and §5.3 lists "position representation" among the Transformer's open points. The notes give no
formula; beyond the notes, we use the fixed sinusoidal encoding of Vaswani et al. (2017), a
vector p_t for every position t that is added to the token's embedding, a^t = W x^t + p_t.

For a model width d_model, features 2j and 2j + 1 form a pair with one angle
omega_j = 1 / max_wavelength^(2j / d_model), and

    p_t[2j]     = sin(t * omega_j)                 even features: sines
    p_t[2j + 1] = cos(t * omega_j)                 odd features: cosines, the same angle

for t = 0, 1, ..., length - 1 and j = 0, 1, ... (max_wavelength = 10000 in the paper). Note that
the exponent 2j / d_model is the same for both features of a pair: feature i uses the pair
index j = i // 2. The wavelengths 2 pi / omega_j grow geometrically from 2 pi to about
max_wavelength * 2 pi, so the first features tell neighbouring positions apart and the last ones
distant positions. When d_model is odd, the last feature is a sine (its pair has no cosine).

Implement with numpy only:

- `sinusoidal_position_encoding(length, d_model, max_wavelength=10000)` -> an array of shape
  (length, d_model), row t = p_t, for integers length >= 1 and d_model >= 1 (d_model may be odd);
- `add_position_encoding(embeddings, max_wavelength=10000)` -> embeddings + p for a batch of
  embedded sequences, embeddings (batch, T, d_model): every sequence gets the same p_0, ...,
  p_{T-1}.
  It must not change `embeddings` in place.

You may not use keras, keras_hub, tensorflow, torch or dlcourse.nlp.
"""

# %%
import numpy as np


# %%
def sinusoidal_position_encoding(length, d_model, max_wavelength=10000):
    """(length, d_model): p[t, 2j] = sin(t * omega_j), p[t, 2j + 1] = cos(t * omega_j)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def add_position_encoding(embeddings, max_wavelength=10000):
    """embeddings (batch, T, d_model) + p, a new array."""
    # YOUR CODE HERE
    raise NotImplementedError()
