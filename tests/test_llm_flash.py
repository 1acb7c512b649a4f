"""The quadratic cost (dlcourse.llm.flash): block-wise online-softmax attention and attention's FLOP and memory counts.

Oracles: plain numpy softmax attention, `dlcourse.sequence.scaled_dot_product_attention` (the
course's attention) and `keras.ops.dot_product_attention` (Keras' own, causal flag included);
the counts against a hand count of a small case and log-log slopes.
"""

import math

import keras
import numpy as np
import pytest

from dlcourse.llm.flash import attention_flops, attention_memory, blockwise_attention
from dlcourse.sequence import causal_mask, scaled_dot_product_attention


def _numpy_attention(q, k, v, causal=False):
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    if causal:
        t, s = scores.shape[-2:]
        scores = np.where(np.arange(t)[:, None] >= np.arange(s)[None, :], scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)) @ v


def _qkv(shape_q, shape_k, d_v, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=shape_q) * scale
    k = rng.normal(size=shape_k) * scale
    v = rng.normal(size=shape_k[:-1] + (d_v,))
    return q.astype("float32"), k.astype("float32"), v.astype("float32")


@pytest.mark.backend_neutral
@pytest.mark.parametrize("length, block, key_block, causal", [
    (16, 4, None, False), (16, 4, None, True), (37, 8, None, True), (37, 5, 7, True),
    (37, 64, None, True), (1, 1, None, True), (23, 2, 3, False), (30, 7, 4, True),
])
def test_blockwise_attention_equals_full_softmax_attention(length, block, key_block, causal):
    q, k, v = _qkv((2, 3, length, 8), (2, 3, length, 8), 5, seed=length)
    ours = keras.ops.convert_to_numpy(blockwise_attention(q, k, v, block_size=block, key_block_size=key_block,
                                                          causal=causal))
    np.testing.assert_allclose(ours, _numpy_attention(q.astype(float), k.astype(float), v.astype(float), causal),
                               atol=2e-5)
    mask = causal_mask(length) if causal else None
    course, _ = scaled_dot_product_attention(q, k, v, mask=mask)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(course), atol=2e-5)


@pytest.mark.backend_neutral
def test_blockwise_attention_equals_keras_dot_product_attention():
    # Keras' layout is (batch, T, heads, d); ours is (batch, heads, T, d)
    q, k, v = _qkv((2, 4, 29, 16), (2, 4, 29, 16), 16, seed=1)
    for causal in (False, True):
        theirs = keras.ops.dot_product_attention(*(np.transpose(x, (0, 2, 1, 3)) for x in (q, k, v)),
                                                 is_causal=causal)
        ours = blockwise_attention(q, k, v, block_size=6, causal=causal)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(ours),
                                   np.transpose(keras.ops.convert_to_numpy(theirs), (0, 2, 1, 3)), atol=2e-5)


@pytest.mark.backend_neutral
def test_cross_attention_lengths_and_large_scores_stay_exact():
    # T != S (no mask), and scores large enough that exp without the running max would overflow
    q, k, v = _qkv((3, 11, 4), (3, 26, 4), 2, seed=2, scale=30.0)
    ours = keras.ops.convert_to_numpy(blockwise_attention(q, k, v, block_size=4, key_block_size=5))
    assert np.isfinite(ours).all()
    np.testing.assert_allclose(ours, _numpy_attention(q.astype(float), k.astype(float), v.astype(float)),
                               atol=1e-4)


@pytest.mark.backend_neutral
def test_no_score_matrix_larger_than_one_block_is_formed(monkeypatch):
    """Instrument keras.ops.matmul: every product the function forms is at most block x block."""
    shapes, matmul = [], keras.ops.matmul

    def recording(a, b):
        out = matmul(a, b)
        shapes.append(tuple(out.shape))
        return out

    monkeypatch.setattr(keras.ops, "matmul", recording)
    T, block = 96, 16
    q, k, v = _qkv((1, 2, T, 8), (1, 2, T, 8), 8, seed=3)
    out, stats = blockwise_attention(q, k, v, block_size=block, causal=True, return_stats=True)
    monkeypatch.undo()
    assert stats["largest_score_block"] == (block, block)
    scores = [s for s in shapes if s[-1] != 8]  # the P V products end in d_v = 8
    assert scores and all(s[-2:] == (block, block) for s in scores)
    assert max(math.prod(s[-2:]) for s in shapes) == block * block < T * T
    # causal: only the tiles on or below the diagonal, n (n + 1) / 2 of the n x n grid
    n = T // block
    assert stats["score_blocks"] == len(scores) == n * (n + 1) // 2
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), _numpy_attention(q, k, v, True), atol=2e-5)
    _, full = blockwise_attention(q, k, v, block_size=block, return_stats=True)
    assert full["score_blocks"] == n * n


@pytest.mark.backend_neutral
def test_blockwise_attention_rejects_bad_arguments():
    q = np.zeros((4, 3), "float32")
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        blockwise_attention(q, q, q, block_size=0)
    with pytest.raises(ValueError, match="query and key need the same d_k"):
        blockwise_attention(q, np.zeros((4, 2), "float32"), q)
    with pytest.raises(ValueError, match="of one rank"):
        blockwise_attention(q, q[None], q)


@pytest.mark.backend_neutral
def test_attention_flops_match_a_hand_count():
    # T = 3, d_model = 4, 2 heads (d_k = 2). Projections: 4 products (3, 4) @ (4, 4), each
    # 3 * 4 * 4 multiply-adds = 48, so 4 * 2 * 48 = 384. Q K^T per head (3, 2) @ (2, 3): 18
    # multiply-adds, 36 FLOPs, 72 for 2 heads; A V per head (3, 3) @ (3, 2): 18 too, 72.
    assert attention_flops(3, 4, 2) == {"projections": 384, "scores": 72, "weighted_sum": 72, "total": 528}
    # the quadratic terms overtake the projections at T = 2 d_model
    at = attention_flops(128, 64, 4)
    assert at["scores"] + at["weighted_sum"] == at["projections"]


@pytest.mark.backend_neutral
def test_attention_flops_against_a_counted_numpy_forward_pass():
    """Count the multiply-adds of the products of one multi-head forward pass as they happen."""
    T, d, H = 10, 12, 3
    rng = np.random.default_rng(4)
    x = rng.normal(size=(T, d))
    counted = {"projections": 0, "scores": 0, "weighted_sum": 0}

    def product(kind, a, b):
        counted[kind] += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        return a @ b

    q, k, v = (product("projections", x, rng.normal(size=(d, d))) for _ in range(3))
    heads = []
    for h in range(H):
        part = slice(h * d // H, (h + 1) * d // H)
        scores = product("scores", q[:, part], k[:, part].T)
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        heads.append(product("weighted_sum", weights / weights.sum(-1, keepdims=True), v[:, part]))
    product("projections", np.concatenate(heads, axis=1), rng.normal(size=(d, d)))
    assert attention_flops(T, d, H) == {**counted, "total": sum(counted.values())}


def _slope(xs, ys):
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


@pytest.mark.backend_neutral
def test_log_log_slopes_quadratic_against_linear():
    lengths = 2 ** np.arange(12, 17)  # T >> d_model: the T^2 terms dominate the total
    flops = [attention_flops(int(T), 64, 4) for T in lengths]
    assert _slope(lengths, [f["scores"] for f in flops]) == pytest.approx(2.0, abs=1e-9)
    assert _slope(lengths, [f["projections"] for f in flops]) == pytest.approx(1.0, abs=1e-9)
    assert 1.9 < _slope(lengths, [f["total"] for f in flops]) < 2.0
    standard = [attention_memory(int(T), 64, 4)["total"] for T in lengths]
    blockwise = [attention_memory(int(T), 64, 4, block_size=128)["total"] for T in lengths]
    assert 1.9 < _slope(lengths, standard) < 2.0
    assert 0.95 < _slope(lengths, blockwise) <= 1.0  # linear (the one tile is a constant)


@pytest.mark.backend_neutral
def test_attention_memory_hand_count():
    # T = 8, d_model = 4, 2 heads, float32: Q, K, V, output 4 * 8 * 4 elements = 512 bytes;
    # weights 2 * 8 * 8 = 128 elements = 512 bytes; block-wise with blocks of 2: 2 tiles 2 x 2
    # (32 bytes) and a running max and sum per head and row, 2 * 2 * 8 = 32 elements = 128 bytes
    assert attention_memory(8, 4, 2) == {"activations": 512, "scores": 512, "running_statistics": 0, "total": 1024}
    assert attention_memory(8, 4, 2, block_size=2) == {"activations": 512, "scores": 32, "running_statistics": 128,
                                                       "total": 672}
    assert attention_memory(8, 4, 2, bytes_per_element=2)["total"] == 512
    with pytest.raises(ValueError, match="d_model must be divisible by num_heads"):
        attention_flops(8, 6, 4)
