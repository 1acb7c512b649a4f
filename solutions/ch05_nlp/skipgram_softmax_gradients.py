# %% [markdown]
"""Skip-gram's softmax, its negative log-likelihood and their gradients (5 points)
Lecture: §5.1 Word Embeddings

Skip-gram predicts the words around a center word w_t. Each word w has two vectors, v_w when
it is the center and u_w when it is a context word, and the notes' output layer is a softmax
over the whole vocabulary V:

    P(w_c | w_t) = exp(u_{w_c}^T v_{w_t}) / sum_{w in V} exp(u_w^T v_{w_t})

The notes then train it with the negative log-likelihood ("Note: Negative Loss Likelihood")
and stop there. We complete it as cs224n does. For one center word with the context words
w_{t+j} of its window (the list `contexts`, which may repeat a word), the loss is

    J = - sum_j log P(w_{t+j} | w_t)
      = sum_j ( -u_{w_{t+j}}^T v_{w_t} + log sum_{w in V} exp(u_w^T v_{w_t}) )

Write y_hat for the vector of P(w | w_t) over all w (the softmax of the scores U v_{w_t})
and y_j for the one-hot vector of w_{t+j}. Then, with m the number of context words,

    dJ/dv_{w_t} = sum_j U^T (y_hat - y_j)        = U^T (m y_hat - sum_j y_j)
    dJ/dU       = sum_j (y_hat - y_j) v_{w_t}^T  = (m y_hat - sum_j y_j) v_{w_t}^T

Every row u_w of U gets a gradient, even for words that are not in the window: that sum over
V is why the notes call this softmax expensive for a large vocabulary (negative sampling is
the cure). Scores u_w^T v_{w_t} may be as large as 1000 in absolute value: subtract the
largest score before exponentiating, so that nothing overflows (the result is the same).

Shapes use V for the vocabulary size |V| and d for the embedding size. `v_t` (d,) is the
center word's vector v_{w_t} (a float array), `U` (V, d) holds the context vectors u_w as
rows (a float array), and `contexts` (m,) holds the window's context word ids (an integer
array, values in [0, V), m >= 1).

Implement with numpy:

- `context_probabilities(v_t, U)` -> float array (V,): P(w | w_t) for every word w;
- `skipgram_loss_and_gradients(v_t, U, contexts)` -> dict with "loss" (the float J),
  "v_t" (dJ/dv_{w_t}, shape (d,)) and "U" (dJ/dU, shape (V, d)).

You may not use dlcourse.nlp (it holds the answer), scipy.special (write the softmax
yourself), keras, tensorflow, torch or jax (no automatic differentiation).
"""

# %%
import numpy as np


# %%
def context_probabilities(v_t, U):
    """P(w | w_t) for every word w of V, shape (V,)."""
    ### BEGIN SOLUTION
    scores = np.asarray(U, dtype=float) @ np.asarray(v_t, dtype=float)
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()
    ### END SOLUTION


# %%
def skipgram_loss_and_gradients(v_t, U, contexts):
    """{"loss", "v_t", "U"}: J summed over the contexts and its gradients."""
    ### BEGIN SOLUTION
    v_t, U = np.asarray(v_t, dtype=float), np.asarray(U, dtype=float)
    contexts = np.asarray(contexts, dtype=np.int64)
    scores = U @ v_t
    log_probabilities = scores - scores.max() - np.log(np.sum(np.exp(scores - scores.max())))
    loss = -np.sum(log_probabilities[contexts])
    error = len(contexts) * np.exp(log_probabilities)          # m y_hat
    np.add.at(error, contexts, -1.0)                            # - sum_j y_j
    return {"loss": float(loss), "v_t": U.T @ error, "U": np.outer(error, v_t)}
    ### END SOLUTION
