"""Attention's quadratic cost, and block-wise attention with an online softmax that avoids the T x T matrix.

Lecture: §8 Foundation Models: LLM; §3.3 Attention Mechanism; §5.3 Transformer

The notes' attention (§3.3) scores query 1 against every key i and averages the values,

    alpha_{1,i} = q^1 . k^i / sqrt(d),   alpha_hat_{1,i} = softmax alpha_{1,i},   b_1 = sum_i alpha_hat_{1,i} v^i,

and query t the same with 1 replaced by t. For all queries at once (beyond the notes' symbols)
this is softmax(Q K^T / sqrt(d_k)) V, and §5.3 names its cost, "quadratic compute
in self-attention": for T positions the scores Q K^T form a T x T matrix per head. The notes
leave chapter 8 as a heading; this module follows FlashAttention (Dao et al., 2022), whose
exact attention never holds that matrix, and counts the cost the way CS336 assignment 1 does.

The online softmax (Milakov and Gimelshein, 2018) behind FlashAttention. Split the keys and
values into blocks K_1, ..., K_n (and V_1, ..., V_n) of `block_size` rows, and the queries into
blocks too. For one block of queries, keep per row a running maximum m, a running sum l and an
unnormalised output o, starting from m = -inf, l = 0, o = 0. For each key block j:

    S_j   = Q K_j^T / sqrt(d_k)                       (block x block scores only)
    m_new = max(m, rowmax(S_j))
    P_j   = exp(S_j - m_new)
    l     = exp(m - m_new) * l + rowsum(P_j)          (the old sum rescaled to the new max)
    o     = exp(m - m_new) * o + P_j V_j
    m     = m_new

and at the end output = o / l. Because exp(m - m_new) rescales everything summed so far to
the current maximum, o / l equals softmax(Q K^T / sqrt(d_k)) V exactly (up to rounding), while
the largest intermediate is one block x block score tile: memory O(T * block) instead of O(T^2).
The FLOPs stay quadratic; FlashAttention's speed comes from keeping the tiles in fast memory.
With `causal=True` (beyond the notes, the causal mask of `dlcourse.sequence.causal_mask`, key
s allowed for query t when s <= t) key blocks that lie wholly after a query block are skipped.

`attention_flops` and `attention_memory` count the cost of one multi-head self-attention layer
against T: the projections grow linearly in T and the scores and weighted sums quadratically.
"""

from __future__ import annotations

import math

from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["blockwise_attention", "attention_flops", "attention_memory"]


def blockwise_attention(query, key, value, block_size=64, causal=False, key_block_size=None, return_stats=False):
    """Exact softmax(Q K^T / sqrt(d_k)) V computed block by block with a running max and sum.

    Equal to `dlcourse.sequence.scaled_dot_product_attention(query, key, value)` (with
    `mask=causal_mask(T, S)` when `causal=True`), but the scores are never held as a T x S
    matrix: the largest intermediate is one (block_size, key_block_size) tile per leading index.

    Args:
        query: Q, shape (..., T, d_k).
        key: K, shape (..., S, d_k).
        value: V, shape (..., S, d_v).
        block_size: rows of Q per block (a positive integer; the last block may be shorter).
        causal: whether query t attends only to keys s <= t; key blocks wholly after a query
            block are skipped.
        key_block_size: rows of K and V per block; defaults to `block_size`.
        return_stats: also return a dict with "largest_score_block" (the largest (rows,
            columns) of a score tile) and "score_blocks" (how many tiles were computed).

    Returns:
        The output, shape (..., T, d_v); with `return_stats`, the pair (output, stats).

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.flash import blockwise_attention
    >>> from dlcourse.sequence import scaled_dot_product_attention, causal_mask
    >>> rng = np.random.default_rng(0)
    >>> q, k, v = (rng.normal(size=(10, 4)).astype("float32") for _ in range(3))
    >>> out, stats = blockwise_attention(q, k, v, block_size=4, causal=True, return_stats=True)
    >>> full, _ = scaled_dot_product_attention(q, k, v, mask=causal_mask(10))
    >>> bool(np.allclose(out, full, atol=1e-5)), stats
    (True, {'largest_score_block': (4, 4), 'score_blocks': 6})
    """
    block_size = positive_int("block_size", block_size)
    key_block_size = block_size if key_block_size is None else positive_int("key_block_size", key_block_size)
    query, key, value = (ops.convert_to_tensor(t) for t in (query, key, value))
    if len(query.shape) < 2 or len(key.shape) != len(query.shape) or len(value.shape) != len(query.shape):
        raise ValueError(f"query, key and value must have shapes (..., T, d_k), (..., S, d_k) and (..., S, d_v) "
                         f"of one rank, got {tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}.")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"query and key need the same d_k and key and value the same S, got shapes "
                         f"{tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}.")
    length, key_length = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1])
    largest, tiles, outputs = (0, 0), 0, []
    for start in range(0, length, block_size):
        stop = min(start + block_size, length)
        q = query[..., start:stop, :]
        m = l = o = None
        for key_start in range(0, key_length, key_block_size):
            if causal and key_start > stop - 1:
                break  # every key of this block and the later ones comes after every query here
            key_stop = min(key_start + key_block_size, key_length)
            scores = ops.matmul(q, ops.swapaxes(key[..., key_start:key_stop, :], -1, -2)) * scale
            largest = max(largest, (stop - start, key_stop - key_start), key=lambda s: s[0] * s[1])
            tiles += 1
            allowed = None
            if causal and key_stop - 1 > start:  # the tile crosses the diagonal
                rows = ops.expand_dims(ops.arange(start, stop), 1)
                allowed = ops.greater_equal(rows, ops.expand_dims(ops.arange(key_start, key_stop), 0))
                scores = ops.where(allowed, scores, -math.inf)
            m, l, o = _online_softmax_step(m, l, o, scores, value[..., key_start:key_stop, :], allowed)
        outputs.append(o / l)
    output = ops.concatenate(outputs, axis=-2)
    if return_stats:
        return output, {"largest_score_block": largest, "score_blocks": tiles}
    return output


def _online_softmax_step(m, l, o, scores, value, allowed):
    """Fold one score tile into the running max m, sum l and unnormalised output o."""
    tile_max = ops.max(scores, axis=-1, keepdims=True)
    m_new = tile_max if m is None else ops.maximum(m, tile_max)
    # a row whose keys in this tile are all masked has m_new = -inf until it meets a real key
    safe = ops.where(ops.isfinite(m_new), m_new, ops.zeros_like(m_new))
    p = ops.exp(scores - safe)
    if allowed is not None:
        p = ops.where(allowed, p, ops.zeros_like(p))
    if m is None:
        return m_new, ops.sum(p, axis=-1, keepdims=True), ops.matmul(p, value)
    correction = ops.exp(ops.where(ops.isfinite(m), m, safe) - safe)
    return m_new, correction * l + ops.sum(p, axis=-1, keepdims=True), correction * o + ops.matmul(p, value)


def _counts_arguments(length, d_model, num_heads):
    length, d_model, num_heads = (positive_int(n, v) for n, v in
                                  (("T", length), ("d_model", d_model), ("num_heads", num_heads)))
    if d_model % num_heads:
        raise ValueError(f"d_model must be divisible by num_heads, got d_model={d_model} and num_heads={num_heads}.")
    return length, d_model, num_heads


def attention_flops(T, d_model, num_heads):
    """Forward FLOPs of one multi-head self-attention layer on one sequence of T positions.

    A matrix product (a, b) @ (b, c) costs 2 a b c FLOPs (a multiply and an add each). With
    d_k = d_model / num_heads:

        projections    Q, K, V and the output W_o, each (T, d_model) @ (d_model, d_model):
                       4 * 2 T d_model^2 = 8 T d_model^2                   (linear in T)
        scores         Q K^T per head, (T, d_k) @ (d_k, T):   2 T^2 d_k per head,
                       2 T^2 d_model in all                                (quadratic in T)
        weighted_sum   A V per head, (T, T) @ (T, d_k):       2 T^2 d_model (quadratic in T)

    The softmax's O(num_heads T^2) exponentials and divisions are left out (they are not
    multiply-adds). The quadratic terms overtake the projections at T = 2 d_model.

    Args:
        T: sequence length (positive integer).
        d_model: model width (positive integer divisible by num_heads).
        num_heads: number of heads (positive integer).

    Returns:
        dict with int entries "projections", "scores", "weighted_sum" and "total".

    Example:

    >>> from dlcourse.llm.flash import attention_flops
    >>> attention_flops(128, 64, 4)
    {'projections': 4194304, 'scores': 2097152, 'weighted_sum': 2097152, 'total': 8388608}
    """
    T, d_model, num_heads = _counts_arguments(T, d_model, num_heads)
    counts = {"projections": 8 * T * d_model ** 2, "scores": 2 * T * T * d_model,
              "weighted_sum": 2 * T * T * d_model}
    counts["total"] = sum(counts.values())
    return counts


def attention_memory(T, d_model, num_heads, bytes_per_element=4, block_size=None):
    """Bytes of the activations one multi-head self-attention layer holds for one sequence.

    Standard attention (block_size=None) holds Q, K, V and the output (4 T d_model elements,
    linear in T) and the attention weights, num_heads T^2 elements (quadratic in T, and kept for
    the backward pass). Block-wise attention (`blockwise_attention` with that block size) holds
    one block x block score tile per head and the running max and sum, 2 num_heads T elements:
    linear in T.

    Args:
        T: sequence length (positive integer).
        d_model: model width (positive integer divisible by num_heads).
        num_heads: number of heads (positive integer).
        bytes_per_element: 4 for float32, 2 for bfloat16.
        block_size: None (standard attention) or the block size of block-wise attention.

    Returns:
        dict with int entries (bytes) "activations", "scores" (the weights, or one tile per
        head), "running_statistics" (0 for standard attention) and "total".

    Example:

    >>> from dlcourse.llm.flash import attention_memory
    >>> attention_memory(1024, 64, 4)["scores"], attention_memory(1024, 64, 4, block_size=64)["scores"]
    (16777216, 65536)
    """
    T, d_model, num_heads = _counts_arguments(T, d_model, num_heads)
    size = positive_int("bytes_per_element", bytes_per_element)
    activations = 4 * T * d_model * size
    if block_size is None:
        scores, statistics = num_heads * T * T * size, 0
    else:
        block = min(positive_int("block_size", block_size), T)
        scores, statistics = num_heads * block * block * size, 2 * num_heads * T * size
    return {"activations": activations, "scores": scores, "running_statistics": statistics,
            "total": activations + scores + statistics}
