"""Grader for ch08_llm/kv_cache_decoding."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.gpt", "dlcourse.sequence", "dlcourse.nlp", "keras", "tensorflow", "torch",
             "jax", "scipy.special")

SHAPES = {
    "attention_step": {"x_t": "(d_model,)", "W_q": "(d_model, d_k)", "W_k": "(d_model, d_k)",
                       "W_v": "(d_model, d_v)", "cache_k": "(t, d_k)", "cache_v": "(t, d_v)"},
    "decode_with_cache": {"x": "(T, d_model)", "W_q": "(d_model, d_k)", "W_k": "(d_model, d_k)",
                          "W_v": "(d_model, d_v)"},
}


def _weights(seed, d_model, d_k, d_v, scale=1.0):
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=(d_model, d)) * scale / np.sqrt(d_model) for d in (d_k, d_k, d_v))


def _step(sub, x_t, weights, cache_k, cache_v):
    b, k, v = sub.attention_step(x_t, *weights, cache_k, cache_v)
    return {"b_t": np.asarray(b, dtype=float), "cache_k": np.asarray(k, dtype=float),
            "cache_v": np.asarray(v, dtype=float)}


@check(points=1, visible=True, hint="with an empty cache the only key is the new one: b_0 = v^0.")
def first_step_from_an_empty_cache(sub):
    """attention_step at t = 0 (caches of shapes (0, d_k) and (0, d_v)), d_model = 4, d_k = 3, d_v = 2."""
    weights = _weights(0, 4, 3, 2)
    x_t = np.random.default_rng(1).normal(size=4)
    return _step(sub, x_t, weights, np.zeros((0, 3)), np.zeros((0, 2)))


@check(points=1, hint="append the new k, v as the last row, then attend with q over every cached key, "
                      "scaled by sqrt(d_k).")
def step_with_three_cached(sub):
    """attention_step at t = 3: a cache of 3 keys and values, d_model = 5, d_k = 4, d_v = 3."""
    weights = _weights(2, 5, 4, 3)
    rng = np.random.default_rng(3)
    return _step(sub, rng.normal(size=5), weights, rng.normal(size=(3, 4)), rng.normal(size=(3, 3)))


@check(points=2, hint="the outputs of a step-by-step decode must equal causal self-attention: row t sees rows "
                      "0..t only.")
def decode_equals_causal_attention(sub):
    """decode_with_cache on T = 6, d_model = 8, d_k = 4, d_v = 5 (and T = 1)."""
    weights = _weights(4, 8, 4, 5, scale=2.0)
    x = np.random.default_rng(5).normal(size=(6, 8))
    return {"y": np.asarray(sub.decode_with_cache(x, *weights), dtype=float),
            "one": np.asarray(sub.decode_with_cache(x[:1], *weights), dtype=float)}


@check(points=1, hint="subtract the largest score before exponentiating.")
def large_scores_stay_finite(sub):
    """decode_with_cache with weights 100 times larger (scores in the thousands)."""
    weights = _weights(6, 4, 4, 2, scale=100.0)
    x = np.random.default_rng(7).normal(size=(4, 4))
    return {"y": np.asarray(sub.decode_with_cache(x, *weights), dtype=float)}


@check(points=1, requires=("first_step_from_an_empty_cache", "step_with_three_cached"))
def caches_not_modified(sub):
    """attention_step leaves the caches it was given as they were."""
    weights = _weights(8, 4, 2, 2)
    rng = np.random.default_rng(9)
    cache_k, cache_v = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    before = cache_k.copy(), cache_v.copy()
    sub.attention_step(rng.normal(size=4), *weights, cache_k, cache_v)
    return {"k_after": cache_k, "k_before": before[0], "v_after": cache_v, "v_before": before[1]}
