"""The LSTM seq2seq: teacher forcing, masked padding, attention, decoding and its results.

Oracles: a functional model of plain Keras layers (Embedding, LSTM, Dense and
`keras.layers.Attention`) on the same weights; `keras.losses.SparseCategoricalCrossentropy(
ignore_class=0)` for the masked loss; a full teacher-forced forward pass for the step function.
Results (one seeded fit of each model, shared by the tests below): on
`dlcourse.data.text.translation_pairs` the plain model's BLEU falls with the source length (the
notes' "compressed middle state"), and the attention model, trained a third as long, beats it
on long inputs; BLEU against beam size is computed and plotted.
"""

import doctest

import keras
import matplotlib
import numpy as np
import pytest

from dlcourse.data.text import translation_pairs
from dlcourse.grading.probe import load_module
from dlcourse.nlp import plots, seq2seq
from dlcourse.nlp.bleu import corpus_bleu
from dlcourse.nlp.decoding import beam_search, greedy_decode
from dlcourse.nlp.plots import plot_alignment, plot_bleu_by_beam_size
from dlcourse.nlp.seq2seq import (
    MaskedSequenceCrossEntropy,
    Seq2Seq,
    masked_sequence_cross_entropy,
    teacher_forcing_inputs,
    translation_arrays,
)
from dlcourse.nlp.tokenizer import BOS_ID, EOS_ID, Vocabulary
from inprocess import ROOT

matplotlib.use("Agg")

SOURCE_V, TARGET_V = 11, 13


def _batch(rng, batch=3, source_length=6, target_length=5):
    """Ids padded on the right (row 0 unpadded), decoder inputs starting with <bos>."""
    source = rng.integers(4, SOURCE_V, size=(batch, source_length))
    decoder = rng.integers(4, TARGET_V, size=(batch, target_length))
    decoder[:, 0] = BOS_ID
    for b in range(1, batch):
        source[b, rng.integers(2, source_length):] = 0
        decoder[b, rng.integers(2, target_length):] = 0
    return source.astype("int32"), decoder.astype("int32")


def _model(attention, cell="keras", seed=0):
    model = Seq2Seq(SOURCE_V, TARGET_V, embedding_dim=5, units=6, attention=attention, cell=cell, seed=seed)
    model(_batch(np.random.default_rng(0)))
    return model


def _functional_twin(model):
    """The same network from plain Keras layers; `keras.layers.Attention` (dot scores) is the
    oracle of the attention, with the query divided by sqrt(units) beforehand."""
    units, dim = model.units, model.embedding_dim
    twins = {"source_embedding": keras.layers.Embedding(SOURCE_V, dim),
             "encoder": keras.layers.LSTM(units, return_sequences=True, return_state=True),
             "target_embedding": keras.layers.Embedding(TARGET_V, dim),
             "decoder": keras.layers.LSTM(units, return_sequences=True, return_state=True),
             "query_projection": keras.layers.Dense(units, use_bias=False),
             "combine": keras.layers.Dense(units, activation="tanh"),
             "output_projection": keras.layers.Dense(TARGET_V)}
    source, decoder = keras.Input((None,), dtype="int32"), keras.Input((None,), dtype="int32")
    source_mask, decoder_mask = keras.ops.not_equal(source, 0), keras.ops.not_equal(decoder, 0)
    encoded, h, c = twins["encoder"](twins["source_embedding"](source), mask=source_mask)
    decoded, _, _ = twins["decoder"](twins["target_embedding"](decoder), initial_state=[h, c], mask=decoder_mask)
    outputs = decoded
    if model.attention:
        query = twins["query_projection"](decoded) / np.sqrt(units)
        context, weights = keras.layers.Attention()([query, encoded], mask=[decoder_mask, source_mask],
                                                    return_attention_scores=True)
        outputs = twins["combine"](keras.ops.concatenate([decoded, context], -1))
    logits = twins["output_projection"](outputs)
    twin = keras.Model([source, decoder], [logits, weights] if model.attention else logits)
    for name, layer in twins.items():
        if layer.built:
            layer.set_weights(getattr(model, name).get_weights())
    return twin


@pytest.mark.backend_neutral
@pytest.mark.parametrize("attention", [False, True])
def test_agrees_with_plain_keras_layers_on_shared_weights(attention):
    model = _model(attention)
    source, decoder = _batch(np.random.default_rng(1))
    twin = _functional_twin(model)
    real = decoder != 0
    if attention:
        logits, weights = model((source, decoder), return_attention=True)
        twin_logits, twin_weights = twin([source, decoder])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(weights)[real],
                                   keras.ops.convert_to_numpy(twin_weights)[real], rtol=1e-5, atol=1e-6)
    else:
        logits, twin_logits = model((source, decoder)), twin([source, decoder])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(logits)[real], keras.ops.convert_to_numpy(twin_logits)[real],
                               rtol=1e-5, atol=1e-5)


def test_dlcourse_lstm_cell_computes_the_same_model():
    keras_model, cell_model = _model(True, "keras"), _model(True, "dlcourse", seed=5)
    cell_model.set_weights(keras_model.get_weights())
    source, decoder = _batch(np.random.default_rng(2))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(cell_model((source, decoder))),
                               keras.ops.convert_to_numpy(keras_model((source, decoder))), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("attention", [False, True])
def test_padding_changes_nothing_and_gets_no_attention(attention):
    model = _model(attention)
    source, decoder = _batch(np.random.default_rng(3))
    padded_source = np.pad(source, ((0, 0), (0, 3)))
    padded_decoder = np.pad(decoder, ((0, 0), (0, 2)))
    logits = keras.ops.convert_to_numpy(model((source, decoder)))
    more = keras.ops.convert_to_numpy(model((padded_source, padded_decoder)))
    real = decoder != 0
    np.testing.assert_allclose(more[:, :decoder.shape[1]][real], logits[real], rtol=1e-5, atol=1e-6)
    if attention:
        _, weights = model((padded_source, padded_decoder), return_attention=True)
        weights = keras.ops.convert_to_numpy(weights)
        assert np.all(weights[np.broadcast_to((padded_source == 0)[:, None, :], weights.shape)] == 0.0)
        np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.backend_neutral
def test_masked_loss_is_keras_cross_entropy_with_ignore_class():
    rng = np.random.default_rng(4)
    _, targets = _batch(rng)
    logits = rng.normal(size=targets.shape + (TARGET_V,)).astype("float32")
    oracle = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(targets, logits)
    log_probs = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)
    by_hand = -np.take_along_axis(log_probs, targets[..., None], -1)[..., 0][targets != 0].mean()
    for ours in (MaskedSequenceCrossEntropy()(targets, logits), masked_sequence_cross_entropy(targets, logits)):
        assert float(ours) == pytest.approx(float(oracle), rel=1e-5) == pytest.approx(by_hand, rel=1e-5)


def test_teacher_forcing_inputs_and_translation_arrays():
    assert teacher_forcing_inputs(np.array([[7, 8, 3, 0], [9, 3, 0, 0]]), bos_id=2).tolist() == \
        [[2, 7, 8, 0], [2, 9, 0, 0]]
    pairs = translation_pairs(4, 3, 5, seed=0)
    source_vocab = Vocabulary.build([s for s, _ in pairs])
    target_vocab = Vocabulary.build([t for _, t in pairs])
    (source, decoder), targets = translation_arrays(pairs, source_vocab, target_vocab)
    assert source.shape[1] == max(len(s.split()) for s, _ in pairs)
    assert targets.shape[1] == max(len(t.split()) for _, t in pairs) + 1  # <eos>
    assert np.all(decoder[:, 0] == BOS_ID) and np.all(decoder[:, 1:][targets[:, 1:] != 0] == targets[:, :-1][targets[:, 1:] != 0])
    assert target_vocab.decode(targets) == [t for _, t in pairs]


@pytest.mark.parametrize("attention", [False, True])
def test_step_function_is_the_teacher_forced_forward_pass(attention):
    model = _model(attention)
    source = np.array([5, 6, 7, 8], dtype="int32")
    step = model.step_function(source)
    prefixes = np.array([[BOS_ID, 4, 9, 5], [BOS_ID, 4, 9, 6], [BOS_ID, 10, 11, 12]], dtype="int32")
    full = keras.ops.convert_to_numpy(model((np.repeat(source[None], 3, 0), prefixes)))
    expected = full - np.logaddexp.reduce(full, axis=-1, keepdims=True)
    np.testing.assert_allclose(step(prefixes), expected[:, -1], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(step(prefixes[:, :2]), expected[:, 1], rtol=1e-4, atol=1e-5)  # from the cache


def test_greedy_translate_is_greedy_decode_and_beam_of_one():
    model = _model(True)
    source, _ = _batch(np.random.default_rng(5))
    batch = model.translate(source, max_length=6)
    for row, tokens in zip(source, batch):
        step = model.step_function(row[row != 0])
        greedy = greedy_decode(step, BOS_ID, EOS_ID, 6)[0].tokens
        assert list(greedy[:len(tokens)]) == tokens and greedy[len(tokens):] in ((), (EOS_ID,))
        assert beam_search(step, BOS_ID, EOS_ID, 1, 6).tokens == greedy


def test_config_round_trip_and_bad_arguments(tmp_path):
    model = _model(True, "dlcourse")
    clone = Seq2Seq.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    model.save(tmp_path / "seq2seq.keras")
    loaded = keras.models.load_model(tmp_path / "seq2seq.keras")
    source, decoder = _batch(np.random.default_rng(6))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded((source, decoder))),
                               keras.ops.convert_to_numpy(model((source, decoder))), rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="cell must be"):
        Seq2Seq(5, 5, cell="gru")
    with pytest.raises(ValueError, match="units"):
        Seq2Seq(5, 5, units=0)
    with pytest.raises(ValueError, match="attention=True"):
        _model(False)(_batch(np.random.default_rng(0)), return_attention=True)


def test_doctests():
    for module in (seq2seq, plots):
        assert doctest.testmod(module).failed == 0


# --- results: one seeded fit of each model -----------------------------------------------------

SHORT, LONG = (3, 5), (8, 10)


@pytest.fixture(scope="module")
def trained():
    """A plain and an attention seq2seq on 1500 pairs (sources of 3-10 tokens); the plain one
    gets 12 epochs, the attention one 4, so that any advantage of attention is not more training."""
    train = translation_pairs(1500, 3, 10, seed=0)
    test = translation_pairs(150, 3, 10, seed=1)
    source_vocab = Vocabulary.build([s for s, _ in train])
    target_vocab = Vocabulary.build([t for _, t in train])
    (source, decoder), targets = translation_arrays(train, source_vocab, target_vocab)
    models = {}
    for attention, epochs in ((False, 12), (True, 4)):
        keras.utils.set_random_seed(0)
        model = Seq2Seq(len(source_vocab), len(target_vocab), embedding_dim=24, units=48, attention=attention,
                        seed=0)
        model.compile(optimizer=keras.optimizers.Adam(0.02), loss=MaskedSequenceCrossEntropy())
        model.fit((source, decoder), targets, batch_size=64, epochs=epochs, verbose=0)
        models["attention" if attention else "plain"] = model
    (test_source, _), _ = translation_arrays(test, source_vocab, target_vocab)
    return {"models": models, "test": test, "test_source": test_source, "source_vocab": source_vocab,
            "target_vocab": target_vocab}


def _bleu_by_length(trained, model):
    hypotheses = model.translate(trained["test_source"], max_length=22)
    out = {}
    for low, high in (SHORT, LONG):
        rows = [i for i, (s, _) in enumerate(trained["test"]) if low <= len(s.split()) <= high]
        out[(low, high)] = corpus_bleu([trained["target_vocab"].decode([hypotheses[i]])[0].split() for i in rows],
                                       [[trained["test"][i][1].split()] for i in rows]).score
    return out


def test_plain_bleu_falls_with_source_length_and_attention_fixes_it(trained):
    plain = _bleu_by_length(trained, trained["models"]["plain"])
    attention = _bleu_by_length(trained, trained["models"]["attention"])
    print(f"BLEU by source length {SHORT} / {LONG}: plain {plain[SHORT]:.1f} / {plain[LONG]:.1f}, "
          f"attention {attention[SHORT]:.1f} / {attention[LONG]:.1f}")
    assert plain[SHORT] > plain[LONG] + 15.0
    assert attention[LONG] > plain[LONG] + 25.0
    assert attention[LONG] > attention[SHORT] - 25.0


def test_alignment_heatmap_follows_the_reordering(trained):
    """Where the decoder writes a noun or an adjective, its attention peaks on that source word
    (most of the time): the alignment crosses where "big cat" becomes "gato grande"."""
    model, test = trained["models"]["attention"], trained["test"]
    source_vocab, target_vocab = trained["source_vocab"], trained["target_vocab"]
    from dlcourse.data.text import TRANSLATION_LEXICON

    back = {target: source for source, (target, _) in TRANSLATION_LEXICON.items()}
    pairs = test[:40]
    (source_ids, decoder), _ = translation_arrays(pairs, source_vocab, target_vocab)
    _, weights = model((source_ids, decoder), return_attention=True)
    weights = keras.ops.convert_to_numpy(weights)
    hits = total = 0
    for row, (source_text, target_text) in zip(weights, pairs):
        source_words = source_text.split()
        for t, word in enumerate(target_text.split()):
            if word in back and back[word] in source_words:
                total += 1
                hits += source_words[int(np.argmax(row[t]))] == back[word]
    assert hits / total > 0.5, f"{hits} of {total}"
    source_text, target_text = pairs[0]
    targets = target_text.split() + ["<eos>"]
    figure = plot_alignment(weights[0, :len(targets), :len(source_text.split())], source_text.split(), targets)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == targets


def test_bleu_against_beam_size(trained, tmp_path):
    """Beam search over the plain model's step function, beam sizes 1, 2 and 4 on 20 sentences:
    k = 1 is greedy `translate`, a wider beam finds translations at least as probable in sum."""
    test, target_vocab = trained["test"][:20], trained["target_vocab"]
    references = [[t.split()] for _, t in test]
    model = trained["models"]["plain"]
    greedy = model.translate(trained["test_source"][:20], max_length=22)
    sizes, bleu, log_probs = (1, 2, 4), [], []
    steps = [model.step_function(row[row != 0]) for row in trained["test_source"][:20]]  # caches shared by every k
    for k in sizes:
        best = [beam_search(step, BOS_ID, EOS_ID, k, 22) for step in steps]
        if k == 1:
            assert [list(h.tokens[:-1] if h.finished else h.tokens) for h in best] == greedy
        words = [target_vocab.decode([list(h.tokens)])[0].split() for h in best]
        bleu.append(corpus_bleu(words, references).score)
        log_probs.append(sum(h.log_prob for h in best))
    print("BLEU by beam size", dict(zip(sizes, np.round(bleu, 1))), "sum log P(y|x)", np.round(log_probs, 2))
    assert log_probs[2] >= log_probs[0] - 1e-6
    figure = plot_bleu_by_beam_size(sizes, {"seq2seq": bleu})
    figure.savefig(tmp_path / "bleu_by_beam_size.png")
    assert (tmp_path / "bleu_by_beam_size.png").stat().st_size > 0


# --- the exercise and its library twin ---------------------------------------------------------

def test_teacher_forcing_solution_agrees_with_the_library():
    solution = load_module(str(ROOT / "solutions" / "ch05_nlp" / "teacher_forcing_loss.py"), "solution_ch05_tf")
    rng = np.random.default_rng(7)
    _, targets = _batch(rng, batch=5, target_length=7)
    logits = rng.normal(size=targets.shape + (TARGET_V,)) * 3
    np.testing.assert_array_equal(solution.decoder_inputs(targets, BOS_ID, 0), teacher_forcing_inputs(targets, BOS_ID))
    nll, per_token = solution.sequence_nll(logits, targets, 0)
    assert per_token == pytest.approx(float(masked_sequence_cross_entropy(targets, logits)), rel=1e-6)
    assert nll.sum() / (targets != 0).sum() == pytest.approx(per_token)
