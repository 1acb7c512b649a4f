# %% [markdown]
"""CBOW: predict the center word from the mean of its context (6 points)
Lecture: §5.1 Word Embeddings

The notes' word2vec comes in two directions: skip-gram predicts the context from the center
word, CBOW (continuous bag of words) predicts the center word from its context. The notes
write down skip-gram's softmax only,

    P(w_c | w_t) = exp(u_{w_c}^T v_{w_t}) / sum_{w in V} exp(u_w^T v_{w_t}),

and leave CBOW there. Beyond the notes, CBOW (Mikolov et al. 2013, as cs224n writes it) keeps
the same two vectors per word and the same softmax, with the roles turned round: the vectors
v of the context words w_{t+j} are averaged into one vector v_hat, which plays the part of
v_{w_t}, and the softmax scores every word as the center:

    v_hat = (1 / C) sum_{j} v_{w_{t+j}}                      (C context words, repeats counted)
    P(w_t | context) = exp(u_{w_t}^T v_hat) / sum_{w in V} exp(u_w^T v_hat)
    J = -log P(w_t | context)

With y_hat the softmax vector over V and y the one-hot vector of w_t, the gradients are

    dJ/dv_hat = U^T (y_hat - y)
    dJ/dv_w   = (n_w / C) dJ/dv_hat   for each word w that occurs n_w times in the context,
                0 for the other rows of V_in
    dJ/dU     = (y_hat - y) v_hat^T

Shapes use V for the vocabulary size |V| and d for the embedding size. `V_in` (V, d) holds the
vectors v_w as rows and `U` (V, d) the vectors u_w (both float arrays); `contexts` (C,) holds
the context word ids (an integer array, values in [0, V), C >= 1, repeats allowed) and
`center` is the integer id of w_t. Scores u_w^T v_hat may be as large as 1000 in absolute
value: subtract the largest score before exponentiating.

Implement with numpy:

- `center_probabilities(V_in, U, contexts)` -> float array (V,): P(w | context) for every
  word w as the center;
- `cbow_loss_and_gradients(V_in, U, contexts, center)` -> dict with "loss" (the float J),
  "V_in" (dJ/dV_in, shape (V, d)) and "U" (dJ/dU, shape (V, d)).

You may not use dlcourse.nlp (it holds the answer), scipy.special, keras, tensorflow, torch
or jax (no automatic differentiation).
"""

# %%
import numpy as np


# %%
def center_probabilities(V_in, U, contexts):
    """P(w | context) for every word w of V as the center, shape (V,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def cbow_loss_and_gradients(V_in, U, contexts, center):
    """{"loss", "V_in", "U"}: J = -log P(center | contexts) and its gradients."""
    # YOUR CODE HERE
    raise NotImplementedError()
