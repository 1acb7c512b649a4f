"""Chapter 8's model: RoPE, RMSNorm and the GPT, each against an independent oracle.

RoPE against keras_hub's RotaryEmbedding and against explicit 2x2 rotation matrices built in
numpy (the relative-offset property of the scores checked on those); RMSNorm against
keras.layers.RMSNormalization on shared weights; the whole GPT (learned positions, tanh GELU,
LayerNorm eps 1e-5, tied head) against keras_hub's GPT2Backbone built from a config on copied
weights; the key/value cache against recomputing the whole prefix; the parameter count
against `dlcourse.llm.scaling.parameter_count`'s closed form; and the exercises against
their library twins."""

import pathlib

import keras
import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.llm import GPT, RMSNormalization, RotaryEmbedding, apply_rope, rms_norm
from dlcourse.llm.gpt import CausalSelfAttention, GPTBlock, default_intermediate_dim, gelu_tanh
from dlcourse.llm.scaling import parameter_count
from dlcourse.nlp.transformer import TransformerDecoderBlock, TransformerEncoderBlock

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTER = "ch08_llm"


def _keras_hub():
    """keras_hub, imported inside the tests that need it (see tests/test_nlp_transformer.py)."""
    import keras_hub

    return keras_hub


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _randomize(layer, rng, scale=0.3):
    for weight in layer.weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32") * scale)


# --- RoPE -------------------------------------------------------------------------------------

def _rotation_matrix(position, depth, base=10000.0):
    """Block-diagonal R(m): one 2x2 rotation by m theta_i on features (2i, 2i + 1) (the paper's pairs)."""
    matrix = np.zeros((depth, depth))
    for i in range(depth // 2):
        angle = position * base ** (-2 * i / depth)
        c, s = np.cos(angle), np.sin(angle)
        matrix[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, -s], [s, c]]
    return matrix


def _halves_order(depth):
    """The permutation taking the paper's pair order (0, 1), (2, 3), ... to halves (0, d/2), (1, d/2 + 1)..."""
    half = depth // 2
    return np.stack([np.arange(half), np.arange(half) + half], axis=1).reshape(-1)


@pytest.mark.parametrize("shape, start", [((2, 7, 8), 0), ((2, 5, 3, 6), 4)])
def test_rope_matches_keras_hub_rotary_embedding(shape, start):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    theirs = _keras_hub().layers.RotaryEmbedding(max_wavelength=10000)
    np.testing.assert_allclose(_numpy(apply_rope(x, start_index=start)), _numpy(theirs(x, start_index=start)),
                               atol=1e-5)
    positions = np.array([[3, 1, 4, 1, 5][: shape[1]] + [9] * (shape[1] - 5)] * shape[0])
    np.testing.assert_allclose(_numpy(RotaryEmbedding(max_wavelength=500)(x, positions=positions)),
                               _numpy(_keras_hub().layers.RotaryEmbedding(max_wavelength=500)(x, positions=positions)),
                               atol=1e-5)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("depth", [2, 8])
def test_rope_is_the_rotation_matrices_in_both_pairings(depth):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 6, depth))
    expected = np.stack([_rotation_matrix(m, depth) @ x[0, m] for m in range(6)])[None]
    np.testing.assert_allclose(_numpy(apply_rope(x.astype("float32"), pairing="interleaved")), expected, atol=1e-5)
    order = _halves_order(depth)  # interleaved feature j sits at halves feature order[j]
    halves = _numpy(apply_rope(x[..., order.argsort()].astype("float32")))
    np.testing.assert_allclose(halves[..., order], expected, atol=1e-5)


@pytest.mark.backend_neutral
def test_rope_scores_depend_only_on_the_offset():
    """(R(m) q) . (R(n) k) = q . R(n - m) k: shifting both positions leaves every score unchanged."""
    rng = np.random.default_rng(2)
    depth = 8
    q, k = rng.normal(size=depth), rng.normal(size=depth)
    for m, n, shift in [(0, 3, 5), (7, 2, 11), (4, 4, 100)]:
        by_matrices = (_rotation_matrix(m, depth) @ q) @ (_rotation_matrix(n, depth) @ k)
        shifted = (_rotation_matrix(m + shift, depth) @ q) @ (_rotation_matrix(n + shift, depth) @ k)
        relative = q @ (_rotation_matrix(n - m, depth) @ k)
        np.testing.assert_allclose([by_matrices, shifted], [relative, relative], atol=1e-9)
        for pairing in ("interleaved", "halves"):
            pair = np.stack([q, k])[None].astype("float32")  # (1, 2, d): q and k as one "sequence"
            a = _numpy(apply_rope(pair, positions=np.array([m, n]), pairing=pairing))[0]
            b = _numpy(apply_rope(pair, positions=np.array([m + shift, n + shift]), pairing=pairing))[0]
            np.testing.assert_allclose(b[0] @ b[1], a[0] @ a[1], atol=1e-4)
            if pairing == "interleaved":
                np.testing.assert_allclose(a[0] @ a[1], relative, atol=1e-4)


@pytest.mark.backend_neutral
def test_rope_rejects_bad_arguments():
    with pytest.raises(ValueError, match="even"):
        apply_rope(np.ones((1, 2, 3), dtype="float32"))
    with pytest.raises(ValueError, match="pairing"):
        RotaryEmbedding(pairing="neighbours")
    with pytest.raises(ValueError, match="max_wavelength"):
        RotaryEmbedding(max_wavelength=1)
    layer = RotaryEmbedding(max_wavelength=77, pairing="interleaved")
    assert RotaryEmbedding.from_config(layer.get_config()).get_config() == layer.get_config()


# --- RMSNorm ----------------------------------------------------------------------------------

def test_rms_norm_matches_keras_rms_normalization():
    rng = np.random.default_rng(3)
    x = (rng.normal(size=(2, 5, 6)) * 3 + 1).astype("float32")
    ours, theirs = RMSNormalization(epsilon=1e-5), keras.layers.RMSNormalization(epsilon=1e-5)
    ours(x), theirs(x)
    gain = rng.normal(size=6).astype("float32")
    ours.set_weights([gain]), theirs.set_weights([gain])
    np.testing.assert_allclose(_numpy(ours(x)), _numpy(theirs(x)), atol=1e-5)
    by_hand = gain * x / np.sqrt((x.astype(float) ** 2).mean(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(_numpy(rms_norm(x, gain, 1e-5)), by_hand, atol=1e-5)
    with pytest.raises(ValueError, match="epsilon"):
        RMSNormalization(epsilon=0)


def test_rms_is_a_registered_normalization_of_the_blocks():
    block = TransformerEncoderBlock(8, 2, normalization="rms", normalize_first=True)
    block(keras.ops.ones((1, 3, 4)))
    assert isinstance(block.feed_forward_norm, RMSNormalization)
    assert TransformerEncoderBlock.from_config(block.get_config()).normalization == "rms"


# --- the GPT against keras_hub's GPT2Backbone -------------------------------------------------

def _copy_gpt2(backbone, model):
    model.embedding.tokens.set_weights(backbone.token_embedding.get_weights())
    model.embedding.positions.set_weights(backbone.position_embedding.get_weights())
    for theirs, ours in zip(backbone.transformer_layers, model.blocks):
        ours.self_attention.set_weights(theirs._self_attention_layer.get_weights())
        ours.self_attention_norm.set_weights(theirs._self_attention_layer_norm.get_weights())
        ours.feed_forward_norm.set_weights(theirs._feedforward_layer_norm.get_weights())
        ours.feed_forward.set_weights(theirs._feedforward_intermediate_dense.get_weights()
                                      + theirs._feedforward_output_dense.get_weights())
    model.final_norm.set_weights(backbone.layer_norm.get_weights())


def test_gpt_matches_keras_hub_gpt2_backbone_on_shared_weights():
    rng = np.random.default_rng(4)
    config = dict(vocabulary_size=40, num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=48)
    backbone = _keras_hub().models.GPT2Backbone(**config, dropout=0.0, max_sequence_length=24)
    _randomize(backbone, rng)
    model = GPT(40, max_length=24, hidden_dim=16, num_layers=2, num_heads=2, intermediate_dim=48,
                gelu_approximate=True, layer_norm_epsilon=1e-5, tie_weights=True)
    ids = rng.integers(40, size=(3, 11)).astype("int32")
    model(ids)
    assert len(model.weights) == len(backbone.weights)
    _copy_gpt2(backbone, model)
    theirs = backbone({"token_ids": ids, "padding_mask": np.ones_like(ids)})
    np.testing.assert_allclose(_numpy(model.hidden_states(ids)), _numpy(theirs), atol=1e-4)
    their_logits = _numpy(backbone.token_embedding(theirs, reverse=True))  # h E^T
    np.testing.assert_allclose(_numpy(model(ids)), their_logits, atol=1e-4)
    # the exact GELU is a different function: the tanh option is what matches GPT-2
    exact = GPT.from_config({**model.get_config(), "gelu_approximate": False})
    exact(ids)
    exact.set_weights(model.get_weights())
    assert np.abs(_numpy(exact(ids)) - their_logits).max() > 1e-4


@pytest.mark.backend_neutral
def test_gelu_tanh_is_the_formula():
    x = np.linspace(-4, 4, 9)
    by_hand = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(_numpy(gelu_tanh(keras.ops.convert_to_tensor(x))), by_hand, atol=1e-6)


@pytest.mark.backend_neutral
def test_gpt_blocks_are_chapter_5s_pre_ln_decoder_block():
    rng = np.random.default_rng(5)
    h = rng.normal(size=(2, 5, 8)).astype("float32")
    ours = GPTBlock(16, 2, activation="gelu")
    chapter_5 = TransformerDecoderBlock(16, 2, activation="gelu", normalize_first=True, use_cross_attention=False)
    ours(h), chapter_5(h)
    _randomize(chapter_5, rng)
    ours.set_weights(chapter_5.get_weights())
    np.testing.assert_allclose(_numpy(ours(h)[0]), _numpy(chapter_5(h)), atol=1e-5)
    assert isinstance(ours.self_attention, CausalSelfAttention) and ours.normalize_first


OPTIONS = [
    dict(position_encoding="learned", feedforward="gelu", normalization="layer", tie_weights=True),
    dict(position_encoding="rope", feedforward="swiglu", normalization="rms", tie_weights=False),
    dict(position_encoding="rope", feedforward="gelu", normalization="layer", tie_weights=True),
]


def _small_gpt(**options):
    keras.utils.set_random_seed(0)
    return GPT(30, max_length=24, hidden_dim=16, num_layers=2, num_heads=2, **options)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("options", OPTIONS)
def test_kv_cache_gives_the_logits_of_the_whole_prefix(options):
    model = _small_gpt(**options)
    ids = np.random.default_rng(6).integers(30, size=(2, 9)).astype("int32")
    full = _numpy(model(ids))
    logits, cache = model.call_with_cache(ids[:, :4])  # the prompt at once, then one token a step
    pieces = [_numpy(logits)]
    for start, stop in [(4, 5), (5, 6), (6, 7), (7, 9)]:  # and a 2-token chunk at the end
        logits, cache = model.call_with_cache(ids[:, start:stop], cache, start_index=start)
        pieces.append(_numpy(logits))
    np.testing.assert_allclose(np.concatenate(pieces, axis=1), full, atol=1e-5)
    assert tuple(cache[0][0].shape) == (2, 2, 9, 8)
    np.testing.assert_array_equal(model.generate(ids[:, :3], 4), model.generate(ids[:, :3], 4, use_cache=False))


@pytest.mark.backend_neutral
@pytest.mark.parametrize("position_encoding", ["learned", "rope"])
def test_compiled_fixed_size_step_gives_the_logits_of_the_whole_prefix(position_encoding):
    model = _small_gpt(position_encoding=position_encoding)
    ids = np.random.default_rng(9).integers(30, size=(2, 10)).astype("int32")
    full = _numpy(model(ids))
    step = model._compiled_step("decode")
    caches = [np.zeros((2, 2, 16, 8), dtype="float32") for _ in range(4)]  # longer than the sequence
    for t in range(ids.shape[1]):
        logits, *caches = step.predict_on_batch([ids[:, t:t + 1], np.asarray(t, dtype="int32"), *caches])
        np.testing.assert_allclose(logits, full[:, t], atol=1e-5)
    assert step.traces == 1  # compiled: one trace serves every step
    tokens = model.generate(ids[:, :3], 5)
    np.testing.assert_array_equal(tokens, model.generate(ids[:, :3], 5, use_cache=False))
    sampler = lambda logits, rng: np.argmax(logits + rng.gumbel(size=logits.shape), axis=-1)  # noqa: E731
    np.testing.assert_array_equal(model.generate(ids[:, :3], 5, sampler=sampler, seed=1),
                                  model.generate(ids[:, :3], 5, sampler=sampler, seed=1, use_cache=False))


@pytest.mark.backend_neutral
def test_the_logits_are_causal_and_rope_sees_only_offsets():
    model = _small_gpt(position_encoding="rope")
    ids = np.random.default_rng(7).integers(30, size=(1, 10)).astype("int32")
    changed = ids.copy()
    changed[0, 6:] = (changed[0, 6:] + 1) % 30
    np.testing.assert_allclose(_numpy(model(changed))[:, :6], _numpy(model(ids))[:, :6], atol=1e-5)
    # RoPE: a sequence decoded from position 7 on gives the same logits as from position 0
    fresh = _numpy(model.call_with_cache(ids)[0])
    ours = model.blocks[0].self_attention
    x = keras.ops.convert_to_tensor(np.random.default_rng(8).normal(size=(1, 4, 16)).astype("float32"))
    np.testing.assert_allclose(_numpy(ours(x, start_index=7)[0]), _numpy(ours(x)[0]), atol=1e-5)
    np.testing.assert_allclose(fresh, _numpy(model(ids)), atol=1e-5)


@pytest.mark.backend_neutral
def test_generate_calls_the_sampler_with_numpy_logits_and_a_generator():
    model = _small_gpt()
    calls = []

    def sampler(logits, rng):
        calls.append((type(logits), logits.shape, type(rng)))
        return rng.integers(30, size=logits.shape[0]).astype("int32")

    prompt = np.array([[1, 2, 3], [4, 5, 6]])
    a = model.generate(prompt, 3, sampler=sampler, seed=3)
    b = model.generate(prompt, 3, sampler=sampler, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (2, 6) and a.dtype == np.int32 and (a[:, :3] == prompt).all()
    assert calls[0] == (np.ndarray, (2, 30), np.random.Generator)
    greedy = model.generate(prompt, 1)
    np.testing.assert_array_equal(greedy[:, 3], np.argmax(_numpy(model(prompt))[:, -1], axis=-1))
    assert model.generate(prompt[0], 2).shape == (5,)
    assert model.generate(prompt, 0).shape == (2, 3)


@pytest.mark.backend_neutral
def test_generate_stops_rows_at_eos():
    model = _small_gpt()
    prompt = np.array([[1, 2], [3, 4]])
    first = int(model.generate(prompt, 1)[0, -1])
    out = model.generate(prompt, 4, eos_id=first)
    assert (out[0, 2:] == first).all()
    with pytest.raises(ValueError, match="max_length"):
        model.generate(prompt, 30)
    with pytest.raises(ValueError, match="prompt_ids"):
        model.generate(np.zeros((1, 0), dtype=int), 2)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("options", OPTIONS + [dict(feedforward="swiglu", normalization="layer", tie_weights=True)])
def test_parameter_count_is_the_closed_form(options):
    model = _small_gpt(**options)
    model(np.zeros((1, 3), dtype="int32"))
    expected = parameter_count(30, hidden_dim=16, num_layers=2, intermediate_dim=model.intermediate_dim,
                               max_length=24, **options)
    assert model.count_params() == expected
    assert model.intermediate_dim == default_intermediate_dim(16, options["feedforward"])


@pytest.mark.backend_neutral
def test_gpt_config_round_trip_and_bad_options():
    model = _small_gpt(position_encoding="rope", normalization="rms", dropout=0.1, max_wavelength=500)
    ids = np.array([[3, 4, 5]], dtype="int32")
    model(ids)
    copy = GPT.from_config(model.get_config())
    copy(ids)
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(_numpy(copy(ids)), _numpy(model(ids)), atol=1e-6)
    for bad, match in [(dict(position_encoding="sinusoidal"), "position_encoding"), (dict(num_heads=3), "multiple"),
                       (dict(feedforward="relu"), "feedforward"), (dict(normalization="batch"), "normalization"),
                       (dict(dropout=1.0), "dropout")]:
        with pytest.raises(ValueError, match=match):
            GPT(10, hidden_dim=16, **{"num_heads": 2, **bad})
    with pytest.raises(ValueError, match="max_length"):
        GPT(10, max_length=4, hidden_dim=8, num_heads=2)(np.zeros((1, 5), dtype="int32"))


# --- the exercises against their library twins -----------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch08_{name}_solution")


def test_rope_solution_agrees_with_library():
    rope = _solution("rope").rope
    x = np.random.default_rng(9).normal(size=(5, 8))
    positions = np.array([0, 4, 9, 100, 2])
    ours = _numpy(apply_rope(x[None].astype("float32"), positions=positions, pairing="interleaved"))[0]
    np.testing.assert_allclose(rope(x, positions), ours, atol=1e-4)


def test_rms_norm_solution_agrees_with_library():
    rms = _solution("rms_norm").rms_norm
    x, g = np.random.default_rng(10).normal(size=(2, 3, 6)), np.random.default_rng(11).normal(size=6)
    np.testing.assert_allclose(rms(x, g, 1e-5), _numpy(rms_norm(x.astype("float32"), g.astype("float32"), 1e-5)),
                               atol=1e-5)


def _block_params(block):
    """Our GPTBlock's weights in the exercise's layout (heads side by side in the features)."""
    attention, d = block.self_attention, block.self_attention.projections["q"][0].shape[0]
    params = {}
    for name in "qkvo":
        kernel, bias = (_numpy(w) for w in attention.projections[name])
        params[f"W_{name}"] = kernel.reshape(d, d)
        params[f"b_{name}"] = bias.reshape(-1)
    params["gamma_1"], params["beta_1"] = (_numpy(w) for w in block.self_attention_norm.weights)
    params["gamma_2"], params["beta_2"] = (_numpy(w) for w in block.feed_forward_norm.weights)
    params["W_1"], params["b_1"], params["W_2"], params["b_2"] = block.feed_forward.get_weights()
    return params


def test_transformer_lm_block_solution_agrees_with_library():
    module = _solution("transformer_lm_block")
    rng = np.random.default_rng(12)
    x = rng.normal(size=(2, 5, 8)).astype("float32")
    block = GPTBlock(16, 4, activation=gelu_tanh)
    block(x)
    _randomize(block, rng)
    np.testing.assert_allclose(module.lm_block(x, _block_params(block), 4), _numpy(block(x)[0]), atol=1e-4)


def test_kv_cache_decoding_solution_agrees_with_library():
    module = _solution("kv_cache_decoding")
    rng = np.random.default_rng(13)
    x = rng.normal(size=(6, 4))
    attention = CausalSelfAttention(1, 3, use_bias=False)
    attention(x[None].astype("float32"))
    w_q, w_k, w_v, w_o = (_numpy(w) for w in attention.weights)
    ours = _numpy(attention(x[None].astype("float32"))[0])[0] @ np.linalg.pinv(w_o.reshape(3, 4))
    np.testing.assert_allclose(module.decode_with_cache(x, w_q[:, 0], w_k[:, 0], w_v[:, 0]), ours, atol=1e-4)
