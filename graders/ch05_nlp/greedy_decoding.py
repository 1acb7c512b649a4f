"""Grader for ch05_nlp/greedy_decoding."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "keras_hub")
SHAPES = {"sequence_log_prob": {}, "greedy_decode": {}}  # step_fn, ids and lists of ids: no arrays


def _model(vocabulary, seed, scale=2.0, eos_boost=0.0, eos=None):
    """log P(. | prefix) drawn from a generator seeded by the whole prefix (a decoder-like "model")."""

    def step_fn(prefixes):
        prefixes = np.asarray(prefixes)
        if prefixes.ndim != 2:
            raise ValueError(f"step_fn expects prefixes of shape (batch, t), got shape {prefixes.shape}.")
        rows = []
        for prefix in prefixes:
            logits = scale * np.random.default_rng([seed, *map(int, prefix)]).normal(size=vocabulary)
            if eos is not None:
                logits[eos] += eos_boost * (len(prefix) - 1)
            rows.append(logits - np.logaddexp.reduce(logits))
        return np.stack(rows)

    return step_fn


def _pad(tokens, length):
    out = np.full(length, -1)
    out[:len(tokens)] = tokens
    return out


@check(points=1, visible=True)
def log_prob_of_given_translations(sub):
    """sequence_log_prob of three translations (lengths 1, 3 and 6) under a random 5-token model."""
    step_fn = _model(5, 0)
    return {"log_prob": np.array([float(sub.sequence_log_prob(step_fn, 0, y))
                                  for y in ([3], [1, 4, 2], [2, 2, 1, 0, 4, 3])])}


@check(points=1, visible=True)
def greedy_on_a_bigram_table(sub):
    """greedy_decode where the next token depends only on the last one; <eos> = 2 ends it."""
    table = np.log(np.array([[0.1, 0.6, 0.3], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]]))
    tokens, log_prob = sub.greedy_decode(lambda p: table[np.asarray(p)[:, -1]], 0, 2, 5)
    return {"tokens": _pad(tokens, 5), "log_prob": np.array(float(log_prob))}


@check(points=1)
def greedy_stops_at_eos(sub):
    """random models whose <eos> grows likelier with length: each translation stops at its <eos>."""
    out = {}
    for seed in range(4):
        tokens, log_prob = sub.greedy_decode(_model(6, seed, scale=1.0, eos_boost=0.8, eos=5), 0, 5, 12)
        out[f"tokens_{seed}"], out[f"log_prob_{seed}"] = _pad(tokens, 12), np.array(float(log_prob))
    return out


@check(points=1)
def greedy_cut_off_at_max_length(sub):
    """no <eos> is ever likely: max_length = 1 and 4 tokens, and an end token the model never picks."""
    out = {}
    for max_length in (1, 4):
        tokens, log_prob = sub.greedy_decode(_model(4, 7, scale=1.5, eos_boost=-50.0, eos=3), 0, 3, max_length)
        out[f"tokens_{max_length}"], out[f"log_prob_{max_length}"] = _pad(tokens, 4), np.array(float(log_prob))
    return out
