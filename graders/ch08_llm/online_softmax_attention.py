"""Grader for ch08_llm/online_softmax_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.flash", "dlcourse.sequence", "dlcourse.nlp", "keras", "tensorflow",
             "torch", "jax", "scipy.special")

SHAPES = {
    "online_softmax_step": {"m": "(T,)", "l": "(T,)", "o": "(T, d_v)", "scores": "(T, n)", "values": "(n, d_v)"},
    "online_softmax_attention": {"Q": "(T, d_k)", "K": "(S, d_k)", "V": "(S, d_v)"},
}


def _qkv(seed, T, S, d_k, d_v, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(T, d_k)) * scale, rng.normal(size=(S, d_k)) * scale, rng.normal(size=(S, d_v))


def _step(sub, m, l, o, scores, values):
    m, l, o = sub.online_softmax_step(np.array(m, dtype=float), np.array(l, dtype=float), np.array(o, dtype=float),
                                      np.array(scores, dtype=float), np.array(values, dtype=float))
    return {"m": np.asarray(m, dtype=float), "l": np.asarray(l, dtype=float), "o": np.asarray(o, dtype=float)}


@check(points=1, visible=True)
def first_block_from_the_start(sub):
    """online_softmax_step from m = -inf, l = 0, o = 0 on a block of 3 scores for 4 queries (d_v = 2)."""
    rng = np.random.default_rng(0)
    return _step(sub, np.full(4, -np.inf), np.zeros(4), np.zeros((4, 2)), rng.normal(size=(4, 3)),
                 rng.normal(size=(3, 2)))


@check(points=2, hint="when the maximum grows, multiply the old l and o by exp(m_old - m_new) before adding "
                      "the new block.")
def a_later_block_that_moves_the_maximum(sub):
    """online_softmax_step from a running state: the new block raises the maximum of some queries, not of
    others, and masks some keys with -inf (5 queries, blocks of 4, d_v = 3)."""
    rng = np.random.default_rng(1)
    m = np.array([0.5, 2.0, -1.0, 3.0, 0.0])
    l, o = rng.uniform(1.0, 3.0, size=5), rng.normal(size=(5, 3))
    scores = rng.normal(size=(5, 4)) + np.array([[2.0], [0.0], [1.5], [-2.0], [4.0]])
    scores[1, :2] = -np.inf
    scores[3, :] = -np.inf
    return _step(sub, m, l, o, scores, rng.normal(size=(4, 3)))


@check(points=1, hint="b^t = o_t / l_t after the last block; the scores are q^t . k^i / sqrt(d_k).")
def equals_softmax_attention(sub):
    """online_softmax_attention on T = 6 queries and S = 11 keys (d_k = 4, d_v = 3), block sizes 2, 3
    and 4 (the last block shorter)."""
    Q, K, V = _qkv(2, 6, 11, 4, 3)
    return {f"block_{b}": np.asarray(sub.online_softmax_attention(Q, K, V, b), dtype=float) for b in (2, 3, 4)}


@check(points=1, hint="with causal=True query t sees keys i <= t only; the diagonal is allowed.")
def causal_and_large_scores(sub):
    """causal=True on T = S = 9 with block sizes 2 and 4, and scores in the hundreds (block size 3)."""
    Q, K, V = _qkv(3, 9, 9, 4, 2)
    Qb, Kb, Vb = _qkv(4, 9, 9, 4, 2, scale=8.0)
    return {"block_2": np.asarray(sub.online_softmax_attention(Q, K, V, 2, causal=True), dtype=float),
            "block_4": np.asarray(sub.online_softmax_attention(Q, K, V, 4, causal=True), dtype=float),
            "large": np.asarray(sub.online_softmax_attention(Qb, Kb, Vb, 3, causal=True), dtype=float)}


@check(points=1)
def one_key_per_block_and_one_block(sub):
    """block_size = 1 and block_size = S, and a block larger than S, with and without causal (T = 5, S = 5)."""
    Q, K, V = _qkv(5, 5, 5, 3, 4)
    return {"one_key": np.asarray(sub.online_softmax_attention(Q, K, V, 1), dtype=float),
            "one_block": np.asarray(sub.online_softmax_attention(Q, K, V, 5), dtype=float),
            "larger_than_S": np.asarray(sub.online_softmax_attention(Q, K, V, 8, causal=True), dtype=float),
            "one_key_causal": np.asarray(sub.online_softmax_attention(Q, K, V, 1, causal=True), dtype=float)}
