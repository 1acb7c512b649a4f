"""Sampling the next token (dlcourse.llm.sampling): greedy, temperature, top-k and top-p.

The intended distributions are computed here by hand, in plain Python (sort, cumulative sum,
renormalise), independently of the library; a chi-square goodness-of-fit test over many seeded
samples shows each sampler draws from them, and the same test rejects a deliberately wrong
distribution. keras_hub's samplers are the oracle where their rules match ours.
"""

import json
import math

import numpy as np
import pytest
from scipy.stats import chisquare

from dlcourse.llm import (GreedySampler, TemperatureSampler, TopKSampler, TopPSampler, sampling_distribution,
                          top_k_filter, top_p_filter)

N_SAMPLES = 40_000
ACCEPT = 1e-3   # a correct sampler fails with probability 1e-3 per seed; the seeds are fixed
REJECT = 1e-8   # a wrong distribution is this far off at N_SAMPLES


def _keras_hub():
    """keras_hub, imported when a test needs it (at collection it would break TF-GNN's Keras 2)."""
    import keras_hub

    return keras_hub


# --- the intended distributions, by hand -------------------------------------------------------

def _softmax_by_hand(logits, temperature=1.0):
    finite = [z / temperature for z in logits if z != -math.inf]
    top = max(finite)
    e = [0.0 if z == -math.inf else math.exp(z / temperature - top) for z in logits]
    total = sum(e)
    return [x / total for x in e]


def _intended(logits, temperature=1.0, top_k=None, top_p=None):
    """softmax(z / tau), keep the top k, then the smallest prefix reaching p, renormalised."""
    q = _softmax_by_hand(list(logits), temperature)
    order = sorted(range(len(q)), key=lambda w: (-q[w], w))  # decreasing, ties lower id first
    kept = order if top_k is None else order[:top_k]
    total = sum(q[w] for w in kept)
    q = [q[w] / total if w in kept else 0.0 for w in range(len(q))]
    if top_p is not None:
        nucleus, cumulative = [], 0.0
        for w in kept:
            nucleus.append(w)
            cumulative += q[w]
            if cumulative >= top_p:
                break
        total = sum(q[w] for w in nucleus)
        q = [q[w] / total if w in nucleus else 0.0 for w in range(len(q))]
    return np.array(q)


def _counts(ids, vocabulary_size):
    return np.bincount(np.asarray(ids), minlength=vocabulary_size)


def _chi_square_p(counts, probabilities):
    """p-value of the counts under `probabilities`; a count outside the support gives p = 0."""
    probabilities = np.asarray(probabilities, dtype=float)
    support = probabilities > 0
    if counts[~support].any():
        return 0.0
    if support.sum() == 1:
        return 1.0
    expected = probabilities[support] * counts.sum()
    return float(chisquare(counts[support], expected).pvalue)


LOGITS = np.array([1.2, -0.3, 2.0, 0.4, 0.9, -1.5, 1.9, 0.0])
SAMPLERS = {
    "temperature_1": (TemperatureSampler(1.0), {}),
    "temperature_0.6": (TemperatureSampler(0.6), {"temperature": 0.6}),
    "temperature_1.8": (TemperatureSampler(1.8), {"temperature": 1.8}),
    "top_k_3": (TopKSampler(3), {"top_k": 3}),
    "top_k_5_hot": (TopKSampler(5, temperature=1.5), {"top_k": 5, "temperature": 1.5}),
    "top_p_0.6": (TopPSampler(0.6), {"top_p": 0.6}),
    "top_p_0.9_cold": (TopPSampler(0.9, temperature=0.7), {"top_p": 0.9, "temperature": 0.7}),
}


def _sample(sampler, logits, seed, n=N_SAMPLES):
    return sampler(np.repeat(np.asarray(logits, dtype=float)[None], n, axis=0), np.random.default_rng(seed))


@pytest.mark.backend_neutral
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_each_sampler_draws_from_the_intended_distribution(name):
    sampler, arguments = SAMPLERS[name]
    intended = _intended(LOGITS, **arguments)
    np.testing.assert_allclose(sampler.distribution(LOGITS[None])[0], intended, atol=1e-12)
    ids = _sample(sampler, LOGITS, seed=len(name))
    assert ids.dtype == np.int32 and ids.shape == (N_SAMPLES,)
    assert _chi_square_p(_counts(ids, LOGITS.size), intended) > ACCEPT


@pytest.mark.backend_neutral
@pytest.mark.parametrize("wrong", ["untruncated", "crossing_token_dropped", "no_temperature", "uniform_on_support"])
def test_the_chi_square_test_rejects_a_wrong_distribution(wrong):
    """The test above has power: draws of the right sampler fail against a plausible wrong answer."""
    sampler, arguments = {"untruncated": (TopKSampler(4), {}),
                          "crossing_token_dropped": (TopPSampler(0.75), {}),
                          "no_temperature": (TemperatureSampler(0.6), {}),
                          "uniform_on_support": (TopKSampler(3), {"top_k": 3})}[wrong]
    ids = _sample(sampler, LOGITS, seed=1)
    if wrong == "crossing_token_dropped":  # the nucleus without the token that crosses p
        q = _intended(LOGITS)
        order = np.argsort(-q, kind="stable")
        crossing = order[np.searchsorted(np.cumsum(q[order]), 0.75)]
        wrong_q = _intended(LOGITS, top_p=0.75)
        wrong_q[crossing] = 0.0
        wrong_q /= wrong_q.sum()
    elif wrong == "uniform_on_support":
        wrong_q = (_intended(LOGITS, **arguments) > 0) / 3.0
    else:
        wrong_q = _intended(LOGITS)
    assert _chi_square_p(_counts(ids, LOGITS.size), wrong_q) < REJECT
    assert _chi_square_p(_counts(ids, LOGITS.size), sampler.distribution(LOGITS[None])[0]) > ACCEPT


@pytest.mark.backend_neutral
def test_sampling_distribution_matches_the_hand_computation_on_random_logits():
    rng = np.random.default_rng(0)
    for _ in range(30):
        v = int(rng.integers(1, 12))
        logits = rng.normal(scale=2.0, size=(v,))
        tau = float(rng.uniform(0.3, 2.0))
        k = int(rng.integers(1, v + 3))
        p = float(rng.uniform(0.05, 1.0))
        for arguments in ({}, {"top_k": k}, {"top_p": p}, {"top_k": k, "top_p": p}):
            np.testing.assert_allclose(sampling_distribution(logits[None], tau, **arguments)[0],
                                       _intended(logits, tau, **arguments), atol=1e-12)


@pytest.mark.backend_neutral
def test_filters_keep_the_stated_tokens():
    logits = np.log([[0.1, 0.5, 0.15, 0.25]])
    assert np.isfinite(top_k_filter(logits, 2)).tolist() == [[False, True, False, True]]
    assert np.isfinite(top_k_filter(logits, 9)).all()  # k > V keeps every token
    # 0.5 < 0.7: the token that crosses p (0.25) is kept; 0.5 + 0.25 = 0.75 >= 0.7 stops there
    assert np.isfinite(top_p_filter(logits, 0.7)).tolist() == [[False, True, False, True]]
    assert np.isfinite(top_p_filter(logits, 0.5)).tolist() == [[False, True, False, False]]
    assert np.isfinite(top_p_filter(logits, 1e-9)).sum() == 1  # never empty
    # ties: four equal logits have q = 1/4 exactly; p = 1/2 is reached by two tokens, the lower ids
    assert np.isfinite(top_p_filter(np.zeros((1, 4)), 0.5)).tolist() == [[True, True, False, False]]
    assert np.isfinite(top_k_filter(np.zeros((1, 4)), 3)).tolist() == [[True, True, True, False]]
    # -inf logits (masked tokens) are never kept, and batches are row by row
    masked = np.array([[0.0, -np.inf, 1.0], [2.0, 0.0, -np.inf]])
    np.testing.assert_allclose(sampling_distribution(masked, top_p=1.0)[:, [1, 2]].ravel()[[0, 3]], [0.0, 0.0])
    assert np.isfinite(top_k_filter(masked, 1)).tolist() == [[False, False, True], [True, False, False]]


@pytest.mark.backend_neutral
def test_greedy_is_the_argmax_and_the_limit_of_the_others():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(64, 50)) * 3
    argmax = np.argmax(logits, axis=-1)
    assert GreedySampler()(logits, None).tolist() == argmax.tolist()
    assert GreedySampler()(logits, None).dtype == np.int32
    assert GreedySampler()(np.array([[1.0, 4.0, 4.0]]), None).tolist() == [1]  # ties: lowest id
    # top-k with k = 1 is greedy, whatever the randomness
    assert TopKSampler(1)(logits, np.random.default_rng(2)).tolist() == argmax.tolist()
    assert TopKSampler(1, temperature=5.0)(logits, np.random.default_rng(3)).tolist() == argmax.tolist()
    # temperature -> 0: the distribution tends to the one-hot argmax, once tau is small next to
    # the smallest gap between a row's best and second-best logit
    top_two = np.sort(logits, axis=-1)[:, -2:]
    smallest_gap = float((top_two[:, 1] - top_two[:, 0]).min())
    distances = [np.abs(sampling_distribution(logits, tau) - np.eye(50)[argmax]).max()
                 for tau in (1.0, 0.3, 0.1, smallest_gap, smallest_gap / 40)]
    assert distances == sorted(distances, reverse=True) and distances[-1] < 1e-12
    assert TemperatureSampler(smallest_gap / 40)(logits, np.random.default_rng(4)).tolist() == argmax.tolist()


@pytest.mark.backend_neutral
def test_top_p_one_is_plain_sampling():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(200, 30))
    for tau in (1.0, 0.5):
        np.testing.assert_allclose(sampling_distribution(logits, tau, top_p=1.0), sampling_distribution(logits, tau))
        ours = TopPSampler(1.0, temperature=tau)(logits, np.random.default_rng(6))
        plain = TemperatureSampler(tau)(logits, np.random.default_rng(6))
        assert ours.tolist() == plain.tolist()
    # top_k = V is plain sampling too
    np.testing.assert_allclose(sampling_distribution(logits, top_k=30), sampling_distribution(logits))


@pytest.mark.backend_neutral
def test_samplers_are_reproducible_under_a_seed_and_rows_are_independent():
    logits = np.random.default_rng(7).normal(size=(300, 6))
    sampler = TopPSampler(0.8)
    assert sampler(logits, np.random.default_rng(8)).tolist() == sampler(logits, np.random.default_rng(8)).tolist()
    # each row is drawn from its own distribution: rows with different supports never mix
    two_rows = np.array([[0.0, 0.0, -np.inf, -np.inf], [-np.inf, -np.inf, 0.0, 0.0]])
    ids = TemperatureSampler()(np.tile(two_rows, (500, 1)), np.random.default_rng(9)).reshape(500, 2)
    assert set(ids[:, 0].tolist()) == {0, 1} and set(ids[:, 1].tolist()) == {2, 3}


@pytest.mark.backend_neutral
def test_configs_round_trip_through_json():
    for sampler in (GreedySampler(), TemperatureSampler(0.7), TopKSampler(np.int64(5), 1.2), TopPSampler(0.9, 0.8)):
        config = json.loads(json.dumps(sampler.get_config()))
        again = type(sampler).from_config(config)
        assert again == sampler and repr(again) == repr(sampler)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("make, message", [
    (lambda: TemperatureSampler(0.0), "temperature must be a positive number"),
    (lambda: TemperatureSampler(-1.0), "temperature must be a positive number"),
    (lambda: TopKSampler(0), "k must be an integer >= 1"),
    (lambda: TopKSampler(2.5), "k must be an integer >= 1"),
    (lambda: TopPSampler(0.0), "p must be a number in (0, 1]"),
    (lambda: TopPSampler(1.5), "p must be a number in (0, 1]"),
    (lambda: sampling_distribution(np.zeros((1, 3)), top_k=0), "top_k must be an integer >= 1"),
    (lambda: sampling_distribution(np.zeros((1, 3)), top_p=-0.1), "top_p must be a number in (0, 1]"),
    (lambda: sampling_distribution(np.zeros((1, 3)), temperature=0), "temperature must be a positive number"),
    (lambda: TemperatureSampler()(np.zeros(3), np.random.default_rng(0)), "logits of shape (batch, vocabulary)"),
    (lambda: TemperatureSampler()(np.zeros((1, 3)), 0), "rng must be a numpy.random.Generator"),
    (lambda: TemperatureSampler()(np.full((1, 3), -np.inf), np.random.default_rng(0)), "at least one finite logit"),
    (lambda: TemperatureSampler()(np.array([[0.0, np.nan]]), np.random.default_rng(0)), "NaN or +inf"),
])
def test_bad_arguments_raise_one_clear_sentence(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value) and str(error.value).endswith(".")


# --- keras_hub's samplers as oracles ----------------------------------------------------------

def _keras_hub_draws(sampler, logits, n, seed):
    """keras_hub's own filtering and drawing (compute_probabilities, then get_next_token)."""
    import keras

    keras.utils.set_random_seed(seed)
    batch = keras.ops.convert_to_tensor(np.repeat(logits[None], n, axis=0).astype("float32"))
    return keras.ops.convert_to_numpy(sampler.get_next_token(sampler.compute_probabilities(batch)))


@pytest.mark.parametrize("name, theirs, ours", [
    ("top_k_3", lambda s: s.TopKSampler(k=3, seed=1), TopKSampler(3)),
    ("top_k_5_hot", lambda s: s.TopKSampler(k=5, temperature=1.5, seed=2), TopKSampler(5, temperature=1.5)),
    ("top_p_0.6", lambda s: s.TopPSampler(p=0.6, seed=3), TopPSampler(0.6)),
    ("top_p_0.9_cold", lambda s: s.TopPSampler(p=0.9, temperature=0.7, seed=4), TopPSampler(0.9, temperature=0.7)),
    ("random_1.8", lambda s: s.RandomSampler(temperature=1.8, seed=5), TemperatureSampler(1.8)),
])
def test_keras_hub_samplers_draw_from_our_distribution(name, theirs, ours):
    sampler = theirs(_keras_hub().samplers)
    draws = _keras_hub_draws(sampler, LOGITS, 20_000, seed=len(name))
    counts = _counts(draws, LOGITS.size)
    ours_q = ours.distribution(LOGITS[None])[0]
    assert set(np.flatnonzero(counts)) == set(np.flatnonzero(ours_q))  # the same support
    assert _chi_square_p(counts, ours_q) > ACCEPT
    # and they are not just any distribution on that support
    assert _chi_square_p(counts, (ours_q > 0) / (ours_q > 0).sum()) < REJECT


def test_keras_hub_greedy_and_a_full_generation_loop_agree_with_ours():
    """keras_hub's GreedySampler, driven through its own loop by a fixed next() function."""
    import keras

    keras_hub = _keras_hub()
    rng = np.random.default_rng(10)
    table = rng.normal(size=(7, 7)).astype("float32") * 2  # next-token logits depend on the last token

    def next_fn(prompt, cache, index):
        last = keras.ops.take(prompt, index - 1, axis=1)
        return keras.ops.take(keras.ops.convert_to_tensor(table), last, axis=0), None, cache

    prompt = np.zeros((3, 6), dtype="int32")
    prompt[:, 0] = [0, 3, 5]
    theirs = keras.ops.convert_to_numpy(keras_hub.samplers.GreedySampler()(next_fn, prompt, index=1))
    ours = prompt.copy()
    for t in range(1, 6):
        ours[:, t] = GreedySampler()(table[ours[:, t - 1]], None)
    assert ours.tolist() == theirs.tolist()
