"""Grader for ch05_nlp/beam_search."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "keras_hub")
SHAPES = {"beam_search": {}}  # step_fn and integers: no arrays


def _model(vocabulary, seed, scale=1.5, eos=None, eos_boost=0.0, calls=None):
    """log P(. | prefix) drawn from a generator seeded by the whole prefix (a decoder-like "model")."""

    def step_fn(prefixes):
        prefixes = np.asarray(prefixes)
        if prefixes.ndim != 2:
            raise ValueError(f"step_fn expects prefixes of shape (batch, t), got shape {prefixes.shape}.")
        if calls is not None:
            calls.append(prefixes.tolist())
        rows = []
        for prefix in prefixes:
            logits = scale * np.random.default_rng([seed, *map(int, prefix)]).normal(size=vocabulary)
            if eos is not None:
                logits[eos] += eos_boost * (len(prefix) - 1)
            rows.append(logits - np.logaddexp.reduce(logits))
        return np.stack(rows)

    return step_fn


def _beam(sub, *args, size):
    """The beam as padded token rows (-1 after the end) and log-probs, `size` rows (-1 / nan beyond)."""
    beam = sub.beam_search(*args)
    width = args[4]
    tokens, log_probs = np.full((size, width), -1), np.full(size, np.nan)
    if len(beam) > size:
        raise ValueError(f"beam_search returned {len(beam)} hypotheses for beam_size {args[3]}.")
    for i, (t, lp) in enumerate(beam):
        tokens[i, :len(t)] = t
        log_probs[i] = float(lp)
    return tokens, log_probs


def _results(sub, prefix, *args, size):
    tokens, log_probs = _beam(sub, *args, size=size)
    return {f"{prefix}_tokens": tokens, f"{prefix}_log_probs": log_probs}


def _equal_nan(student, reference):
    for key, expected in reference.items():
        got = np.asarray(student[key], dtype=float)
        if got.shape != expected.shape:
            raise AssertionError(f"`{key}` has shape {got.shape}, expected {expected.shape}.")
        if not np.allclose(got, expected, rtol=1e-6, atol=1e-8, equal_nan=True):
            if key.endswith("tokens"):
                raise AssertionError(f"`{key}`: the final beam holds other hypotheses (or in another order) "
                                     "than expected (rows are hypotheses, -1 after their last token).")
            raise AssertionError(f"`{key}`: the log-probabilities of the final beam are wrong "
                                 f"(largest difference {np.nanmax(np.abs(got - expected)):.3g}).")


@check(points=1, visible=True, compare=_equal_nan)
def beam_of_two_on_a_bigram_table(sub):
    """k = 2 where the next token depends only on the last one; <eos> = 2 may end a hypothesis at once."""
    table = np.log(np.array([[0.05, 0.5, 0.45], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]]))
    return _results(sub, "bigram", lambda p: table[np.asarray(p)[:, -1]], 0, 2, 2, 4, 0.0, size=2)


@check(points=1, compare=_equal_nan)
def beam_of_one_is_greedy(sub):
    """k = 1 on random 5-token models is greedy decoding."""
    out = {}
    for seed in range(3):
        out.update(_results(sub, f"k1_{seed}", _model(5, seed, eos=4, eos_boost=0.5), 0, 4, 1, 7, 0.0, size=1))
    return out


@check(points=2, compare=_equal_nan)
def beams_of_three_and_five_on_random_models(sub):
    """k = 3 and 5 on random models whose <eos> grows likelier with length; alpha = 0."""
    out = {}
    for seed, k in ((1, 3), (2, 5), (3, 3)):
        out.update(_results(sub, f"k{k}_{seed}", _model(5, seed, eos=4, eos_boost=0.4), 0, 4, k, 8, 0.0, size=k))
    return out


@check(points=1, compare=_equal_nan)
def length_normalised_ranking(sub):
    """alpha = 1 and 0.7: the final beam ranked by log P(y|x) / len(y)^alpha."""
    out = {}
    for seed, alpha in ((4, 1.0), (5, 0.7), (6, 1.0)):
        step_fn = _model(4, seed, scale=1.0, eos=3, eos_boost=0.3)
        out.update(_results(sub, f"alpha_{seed}", step_fn, 0, 3, 4, 7, alpha, size=4))
    return out


@check(points=1, compare=_equal_nan)
def huge_beam_is_exhaustive_and_max_length_one(sub):
    """k = 3^4 on a 3-token model keeps every complete sequence; max_length = 1 gives one-token beams."""
    out = _results(sub, "all", _model(3, 8, scale=1.0), 0, 1, 81, 4, 1.0, size=81)
    out.update(_results(sub, "one_step", _model(4, 9), 0, 3, 3, 1, 0.0, size=3))
    return out
