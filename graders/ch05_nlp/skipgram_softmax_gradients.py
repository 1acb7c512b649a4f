"""Grader for ch05_nlp/skipgram_softmax_gradients."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "scipy.special", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "context_probabilities": {"v_t": "(d,) float", "U": "(V, d) float"},
    "skipgram_loss_and_gradients": {"v_t": "(d,) float", "U": "(V, d) float",
                                    "contexts": "(m,) int in [0, V)"},
}


def _vectors(seed, vocabulary_size, dim, scale=0.7):
    rng = np.random.default_rng(seed)
    return rng.normal(size=dim) * scale, rng.normal(size=(vocabulary_size, dim)) * scale


def _result(sub, v_t, U, contexts):
    result = sub.skipgram_loss_and_gradients(v_t, U, np.asarray(contexts, dtype=np.int64))
    if not isinstance(result, dict):
        raise TypeError(f"skipgram_loss_and_gradients must return a dict with the keys loss, v_t and U, "
                        f"got a {type(result).__name__}.")
    return {name: result[name] for name in ("loss", "v_t", "U") if name in result}


@check(points=1, visible=True)
def probabilities(sub):
    """P(w | w_t) over V = 6 words, d = 3."""
    v_t, U = _vectors(0, 6, 3)
    return {"probabilities": sub.context_probabilities(v_t, U)}


@check(points=1, visible=True)
def one_context_word(sub):
    """J and both gradients for a window of one context word (m = 1), V = 5, d = 4."""
    v_t, U = _vectors(1, 5, 4)
    return _result(sub, v_t, U, [3])


@check(points=2, hint="Sum the loss and the gradients over every context word, repeats included.")
def a_window_with_repeats(sub):
    """m = 6 context words with repeats (word 2 three times), V = 9, d = 5."""
    v_t, U = _vectors(2, 9, 5)
    return _result(sub, v_t, U, [2, 7, 2, 0, 2, 8])


@check(points=1, hint="Subtract the largest score before np.exp.")
def large_scores_do_not_overflow(sub):
    """scores u_w^T v_t up to about 1000 in absolute value: probabilities, J and the gradients stay finite."""
    v_t, U = _vectors(3, 6, 2, scale=1.0)
    v_t = v_t / np.linalg.norm(v_t) * 32.0
    U = U / np.linalg.norm(U, axis=1, keepdims=True) * 31.0
    return {"probabilities": sub.context_probabilities(v_t, U), **_result(sub, v_t, U, [1, 4])}
