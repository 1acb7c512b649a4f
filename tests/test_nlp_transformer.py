"""Chapter 5's Transformer: position encodings, masks, multi-head attention, the blocks and the
encoder-decoder model, each against an independent oracle (keras_hub's SinePositionEncoding,
PositionEmbedding, TransformerEncoder and TransformerDecoder, keras.layers.MultiHeadAttention,
the formula written out by hand), the model trained to a stated held-out BLEU, and the
exercises tied to their library twins."""

import doctest
import math
import pathlib

import keras
import numpy as np
import pytest

import dlcourse.nlp.attention as attention_module
from dlcourse.grading.probe import load_module
from dlcourse.nlp import attention, positional, transformer
from dlcourse.nlp.attention import MultiHeadAttention, attention_mask, padding_mask
from dlcourse.nlp.positional import LearnedPositionEmbedding, SinusoidalPositionEncoding, sinusoidal_position_encoding
from dlcourse.nlp.pretraining import apply_bert_masking
from dlcourse.nlp.transformer import (
    FeedForward,
    Transformer,
    TransformerDecoderBlock,
    TransformerDecoderStack,
    TransformerEncoderBlock,
    TransformerEncoderStack,
)


def _keras_hub():
    """keras_hub, imported when a test needs it: importing it (with tensorflow_text) resolves
    `tf.keras` to Keras 3 for the whole process, so importing it when pytest collects this file
    would stop TF-GNN, which needs Keras 2 there, from loading in the GNN tests that run first."""
    import keras_hub

    return keras_hub


ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTER = "ch05_nlp"


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _randomize(layer, rng, scale=0.3):
    for weight in layer.weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32") * scale)


@pytest.mark.parametrize("module", [positional, attention, transformer])
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


# --- position encodings -----------------------------------------------------------------------

def _by_hand(length, depth, max_wavelength=10000.0, start=0):
    """The formula of Vaswani et al. written out term by term."""
    table = np.zeros((length, depth))
    for t in range(length):
        for i in range(depth):
            angle = (start + t) / max_wavelength ** (2 * (i // 2) / depth)
            table[t, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
    return table


@pytest.mark.backend_neutral
@pytest.mark.parametrize("length, depth", [(1, 1), (7, 5), (30, 16)])
def test_sinusoidal_encoding_matches_the_formula(length, depth):
    np.testing.assert_allclose(sinusoidal_position_encoding(length, depth), _by_hand(length, depth), atol=1e-12)
    np.testing.assert_allclose(sinusoidal_position_encoding(length, depth, max_wavelength=50, start=3),
                               _by_hand(length, depth, 50.0, start=3), atol=1e-12)


@pytest.mark.parametrize("depth, start", [(8, 0), (9, 4)])
def test_sinusoidal_layer_matches_keras_hub(depth, start):
    x = keras.ops.zeros((2, 11, depth))
    ours = _numpy(SinusoidalPositionEncoding()(x, start_index=start))
    theirs = _numpy(_keras_hub().layers.SinePositionEncoding()(x, start_index=start))
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    np.testing.assert_allclose(ours[0], sinusoidal_position_encoding(11, depth, start=start), atol=1e-5)


def test_learned_position_embedding_matches_keras_hub():
    rng = np.random.default_rng(0)
    x = keras.ops.zeros((3, 6, 4))
    ours, theirs = LearnedPositionEmbedding(10), _keras_hub().layers.PositionEmbedding(sequence_length=10)
    ours(x), theirs(x)
    table = rng.normal(size=(10, 4)).astype("float32")
    ours.set_weights([table]), theirs.set_weights([table])
    np.testing.assert_allclose(_numpy(ours(x)), _numpy(theirs(x)), atol=1e-7)
    np.testing.assert_allclose(_numpy(ours(x, start_index=2))[0], table[2:8], atol=1e-7)
    with pytest.raises(ValueError, match="max_length"):
        LearnedPositionEmbedding(4)(x)


@pytest.mark.parametrize("bad, match", [
    (lambda: sinusoidal_position_encoding(0, 4), "length"),
    (lambda: SinusoidalPositionEncoding(max_wavelength=1), "max_wavelength"),
    (lambda: LearnedPositionEmbedding(0), "max_length"),
])
def test_position_encodings_reject_bad_arguments(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()


# --- masks ------------------------------------------------------------------------------------

@pytest.mark.backend_neutral
def test_padding_and_causal_masks_by_hand():
    ids = np.array([[5, 6, 7, 0], [8, 0, 0, 0]])
    np.testing.assert_array_equal(_numpy(padding_mask(ids)), ids != 0)
    np.testing.assert_array_equal(_numpy(padding_mask(ids, pad_id=6)), ids != 6)
    keys = _numpy(attention_mask(padding_mask(ids)))
    assert keys.shape == (2, 1, 4)
    both = _numpy(attention_mask(padding_mask(ids), causal=True))
    expected = (ids[:, None, :] != 0) & np.tril(np.ones((4, 4), dtype=bool))
    np.testing.assert_array_equal(both, expected)
    queries = _numpy(attention_mask(padding_mask(ids), query_padding_mask=padding_mask(ids)))
    np.testing.assert_array_equal(queries, (ids[:, None, :] != 0) & (ids[:, :, None] != 0))
    np.testing.assert_array_equal(_numpy(attention_mask(causal=True, query_length=2))[0], [[1, 0], [1, 1]])
    assert attention_mask() is None
    with pytest.raises(ValueError, match="query_length"):
        attention_mask(causal=True)


# --- multi-head attention ---------------------------------------------------------------------

def _mha_pair(rng, num_heads, key_dim, query, value, **options):
    keras_options = {("output_shape" if key == "output_dim" else key): value for key, value in options.items()}
    theirs = keras.layers.MultiHeadAttention(num_heads, key_dim, **keras_options)
    ours = MultiHeadAttention(num_heads, key_dim, **options)
    theirs(query, value), ours(query, value)
    _randomize(theirs, rng, 0.5)
    ours.set_weights(theirs.get_weights())
    return ours, theirs


@pytest.mark.backend_neutral
@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_self_attention_matches_keras(causal):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 8)).astype("float32")
    ids = np.array([[4, 5, 6, 7, 0, 0], [3] * 6])
    ours, theirs = _mha_pair(rng, 2, 3, x, x)
    mask = attention_mask(padding_mask(ids), causal=causal)
    a, wa = theirs(x, x, attention_mask=mask, return_attention_scores=True)
    b, wb = ours(x, x, attention_mask=mask, return_attention_scores=True)
    np.testing.assert_allclose(_numpy(b), _numpy(a), atol=1e-5)
    np.testing.assert_allclose(_numpy(wb), _numpy(wa), atol=1e-6)
    np.testing.assert_allclose(_numpy(ours(x, x, use_causal_mask=causal)),
                               _numpy(theirs(x, x, use_causal_mask=causal)), atol=1e-5)
    weights = _numpy(wb)
    assert weights.shape == (2, 2, 6, 6)
    assert np.all(weights[0, :, :, 4:] == 0)  # pad keys get exactly zero weight
    if causal:
        assert np.all(np.triu(weights, k=1) == 0)


def test_cross_attention_matches_keras_with_other_sizes():
    rng = np.random.default_rng(2)
    query, memory = rng.normal(size=(2, 3, 6)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    ours, theirs = _mha_pair(rng, 3, 2, query, memory, value_dim=5, output_dim=7)
    source = padding_mask(np.array([[1, 2, 0, 0, 0], [1, 2, 3, 4, 5]]))
    mask = attention_mask(source)
    np.testing.assert_allclose(_numpy(ours(query, memory, attention_mask=mask)),
                               _numpy(theirs(query, memory, attention_mask=mask)), atol=1e-5)
    assert tuple(ours(query, memory).shape) == (2, 3, 7)


@pytest.mark.backend_neutral
def test_keras_masks_of_embedded_inputs_agree_on_real_queries():
    """After Embedding(mask_zero=True) both layers read the Keras masks themselves. Keras' two
    code paths disagree on pad queries (fully masked rows), so only real queries are compared."""
    rng = np.random.default_rng(3)
    ids = np.array([[4, 5, 6, 0, 0], [7, 8, 9, 4, 0]])
    embedded = keras.layers.Embedding(10, 6, mask_zero=True)(ids)
    ours, theirs = _mha_pair(rng, 2, 3, embedded, embedded)
    real = ids != 0
    np.testing.assert_allclose(_numpy(ours(embedded, embedded))[real], _numpy(theirs(embedded, embedded))[real],
                               atol=1e-5)


def test_multi_head_attention_uses_chapter_3s_attention(monkeypatch):
    calls = []
    original = attention_module.scaled_dot_product_attention

    def spy(*args, **kwargs):
        calls.append(args[0].shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(attention_module, "scaled_dot_product_attention", spy)
    MultiHeadAttention(4, 2)(keras.ops.ones((3, 5, 8)), keras.ops.ones((3, 5, 8)))
    assert calls == [(3, 4, 5, 2)]  # all heads at once, as (batch, heads, T, key_dim)


def test_attention_dropout_acts_only_in_training():
    x = keras.ops.ones((2, 4, 8)) + keras.random.normal((2, 4, 8), seed=0)
    layer = MultiHeadAttention(2, 4, dropout=0.5, seed=1)
    np.testing.assert_allclose(_numpy(layer(x, x)), _numpy(layer(x, x, training=False)))
    assert not np.allclose(_numpy(layer(x, x, training=True)), _numpy(layer(x, x)))


@pytest.mark.backend_neutral
def test_multi_head_attention_config_round_trip():
    layer = MultiHeadAttention(3, 4, value_dim=2, output_dim=5, use_bias=False, dropout=0.1, seed=3)
    x = keras.ops.ones((1, 2, 6))
    layer(x, x)
    copy = MultiHeadAttention.from_config(layer.get_config())
    copy(x, x)
    copy.set_weights(layer.get_weights())
    np.testing.assert_allclose(_numpy(copy(x, x)), _numpy(layer(x, x)))
    assert len(layer.weights) == 4  # no biases
    with pytest.raises(ValueError, match="dropout"):
        MultiHeadAttention(2, 2, dropout=1.0)


# --- the blocks, against keras_hub ------------------------------------------------------------

def _copy_encoder_block(theirs, ours):
    ours.self_attention.set_weights(theirs._self_attention_layer.get_weights())
    ours.self_attention_norm.set_weights(theirs._self_attention_layer_norm.get_weights())
    ours.feed_forward_norm.set_weights(theirs._feedforward_layer_norm.get_weights())
    ours.feed_forward.set_weights(theirs._feedforward_intermediate_dense.get_weights()
                                  + theirs._feedforward_output_dense.get_weights())


def _copy_decoder_block(theirs, ours):
    ours.self_attention.set_weights(theirs._self_attention_layer.get_weights())
    ours.self_attention_norm.set_weights(theirs._self_attention_layer_norm.get_weights())
    if ours.use_cross_attention:
        ours.cross_attention.set_weights(theirs._cross_attention_layer.get_weights())
        ours.cross_attention_norm.set_weights(theirs._cross_attention_layer_norm.get_weights())
    ours.feed_forward_norm.set_weights(theirs._feedforward_layer_norm.get_weights())
    ours.feed_forward.set_weights(theirs._feedforward_intermediate_dense.get_weights()
                                  + theirs._feedforward_output_dense.get_weights())


@pytest.mark.parametrize("normalize_first", [False, True])
def test_encoder_block_matches_keras_hub(normalize_first):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 6, 8)).astype("float32")
    padding = np.array([[1, 1, 1, 1, 0, 0], [1] * 6], dtype=bool)
    theirs = _keras_hub().layers.TransformerEncoder(16, 2, activation="gelu", normalize_first=normalize_first)
    ours = TransformerEncoderBlock(16, 2, activation="gelu", normalize_first=normalize_first)
    theirs(x), ours(x)
    assert len(ours.weights) == len(theirs.weights) == 16
    _randomize(theirs, rng)
    _copy_encoder_block(theirs, ours)
    a, wa = theirs(x, padding_mask=padding, return_attention_scores=True)
    b, wb = ours(x, padding_mask=padding, return_attention_scores=True)
    np.testing.assert_allclose(_numpy(b), _numpy(a), atol=1e-5)
    np.testing.assert_allclose(_numpy(wb), _numpy(wa), atol=1e-6)


@pytest.mark.parametrize("normalize_first", [False, True])
def test_decoder_block_matches_keras_hub(normalize_first):
    rng = np.random.default_rng(5)
    y, z = rng.normal(size=(2, 4, 8)).astype("float32"), rng.normal(size=(2, 6, 8)).astype("float32")
    target = np.array([[1, 1, 1, 0], [1] * 4], dtype=bool)
    source = np.array([[1, 1, 0, 0, 0, 0], [1] * 6], dtype=bool)
    theirs = _keras_hub().layers.TransformerDecoder(16, 2, normalize_first=normalize_first)
    ours = TransformerDecoderBlock(16, 2, normalize_first=normalize_first)
    theirs(y, z), ours(y, z)
    _randomize(theirs, rng)
    _copy_decoder_block(theirs, ours)
    a = theirs(y, z, decoder_padding_mask=target, encoder_padding_mask=source)
    b, weights = ours(y, z, decoder_padding_mask=target, encoder_padding_mask=source, return_attention_scores=True)
    np.testing.assert_allclose(_numpy(b), _numpy(a), atol=1e-5)
    self_weights, cross_weights = _numpy(weights["self_attention"]), _numpy(weights["cross_attention"])
    assert np.all(np.triu(self_weights, k=1) == 0) and np.all(cross_weights[0, :, :, 2:] == 0)


def test_decoder_block_without_cross_attention_matches_keras_hub_decoder_only():
    rng = np.random.default_rng(6)
    y = rng.normal(size=(3, 5, 8)).astype("float32")
    theirs = _keras_hub().layers.TransformerDecoder(12, 4)
    ours = TransformerDecoderBlock(12, 4, use_cross_attention=False)
    theirs(y), ours(y)
    _randomize(theirs, rng)
    _copy_decoder_block(theirs, ours)
    np.testing.assert_allclose(_numpy(ours(y)), _numpy(theirs(y)), atol=1e-5)
    with pytest.raises(ValueError, match="no cross-attention"):
        ours(y, y)
    with pytest.raises(ValueError, match="encoder_sequence"):
        TransformerDecoderBlock(12, 4)(y)


@pytest.mark.backend_neutral
def test_feed_forward_and_its_gated_form_by_hand():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    plain, gated = FeedForward(6), FeedForward(6, activation="silu", gated=True)
    plain(x), gated(x)
    w1, b1, w2, b2 = plain.get_weights()
    np.testing.assert_allclose(_numpy(plain(x)), np.maximum(x @ w1 + b1, 0) @ w2 + b2, atol=1e-5)
    w1, b1, w3, b3, w2, b2 = gated.get_weights()
    silu = lambda a: a / (1 + np.exp(-a))  # noqa: E731
    np.testing.assert_allclose(_numpy(gated(x)), (silu(x @ w1 + b1) * (x @ w3 + b3)) @ w2 + b2, atol=1e-5)


def test_blocks_reject_bad_options():
    with pytest.raises(ValueError, match="normalization"):
        TransformerEncoderBlock(8, 2, normalization="batch_norm")
    with pytest.raises(ValueError, match="num_heads"):
        TransformerEncoderBlock(8, 4)(keras.ops.ones((1, 2, 2)))
    with pytest.raises(ValueError, match="multiple of num_heads"):
        Transformer(10, 10, d_model=10, num_heads=4)


def test_a_registered_normalization_replaces_layer_norm():
    """Chapter 8's hook: a normalization registered by name is used by every block."""
    transformer.register_normalization(
        "test_rms_norm", lambda epsilon, name: keras.layers.RMSNormalization(epsilon=epsilon, name=name))
    try:
        block = TransformerEncoderBlock(8, 2, normalization="test_rms_norm", normalize_first=True)
        block(keras.ops.ones((1, 3, 4)))
        assert isinstance(block.self_attention_norm, keras.layers.RMSNormalization)
        assert TransformerEncoderBlock.from_config(block.get_config()).normalization == "test_rms_norm"
    finally:
        transformer.NORMALIZATIONS.pop("test_rms_norm")


# --- the stacks and the model -----------------------------------------------------------------

def test_encoder_stack_padding_does_not_change_real_positions():
    """Masking: extra padding after a sentence leaves its real positions' states unchanged."""
    keras.utils.set_random_seed(0)
    encoder = TransformerEncoderStack(12, d_model=8, num_heads=2, num_layers=2)
    short, long = np.array([[4, 5, 6]]), np.array([[4, 5, 6, 0, 0, 0]])
    np.testing.assert_allclose(_numpy(encoder(long))[:, :3], _numpy(encoder(short)), atol=1e-5)
    decoder = TransformerDecoderStack(12, d_model=8, num_heads=2, num_layers=1, use_cross_attention=False)
    # causal: the states of a prefix do not depend on the tokens after it
    np.testing.assert_allclose(_numpy(decoder(np.array([[2, 7, 8, 9]])))[:, :2], _numpy(decoder(np.array([[2, 7]]))),
                               atol=1e-5)


@pytest.mark.parametrize("options", [{}, {"normalize_first": True, "position_encoding": "learned"},
                                     {"position_encoding": None}])
def test_transformer_config_and_decoding_agree(options):
    from dlcourse.nlp.decoding import beam_search, greedy_decode

    keras.utils.set_random_seed(1)
    model = Transformer(15, 12, d_model=8, num_heads=2, num_encoder_layers=1, num_decoder_layers=2, max_length=16,
                        **options)
    sources = np.array([[5, 6, 7, 8], [9, 4, 0, 0]])
    targets = np.array([[2, 5, 6], [2, 7, 0]])
    logits = _numpy(model((sources, targets)))
    assert logits.shape == (2, 3, 12)
    copy = Transformer.from_config(model.get_config())
    copy((sources, targets))
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(_numpy(copy({"source": sources, "target": targets})), logits, atol=1e-6)
    if options:
        return  # decoding does not depend on the options: checked once, eager calls are slow
    batched = model.greedy_translate(sources, bos_id=2, eos_id=3, max_length=4)
    row = sources[1]
    step = model.step_function(row[row != 0])
    assert list(greedy_decode(step, 2, 3, 4)[0].tokens) == batched[1]
    assert beam_search(step, 2, 3, beam_size=1, max_length=4).tokens == tuple(batched[1])


@pytest.mark.slow
def test_transformer_reaches_its_bleu_on_held_out_translations():
    """Trained seeded on 1024 toy pairs (source lengths 3 to 8; 16 batches of 64, so that no
    smaller last batch costs a second trace), greedy decoding of 200 held-out pairs reaches a
    corpus BLEU above 90 (it measured 97.8 when this test was written)."""
    from dlcourse.data.text import translation_pairs
    from dlcourse.nlp.bleu import corpus_bleu
    from dlcourse.nlp.seq2seq import MaskedSequenceCrossEntropy, translation_arrays
    from dlcourse.nlp.tokenizer import BOS_ID, EOS_ID, Vocabulary

    keras.utils.set_random_seed(0)
    train, test = translation_pairs(1024, 3, 8, seed=0), translation_pairs(200, 3, 8, seed=1)
    source_vocabulary = Vocabulary.build([s for s, _ in train])
    target_vocabulary = Vocabulary.build([t for _, t in train])
    inputs, targets = translation_arrays(train, source_vocabulary, target_vocabulary)
    model = Transformer(len(source_vocabulary), len(target_vocabulary), d_model=32, num_heads=4,
                        intermediate_dim=64, num_encoder_layers=1, num_decoder_layers=1, max_length=32, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=MaskedSequenceCrossEntropy())
    model.fit(inputs, targets, batch_size=64, epochs=10, verbose=0)
    sources = source_vocabulary.encode([s for s, _ in test])
    hypotheses = [target_vocabulary.decode([tokens])[0].split()
                  for tokens in model.greedy_translate(sources, BOS_ID, EOS_ID, max_length=20)]
    bleu = float(corpus_bleu(hypotheses, [[t.split()] for _, t in test]))
    assert bleu > 90.0, bleu


# --- the exercises and their library twins ----------------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch05_{name}_solution")


def test_positional_encoding_solution_agrees_with_library():
    solution = _solution("positional_encoding")
    for length, depth, wavelength in [(6, 8, 10000), (5, 7, 100)]:
        np.testing.assert_allclose(solution.sinusoidal_position_encoding(length, depth, wavelength),
                                   sinusoidal_position_encoding(length, depth, wavelength), atol=1e-12)
    x = np.random.default_rng(0).normal(size=(2, 5, 6))
    np.testing.assert_allclose(solution.add_position_encoding(x), x + _numpy(SinusoidalPositionEncoding()(x)),
                               atol=1e-5)


def _keras_layout(matrix, num_heads):
    """(d, H d_k) -> (d, H, d_k): the prompt's head h owns columns h d_k .. (h + 1) d_k - 1."""
    return matrix.reshape(matrix.shape[0], num_heads, -1)


def test_multi_head_attention_solution_agrees_with_library():
    solution = _solution("multi_head_attention")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 6))
    W_q, W_k, W_v, W_o = (rng.normal(size=(6, 6)) * 0.4 for _ in range(4))
    output, weights = solution.multi_head_self_attention(x, W_q, W_k, W_v, W_o, 3)
    layer = MultiHeadAttention(3, 2, use_bias=False)
    layer(x, x)
    layer.set_weights([_keras_layout(W_q, 3), _keras_layout(W_k, 3), _keras_layout(W_v, 3), W_o.reshape(3, 2, 6)])
    ours, ours_weights = layer(x.astype("float32"), x.astype("float32"), return_attention_scores=True)
    np.testing.assert_allclose(output, _numpy(ours), atol=1e-5)
    np.testing.assert_allclose(weights, _numpy(ours_weights), atol=1e-5)


def test_padding_and_causal_masks_solution_agrees_with_library():
    from dlcourse.sequence import scaled_dot_product_attention

    solution = _solution("padding_and_causal_masks")
    ids = np.array([[4, 9, 7, 0], [8, 0, 0, 0]])
    np.testing.assert_array_equal(solution.padding_mask(ids), _numpy(padding_mask(ids)))
    for causal in (False, True):
        library = np.broadcast_to(_numpy(attention_mask(padding_mask(ids), causal=causal)), (2, 4, 4))
        np.testing.assert_array_equal(solution.attention_mask(ids, causal=causal), library)
    rng = np.random.default_rng(2)
    q, k = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    mask = solution.attention_mask(ids, causal=True)
    _, library_weights = scaled_dot_product_attention(q, k, k, mask=mask)
    np.testing.assert_allclose(solution.masked_softmax(q @ k.transpose(0, 2, 1) / np.sqrt(3), mask),
                               _numpy(library_weights), atol=1e-6)


@pytest.mark.parametrize("normalize_first", [False, True])
def test_transformer_encoder_block_solution_agrees_with_library(normalize_first):
    solution = _solution("transformer_encoder_block")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 8)).astype("float32")
    padding = np.array([[1, 1, 1, 0, 0], [1] * 5], dtype=bool)
    block = TransformerEncoderBlock(16, 2, normalize_first=normalize_first)
    block(x)
    _randomize(block, rng)
    W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o = block.self_attention.get_weights()
    params = {"W_q": W_q.reshape(8, -1), "b_q": b_q.reshape(-1), "W_k": W_k.reshape(8, -1), "b_k": b_k.reshape(-1),
              "W_v": W_v.reshape(8, -1), "b_v": b_v.reshape(-1), "W_o": W_o.reshape(-1, 8), "b_o": b_o}
    params["gamma_1"], params["beta_1"] = block.self_attention_norm.get_weights()
    params["gamma_2"], params["beta_2"] = block.feed_forward_norm.get_weights()
    params["W_1"], params["b_1"], params["W_2"], params["b_2"] = block.feed_forward.get_weights()
    ours = solution.encoder_block(x, params, 2, padding=padding, normalize_first=normalize_first)
    np.testing.assert_allclose(ours, _numpy(block(x, padding_mask=padding)), atol=1e-4)


def test_cross_attention_solution_agrees_with_library():
    solution = _solution("cross_attention")
    rng = np.random.default_rng(4)
    y, z = rng.normal(size=(2, 3, 5)), rng.normal(size=(2, 6, 7))
    W_q, W_k, W_v = rng.normal(size=(5, 4)), rng.normal(size=(7, 4)), rng.normal(size=(7, 4))
    W_o = rng.normal(size=(4, 5))
    source = np.array([[1, 1, 1, 1, 0, 0], [1] * 6], dtype=bool)
    output, weights = solution.cross_attention(y, z, W_q, W_k, W_v, W_o, 2, source_padding=source)
    layer = MultiHeadAttention(2, 2, use_bias=False)
    layer(y, z)
    layer.set_weights([_keras_layout(W_q, 2), _keras_layout(W_k, 2), _keras_layout(W_v, 2), W_o.reshape(2, 2, 5)])
    ours, ours_weights = layer(y.astype("float32"), z.astype("float32"), attention_mask=attention_mask(source),
                               return_attention_scores=True)
    np.testing.assert_allclose(output, _numpy(ours), atol=1e-5)
    np.testing.assert_allclose(weights, _numpy(ours_weights), atol=1e-5)


def test_bert_masking_solution_agrees_with_library():
    solution = _solution("bert_masking")
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 40, size=(6, 20))
    draws = rng.random(ids.shape), rng.random(ids.shape), rng.integers(5, 40, size=ids.shape)
    for rate in (0.15, 0.6):
        expected = apply_bert_masking(ids, *draws, mask_id=4, special_ids=(0, 1, 2, 3), mask_rate=rate)
        for ours, theirs in zip(solution.bert_masking(ids, *draws, 4, (0, 1, 2, 3), mask_rate=rate), expected):
            np.testing.assert_array_equal(ours, theirs)
