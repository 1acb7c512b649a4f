"""Grader for ch05_nlp/negative_sampling."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "scipy.special", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "noise_distribution": {"counts": "(V,) float"},
    "sample_negatives": {"distribution": "(V,) float"},
    "negative_sampling_loss_and_gradients": {"v_t": "(d,) float", "U": "(V, d) float",
                                             "negatives": "(K,) int in [0, V)"},
}


def _vectors(seed, vocabulary_size, dim, scale=0.8):
    rng = np.random.default_rng(seed)
    return rng.normal(size=dim) * scale, rng.normal(size=(vocabulary_size, dim)) * scale


def _result(sub, v_t, U, c, negatives):
    result = sub.negative_sampling_loss_and_gradients(v_t, U, c, np.asarray(negatives, dtype=np.int64))
    if not isinstance(result, dict):
        raise TypeError(f"negative_sampling_loss_and_gradients must return a dict with the keys loss, v_t "
                        f"and U, got a {type(result).__name__}.")
    return {name: result[name] for name in ("loss", "v_t", "U") if name in result}


@check(points=1, visible=True)
def distribution_of_counts(sub):
    """P_noise of the counts [81, 16, 1, 256] with the default power 3/4."""
    return {"distribution": sub.noise_distribution(np.array([81.0, 16.0, 1.0, 256.0]))}


@check(points=1, hint="Raise the counts to `power`; a word never seen gets probability 0.")
def other_powers_and_unseen_words(sub):
    """counts with zeros, and powers 1 (the unigram distribution), 0.5 and 0 (uniform over the seen words)."""
    counts = np.array([10.0, 0.0, 3.0, 7.0, 0.0, 1.0])
    return {f"power_{p}": sub.noise_distribution(counts, power=p) for p in (1.0, 0.5, 0.0)}


def _frequencies(student, reference):
    distribution = reference["distribution"]
    draws = np.asarray(student["draws"])
    if draws.shape != reference["draws"].shape:
        raise AssertionError(f"sample_negatives(distribution, 20000, rng) returned shape {draws.shape}, "
                             f"expected {reference['draws'].shape}.")
    if draws.dtype.kind not in "iu":
        raise AssertionError(f"sample_negatives must return integer word ids, got dtype {draws.dtype}.")
    if draws.min() < 0 or draws.max() >= len(distribution):
        raise AssertionError(f"sample_negatives drew an id outside 0 .. {len(distribution) - 1}.")
    if not np.array_equal(np.asarray(student["seed_3"]), np.asarray(student["seed_3_again"])):
        raise AssertionError("two generators with the same seed gave different draws: draw every random "
                             "number from the rng argument.")
    observed = np.bincount(draws, minlength=len(distribution)) / draws.size
    tolerance = 4.5 * np.sqrt(distribution * (1 - distribution) / draws.size) + 1e-3
    if np.any(np.abs(observed - distribution) > tolerance):
        raise AssertionError(f"your draws have frequencies {observed.round(3).tolist()}, expected "
                             f"{distribution.round(3).tolist()}.")


@check(points=1, compare=_frequencies)
def samples_follow_the_distribution(sub):
    """20000 draws from a 5-word distribution (one word with probability 0) match its probabilities."""
    distribution = np.array([0.5, 0.25, 0.0, 0.15, 0.1])
    return {"distribution": distribution,
            "draws": sub.sample_negatives(distribution, 20000, np.random.default_rng(0)),
            "seed_3": sub.sample_negatives(distribution, 50, np.random.default_rng(3)),
            "seed_3_again": sub.sample_negatives(distribution, 50, np.random.default_rng(3))}


@check(points=1, visible=True)
def loss_and_gradients(sub):
    """J and both gradients for one pair with K = 3 distinct noise words, V = 7, d = 4."""
    v_t, U = _vectors(1, 7, 4)
    return _result(sub, v_t, U, 2, [0, 5, 6])


@check(points=2, hint="Add up the gradient of every noise word, also when a word is drawn twice "
                      "or is w_c itself.")
def repeated_noise_words(sub):
    """K = 6 noise words with repeats (word 4 three times) and w_c among them, V = 8, d = 5."""
    v_t, U = _vectors(2, 8, 5)
    return _result(sub, v_t, U, 3, [4, 1, 4, 3, 4, 7])
