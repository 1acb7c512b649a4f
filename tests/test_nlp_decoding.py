"""Greedy decoding, beam search and exhaustive search agree with brute force and with keras_hub.

The "model" is a seeded random table: the next-token distribution is drawn from a generator
seeded by the whole prefix, so it depends on every earlier token (like a decoder) and is the
same at every call. Oracles: a brute-force enumeration with itertools (every complete sequence
scored token by token); beam search with k >= V^T equals exhaustive search, with and without
length normalisation; k = 1 equals greedy; and `keras_hub.samplers.BeamSampler`.

BeamSampler has no end token in its search: every beam runs to the full length, and a beam
that produced a stop token goes on being extended (it only stops the loop once every beam has
one). So it is compared (a) with `eos_id=None`, where both keep the k best of k*V extensions at
every step, beam for beam and log-probability for log-probability; and (b) with an end token on
a model where <eos> is absorbing (after <eos> the model puts probability 1 on <eos>): then a
finished beam keeps its score and its slot, which is exactly our rule that finished hypotheses
stay in the beam as they are. It has no length normalisation, so (b) uses none.
"""

import doctest
import itertools

import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.nlp import decoding
from dlcourse.nlp.decoding import beam_search, exhaustive_search, greedy_decode
from inprocess import ROOT

BOS = 0


class RandomModel:
    """log P(. | prefix) from a generator seeded by (seed, *prefix); optionally absorbing <eos>."""

    def __init__(self, vocabulary, seed, scale=2.0, absorbing_eos=None):
        self.vocabulary, self.seed, self.scale, self.absorbing_eos = vocabulary, seed, scale, absorbing_eos
        self.calls = 0

    def logits(self, prefix):
        prefix = [int(t) for t in prefix]
        if self.absorbing_eos is not None and self.absorbing_eos in prefix[1:]:
            out = np.full(self.vocabulary, -1e9)
            out[self.absorbing_eos] = 0.0
            return out
        return self.scale * np.random.default_rng([self.seed, *prefix]).normal(size=self.vocabulary)

    def __call__(self, prefixes):
        self.calls += 1
        logits = np.stack([self.logits(p) for p in np.asarray(prefixes)])
        return logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)


def _brute_force(model, eos, max_length, alpha=0.0):
    """Every complete sequence (ends at its first <eos>, or has max_length tokens), scored."""
    found = {}
    for length in range(1, max_length + 1):
        for tokens in itertools.product(range(model.vocabulary), repeat=length):
            if eos in tokens[:-1] or (length < max_length and tokens[-1] != eos):
                continue
            log_prob = sum(model([(BOS,) + tokens[:t]])[0, tokens[t]] for t in range(length))
            found[tokens] = (log_prob, log_prob / length ** alpha)
    return found


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("alpha", [0.0, 1.0, 0.6])
def test_exhaustive_search_is_the_brute_force_argmax(seed, alpha):
    model, eos, max_length = RandomModel(3, seed), 2, 4
    everything = _brute_force(model, eos, max_length, alpha)
    ranked = exhaustive_search(model, BOS, eos, max_length, length_normalization=alpha, return_all=True)
    assert len(ranked) == len(everything)
    for hypothesis in ranked:
        log_prob, score = everything[hypothesis.tokens]
        assert hypothesis.log_prob == pytest.approx(log_prob) and hypothesis.score == pytest.approx(score)
    assert ranked[0].tokens == max(everything, key=lambda t: everything[t][1])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_a_beam_of_at_least_v_to_the_t_is_exhaustive_search(seed, alpha):
    model, eos, max_length = RandomModel(3, seed), 1, 4
    exact = exhaustive_search(model, BOS, eos, max_length, length_normalization=alpha, return_all=True)
    beam = beam_search(model, BOS, eos, beam_size=3 ** max_length, max_length=max_length,
                       length_normalization=alpha, return_all=True)
    assert [h.tokens for h in beam] == [h.tokens for h in exact]
    np.testing.assert_allclose([h.score for h in beam], [h.score for h in exact])


@pytest.mark.parametrize("seed", range(8))
def test_a_beam_of_one_is_greedy_decoding(seed):
    model = RandomModel(5, seed, scale=1.0)
    greedy = greedy_decode(model, BOS, 4, max_length=7)[0]
    beam = beam_search(model, BOS, 4, beam_size=1, max_length=7)
    assert beam.tokens == greedy.tokens and beam.log_prob == pytest.approx(greedy.log_prob)


def test_greedy_decodes_a_batch_row_by_row_and_calls_only_unfinished_rows():
    """Identical rows decode identically; every call gets the rows that are still unfinished."""
    model = RandomModel(4, 3, scale=1.5)
    calls = []

    def step(prefixes):
        calls.append(prefixes.shape)
        return model(prefixes)

    single = greedy_decode(model, BOS, 3, max_length=6)[0]
    assert greedy_decode(step, BOS, 3, max_length=6, batch_size=3) == [single] * 3
    assert calls == [(3, t) for t in range(1, len(single.tokens) + 1)]


def test_greedy_and_beam_without_an_end_token_run_max_length():
    model = RandomModel(3, 0)
    assert len(greedy_decode(model, BOS, None, 5)[0].tokens) == 5
    assert all(len(h.tokens) == 5 and not h.finished for h in beam_search(model, BOS, None, 3, 5, return_all=True))


def test_length_normalisation_can_change_the_answer_and_never_prunes_differently():
    """Over seeds, the normalised answer is sometimes longer; both are the best of one final beam."""
    longer = 0
    for seed in range(30):
        model = RandomModel(4, seed, scale=1.0)
        raw = beam_search(model, BOS, 3, 3, 6, return_all=True)
        normalised = beam_search(model, BOS, 3, 3, 6, length_normalization=1.0, return_all=True)
        assert sorted(h.tokens for h in raw) == sorted(h.tokens for h in normalised)  # same beam
        longer += len(normalised[0].tokens) > len(raw[0].tokens)
        assert all(len(h.tokens) >= len(raw[0].tokens) for h in normalised[:1])
    assert longer > 0


def test_finished_hypotheses_stay_in_the_beam():
    """<eos> is likely early: finished hypotheses keep their slot and their score."""
    table = np.log(np.array([[0.05, 0.5, 0.45], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]]))

    def step(prefixes):
        return table[np.asarray(prefixes)[:, -1]]

    beam = beam_search(step, 0, 2, beam_size=2, max_length=4, return_all=True)
    assert beam[0].tokens == (2,) and beam[0].finished and beam[0].log_prob == pytest.approx(np.log(0.45))
    assert beam[1].tokens == (1, 2) and beam[1].log_prob == pytest.approx(np.log(0.5 * 0.7))


def _keras_hub_beams(model, beam_size, max_length, stop=None):
    import keras
    import keras_hub

    def next_fn(prompt, cache, index):
        prefixes = keras.ops.convert_to_numpy(prompt)[:, :int(index)]
        logits = keras.ops.convert_to_tensor(model(prefixes).astype("float32"))
        return logits, None, cache

    prompt = np.zeros((1, max_length + 1), dtype="int32")
    mask = np.zeros((1, max_length + 1), dtype=bool)
    mask[0, 0] = True
    sampler = keras_hub.samplers.BeamSampler(num_beams=beam_size, return_all_beams=True)
    prompts, log_probs = sampler(next_fn, prompt, index=1, mask=mask, stop_token_ids=stop)
    return keras.ops.convert_to_numpy(prompts)[0, :, 1:], keras.ops.convert_to_numpy(log_probs)[0]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("beam_size", [2, 4])
def test_beam_search_without_an_end_token_is_keras_hub_beam_sampler(seed, beam_size):
    model = RandomModel(5, seed)
    ours = beam_search(model, BOS, None, beam_size, max_length=5, return_all=True)
    tokens, log_probs = _keras_hub_beams(model, beam_size, 5)
    np.testing.assert_array_equal(np.array([h.tokens for h in ours]), tokens)
    np.testing.assert_allclose([h.log_prob for h in ours], log_probs, rtol=1e-5)


@pytest.mark.parametrize("seed", range(4))
def test_beam_search_with_an_absorbing_end_token_is_keras_hub_beam_sampler(seed):
    eos = 1
    model = RandomModel(4, seed, scale=1.5, absorbing_eos=eos)
    ours = beam_search(model, BOS, eos, 3, max_length=6, return_all=True)
    tokens, log_probs = _keras_hub_beams(model, 3, 6, stop=[eos])
    for hypothesis, row, log_prob in zip(ours, tokens, log_probs):
        row = list(row)
        cut = row[:row.index(eos) + 1] if eos in row else row
        assert hypothesis.tokens == tuple(cut[:len(hypothesis.tokens)])
        assert all(t in (eos, 0) for t in row[len(hypothesis.tokens):])  # absorbed (or never written)
        assert hypothesis.log_prob == pytest.approx(log_prob, rel=1e-5)


@pytest.mark.parametrize("call,words", [
    (lambda: beam_search(RandomModel(3, 0), BOS, 1, 0, 3), "beam_size"),
    (lambda: beam_search(RandomModel(3, 0), BOS, 1, 2, 0), "max_length"),
    (lambda: beam_search(RandomModel(3, 0), BOS, 1, 2, 3, length_normalization=-1), "length_normalization"),
    (lambda: beam_search(lambda p: np.zeros((1, 3, 1)), BOS, 1, 2, 3), "shape"),
    (lambda: greedy_decode(lambda p: np.zeros(3), BOS, 1, 3), "shape"),
    (lambda: greedy_decode(RandomModel(3, 0), "<bos>", 1, 3), "bos_id"),
])
def test_bad_arguments_are_one_clear_sentence(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_doctests():
    assert doctest.testmod(decoding).failed == 0


# --- the exercises and their library twins -----------------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch05_nlp" / f"{name}.py"), f"solution_ch05_{name}")


@pytest.mark.parametrize("seed", range(5))
def test_greedy_decoding_solution_agrees_with_the_library(seed):
    solution = _solution("greedy_decoding")
    model = RandomModel(5, seed)
    tokens, log_prob = solution.greedy_decode(model, BOS, 3, 8)
    expected = greedy_decode(model, BOS, 3, 8)[0]
    assert tuple(tokens) == expected.tokens and log_prob == pytest.approx(expected.log_prob)
    assert solution.sequence_log_prob(model, BOS, list(expected.tokens)) == pytest.approx(expected.log_prob)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_beam_search_solution_agrees_with_the_library(seed, alpha):
    solution = _solution("beam_search")
    model = RandomModel(4, seed, scale=1.5)
    beam = solution.beam_search(model, BOS, 3, 3, 6, alpha)
    expected = beam_search(model, BOS, 3, 3, 6, length_normalization=alpha, return_all=True)
    assert [tuple(t) for t, _ in beam] == [h.tokens for h in expected]
    np.testing.assert_allclose([lp for _, lp in beam], [h.log_prob for h in expected])
