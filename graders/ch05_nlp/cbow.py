"""Grader for ch05_nlp/cbow."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "scipy.special", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "center_probabilities": {"V_in": "(V, d) float", "U": "(V, d) float", "contexts": "(C,) int in [0, V)"},
    "cbow_loss_and_gradients": {"V_in": "(V, d) float", "U": "(V, d) float",
                                "contexts": "(C,) int in [0, V)"},
}


def _tables(seed, vocabulary_size, dim, scale=0.8):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(vocabulary_size, dim)) * scale, rng.normal(size=(vocabulary_size, dim)) * scale


def _result(sub, V_in, U, contexts, center):
    result = sub.cbow_loss_and_gradients(V_in, U, np.asarray(contexts, dtype=np.int64), center)
    if not isinstance(result, dict):
        raise TypeError(f"cbow_loss_and_gradients must return a dict with the keys loss, V_in and U, "
                        f"got a {type(result).__name__}.")
    return {name: result[name] for name in ("loss", "V_in", "U") if name in result}


@check(points=1, visible=True)
def probabilities(sub):
    """P(w | context) over V = 6 words for a context of C = 4 words, d = 3."""
    V_in, U = _tables(0, 6, 3)
    return {"probabilities": sub.center_probabilities(V_in, U, np.array([1, 2, 4, 5]))}


@check(points=2, hint="v_hat is the mean of the context vectors; each context word's row of dJ/dV_in "
                      "gets dJ/dv_hat / C.")
def loss_and_gradients(sub):
    """J and both gradients for C = 4 distinct context words, V = 8, d = 5."""
    V_in, U = _tables(1, 8, 5)
    return _result(sub, V_in, U, [0, 3, 6, 7], 2)


@check(points=1, hint="A word that occurs twice in the context gets two shares of dJ/dv_hat.")
def repeated_context_words(sub):
    """C = 5 context words with word 4 three times, and the center also in the context, V = 7, d = 3."""
    V_in, U = _tables(2, 7, 3)
    return _result(sub, V_in, U, [4, 1, 4, 5, 4], 5)


@check(points=1)
def one_context_word(sub):
    """C = 1 (v_hat is that word's vector), V = 5, d = 4."""
    V_in, U = _tables(3, 5, 4)
    return _result(sub, V_in, U, [2], 0)


@check(points=1, hint="Subtract the largest score before np.exp.")
def large_scores_do_not_overflow(sub):
    """scores u_w^T v_hat up to about 1000 in absolute value (a context of one word twice): all stay finite."""
    V_in, U = _tables(4, 6, 2, scale=1.0)
    V_in = V_in / np.linalg.norm(V_in, axis=1, keepdims=True) * 32.0
    U = U / np.linalg.norm(U, axis=1, keepdims=True) * 31.0
    contexts = np.array([3, 3])
    return {"probabilities": sub.center_probabilities(V_in, U, contexts), **_result(sub, V_in, U, contexts, 1)}
