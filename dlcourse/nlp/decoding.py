"""Decoding a sequence model: greedy, beam search, and exhaustive search for tiny vocabularies.

Lecture: §5.2 Seq2Seq Model

A seq2seq decoder gives the probability of the next token y_t given the tokens before it and
the source x; the notes' translation is the y that maximises

    P(y|x) = prod_{t=1..T} P(y_t | y_1, ..., y_{t-1}, x),

equivalently the largest sum of log P(y_t | y_<t, x). Trying every y (`exhaustive_search`)
costs V^T model calls for a vocabulary of V tokens, which the notes call too expensive.
Greedy decoding takes the most probable token at each step; beam search (the notes' trade-off)
keeps the k most probable partial translations at each step. All three talk to the model
through one function,

    step_fn(prefixes) -> log-probabilities of shape (batch, V)

where prefixes is an int array (batch, t) of token ids that starts with the begin token
<bos>; row i of the result is log P(. | prefixes[i], x). A seq2seq model or a Transformer
binds its source x into such a function (`Seq2Seq.step_function(source_ids)`).

The rules, which the notes leave open, are ours: a hypothesis ends when it
produces the end token <eos> (kept, as its last token) or when it reaches `max_length` tokens
(not counting <bos>). Beam search keeps at most k hypotheses. At each step every unfinished
one is extended by every token, every finished one stays as it is, and the k best of all these
candidates by log P(y|x) form the next beam. It stops when every hypothesis in the beam has
ended. (cs224n sets a finished hypothesis aside and goes on with fewer; keeping it in the beam,
as `keras_hub.samplers.BeamSampler` does with an absorbing end token, bounds the work by k and
gives the stopping rule.) The answer is the best of the final beam. With length normalisation (beyond the notes)
that choice is made by log P(y|x) / |y|^alpha (|y| counts <eos>), since a raw sum of log
probabilities favours short translations. Pruning stays on log P(y|x): the normalised score
picks among hypotheses that have ended, and every unfinished hypothesis of one step has the
same length anyway. With k at least the number of complete sequences (e.g. k >= V^T), nothing
is ever pruned and beam search returns exactly what exhaustive search does; with k = 1 it is
greedy decoding.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlcourse.arguments import is_int, positive_int

__all__ = ["Hypothesis", "greedy_decode", "beam_search", "exhaustive_search", "length_normalized_score"]


class Hypothesis(NamedTuple):
    """A decoded sequence.

    Attributes:
        tokens: the generated token ids, a tuple (without <bos>; ends with <eos> if it ended).
        log_prob: log P(y|x), the sum of the log-probabilities of its tokens.
        score: what it was ranked by: log_prob, or log_prob / len(tokens)^alpha with length
            normalisation.
        finished: whether it ended with <eos> (False: cut off at max_length).
    """

    tokens: tuple
    log_prob: float
    score: float
    finished: bool


def length_normalized_score(log_prob, length, alpha):
    """log P(y|x) / length^alpha (alpha = 0: no normalisation, alpha = 1: the mean log-prob).

    Example:

    >>> length_normalized_score(-6.0, 3, 1.0), length_normalized_score(-6.0, 3, 0.0)
    (-2.0, -6.0)
    """
    return float(log_prob) / float(length) ** alpha if alpha else float(log_prob)


def greedy_decode(step_fn, bos_id, eos_id, max_length, batch_size=1):
    """Greedy decoding: at each step the most probable next token, y_t = argmax P(y_t | y_<t, x).

    Each row stops at <eos> or after `max_length` tokens; only unfinished rows are passed to
    `step_fn` (all with the same prefix length), so a batch of sources can be decoded at once.

    Args:
        step_fn: `step_fn(prefixes) -> log-probabilities (batch, V)`, prefixes an int array
            (batch, t) that starts with `bos_id`. Row i of a call is row i of the
            still-unfinished rows, in their original order.
        bos_id: the id of <bos>, which every prefix starts with.
        eos_id: the id of <eos>, or None for no end token (every row runs `max_length` steps).
        max_length: the largest number of tokens to generate (a positive integer).
        batch_size: how many rows to decode; `step_fn`'s first call gets this many prefixes.

    Returns:
        A list of `batch_size` `Hypothesis` (score = log_prob).

    Example:

    >>> table = np.log([[0.1, 0.6, 0.3], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]])
    >>> step = lambda prefixes: table[prefixes[:, -1]]  # a bigram "model" over 3 tokens
    >>> greedy_decode(step, bos_id=0, eos_id=2, max_length=5)[0].tokens
    (1, 2)
    """
    bos_id, eos_id, max_length = _check_ids(bos_id, eos_id, max_length)
    batch_size = positive_int("batch_size", batch_size)
    tokens = [[] for _ in range(batch_size)]
    log_probs = np.zeros(batch_size)
    live = list(range(batch_size))
    for _ in range(max_length):
        prefixes = np.array([[bos_id] + tokens[i] for i in live], dtype=np.int32)
        scores = _call(step_fn, prefixes)
        best = np.argmax(scores, axis=-1)
        for row, i in enumerate(live):
            tokens[i].append(int(best[row]))
            log_probs[i] += scores[row, best[row]]
        live = [i for i in live if tokens[i][-1] != eos_id]
        if not live:
            break
    return [Hypothesis(tuple(t), float(lp), float(lp), eos_id is not None and bool(t) and t[-1] == eos_id)
            for t, lp in zip(tokens, log_probs)]


def beam_search(step_fn, bos_id, eos_id, beam_size, max_length, length_normalization=0.0, return_all=False):
    """Beam search: keep the k most probable hypotheses at each step (the notes' beam size k).

    At each step every unfinished hypothesis of the beam is extended by every token
    (score log P(y_<t|x) + log P(y_t | y_<t, x)), every finished one stays a candidate with
    its score, and the `beam_size` best candidates by log P(y|x) form the next beam (ties keep
    the earlier candidate: finished ones, then extensions in beam and token order). It ends when
    every hypothesis of the beam has produced <eos> or has `max_length` tokens; the beam is
    then ranked by `length_normalized_score` (by log P(y|x) when `length_normalization` is 0).

    Args:
        step_fn: `step_fn(prefixes) -> log-probabilities (batch, V)`, as for `greedy_decode`;
            it is called with the unfinished hypotheses of the beam, at most `beam_size` rows.
        bos_id: the id of <bos>.
        eos_id: the id of <eos>, or None for no end token (every hypothesis runs `max_length`
            steps; this is `keras_hub.samplers.BeamSampler`'s search).
        beam_size: k, the number of hypotheses kept (a positive integer).
        max_length: the largest number of generated tokens (a positive integer).
        length_normalization: alpha >= 0 of the final ranking log P(y|x) / |y|^alpha, beyond
            the notes; 0 (the default) or False is the notes' P(y|x), True means 1.
        return_all: whether to return the whole final beam, best first, instead of the best.

    Returns:
        The best `Hypothesis`, or with `return_all=True` the list of the final beam's
        hypotheses sorted best first.

    Example:

    >>> table = np.log([[0.1, 0.6, 0.3], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]])
    >>> step = lambda prefixes: table[prefixes[:, -1]]
    >>> best = beam_search(step, bos_id=0, eos_id=2, beam_size=2, max_length=5)
    >>> best.tokens, round(float(np.exp(best.log_prob)), 2)
    ((1, 2), 0.42)
    """
    bos_id, eos_id, max_length = _check_ids(bos_id, eos_id, max_length)
    beam_size = positive_int("beam_size", beam_size)
    alpha = _alpha(length_normalization)
    beam = [((), 0.0)]  # (tokens, log P(y|x)); the first beam is the empty hypothesis
    for _ in range(max_length):
        live = [(t, lp) for t, lp in beam if not _ended(t, eos_id)]
        if not live:
            break
        scores = _call(step_fn, np.array([(bos_id,) + t for t, _ in live], dtype=np.int32))
        candidates = [(t, lp) for t, lp in beam if _ended(t, eos_id)]
        totals = np.array([lp for _, lp in live])[:, None] + scores
        candidates += [(t + (token,), totals[row, token]) for row, (t, _) in enumerate(live)
                       for token in range(scores.shape[1])]
        order = np.argsort(-np.array([lp for _, lp in candidates]), kind="stable")[:beam_size]
        beam = [(candidates[i][0], float(candidates[i][1])) for i in order]
    return _ranked(beam, eos_id, alpha, return_all)


def exhaustive_search(step_fn, bos_id, eos_id, max_length, length_normalization=0.0, return_all=False):
    """The exact argmax of P(y|x) (or of the normalised score) over every complete sequence.

    A complete sequence ends with <eos> within `max_length` tokens, or has `max_length` tokens
    without one; with a vocabulary of V tokens there are up to V^max_length of them, each
    scored by summing log P(y_t | y_<t, x) along its prefixes. Only for tiny V and
    max_length: it is the oracle that beam search with a large enough beam must match.

    Args:
        step_fn, bos_id, eos_id, max_length, length_normalization, return_all: as in
            `beam_search`.

    Returns:
        The best `Hypothesis`, or with `return_all=True` all complete sequences, best first.

    Example:

    >>> table = np.log([[0.1, 0.6, 0.3], [0.2, 0.1, 0.7], [0.5, 0.4, 0.1]])
    >>> step = lambda prefixes: table[prefixes[:, -1]]
    >>> exhaustive_search(step, bos_id=0, eos_id=2, max_length=5).tokens
    (1, 2)
    """
    bos_id, eos_id, max_length = _check_ids(bos_id, eos_id, max_length)
    alpha = _alpha(length_normalization)
    frontier, complete = [((), 0.0)], []
    for _ in range(max_length):
        scores = _call(step_fn, np.array([(bos_id,) + t for t, _ in frontier], dtype=np.int32))
        grown = [(t + (token,), lp + scores[row, token]) for row, (t, lp) in enumerate(frontier)
                 for token in range(scores.shape[1])]
        complete += [(t, lp) for t, lp in grown if _ended(t, eos_id)]
        frontier = [(t, lp) for t, lp in grown if not _ended(t, eos_id)]
        if not frontier:
            break
    return _ranked(complete + frontier, eos_id, alpha, return_all)


def _ended(tokens, eos_id):
    return eos_id is not None and bool(tokens) and tokens[-1] == eos_id


def _ranked(hypotheses, eos_id, alpha, return_all):
    ranked = [Hypothesis(tuple(int(x) for x in t), float(lp), length_normalized_score(lp, len(t), alpha),
                         _ended(t, eos_id)) for t, lp in hypotheses]
    order = np.argsort(-np.array([h.score for h in ranked]), kind="stable")
    ranked = [ranked[i] for i in order]
    return ranked if return_all else ranked[0]


def _call(step_fn, prefixes):
    scores = np.asarray(step_fn(prefixes), dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != len(prefixes):
        raise ValueError(f"step_fn must return log-probabilities of shape (batch, V) = ({len(prefixes)}, V) for "
                         f"prefixes of shape {prefixes.shape}, got shape {scores.shape}.")
    return scores


def _check_ids(bos_id, eos_id, max_length):
    if not is_int(bos_id):
        raise ValueError(f"bos_id must be an integer token id, got {bos_id!r}.")
    if eos_id is not None and not is_int(eos_id):
        raise ValueError(f"eos_id must be an integer token id or None, got {eos_id!r}.")
    return int(bos_id), None if eos_id is None else int(eos_id), positive_int("max_length", max_length)


def _alpha(length_normalization):
    if isinstance(length_normalization, (bool, np.bool_)):
        return 1.0 if length_normalization else 0.0
    try:
        alpha = float(length_normalization)
    except (TypeError, ValueError):
        alpha = -1.0
    if not alpha >= 0.0:
        raise ValueError("length_normalization must be a number alpha >= 0 (or True for 1, False for 0), "
                         f"got {length_normalization!r}.")
    return alpha

