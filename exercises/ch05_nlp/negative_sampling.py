# %% [markdown]
"""Negative sampling: skip-gram without the softmax over the vocabulary (6 points)
Lecture: §5.1 Word Embeddings

The notes' skip-gram scores a context word w_c for the center word w_t with a softmax over
the whole vocabulary V,

    P(w_c | w_t) = exp(u_{w_c}^T v_{w_t}) / sum_{w in V} exp(u_w^T v_{w_t}),

and point out that this softmax is costly when V is large: every step touches all |V|
context vectors u_w. The notes stop there; the usual cure (Mikolov et al. 2013, as in cs224n)
is negative sampling. Instead of a |V|-way choice the model answers K + 1 yes/no questions:
is w_c a real context word of w_t (yes), and is each of K noise words n_1..n_K drawn at random
one (no)? With sigma(x) = 1 / (1 + exp(-x)) the loss of one (center, context) pair is

    J = -log sigma(u_{w_c}^T v_{w_t}) - sum_{k=1..K} log sigma(-u_{n_k}^T v_{w_t})

and its gradients are (a noise word drawn twice contributes twice; a noise word may even be
w_c itself, and then both terms add to the gradient of u_{w_c})

    dJ/dv_{w_t} = (sigma(u_{w_c}^T v_{w_t}) - 1) u_{w_c} + sum_k sigma(u_{n_k}^T v_{w_t}) u_{n_k}
    dJ/du_{w_c} = (sigma(u_{w_c}^T v_{w_t}) - 1) v_{w_t}
    dJ/du_{n_k} = sigma(u_{n_k}^T v_{w_t}) v_{w_t}           (every other row of U: 0)

The noise words come from the unigram distribution raised to the power 3/4, which draws rare
words more often than their frequency would:

    P_noise(w) = count(w)^(3/4) / sum_{w'} count(w')^(3/4)

Shapes use V for the vocabulary size |V| and d for the embedding size: `counts` (V,) is a
float array of non-negative word counts (not all zero; a word with count 0 gets probability
0), `v_t` (d,) is v_{w_t} (a float array), `U` (V, d) holds the context vectors u_w as rows
(a float array), `c` is the integer id of w_c, and `negatives` (K,) holds the noise words'
ids (an integer array, values in [0, V), K >= 1).

Implement with numpy:

- `noise_distribution(counts, power=0.75)` -> float array (V,) summing to 1: count^power,
  normalised (power = 0.75 is the 3/4 above; other powers are checked too);
- `sample_negatives(distribution, k, rng)` -> integer array (k,) of k ids drawn independently
  from `distribution` (V,), a float array of probabilities, with the numpy Generator `rng` (draw every random
  number from it, e.g. `rng.choice`); this check is statistical: your draws need not repeat
  the reference's, but their frequencies must match the distribution;
- `negative_sampling_loss_and_gradients(v_t, U, c, negatives)` -> dict with "loss" (the
  float J), "v_t" (dJ/dv_{w_t}, shape (d,)) and "U" (dJ/dU, shape (V, d)).

You may not use dlcourse.nlp (it holds the answer), scipy.special, keras, tensorflow, torch
or jax (no automatic differentiation).
"""

# %%
import numpy as np


# %%
def noise_distribution(counts, power=0.75):
    """P_noise(w) = count(w)^power / sum count^power, shape (V,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def sample_negatives(distribution, k, rng):
    """k noise word ids drawn from `distribution` with `rng`, int array (k,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + exp(-x)), without overflow


# %%
def negative_sampling_loss_and_gradients(v_t, U, c, negatives):
    """{"loss", "v_t", "U"}: J of one pair with its K noise words, and its gradients."""
    # YOUR CODE HERE
    raise NotImplementedError()
