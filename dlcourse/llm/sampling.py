"""Sampling the next token of a language model: greedy, temperature, top-k and top-p (nucleus).

Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this module follows the decoding part of the
LLM-from-scratch courses (CS336 assignment 1) and, for nucleus sampling, Holtzman et al. (2020),
"The Curious Case of Neural Text Degeneration". A language model gives, for each of B sequences,
logits z (one per token of a vocabulary of V tokens); the next token is drawn from

    q(w) = exp(z_w / tau) / sum_v exp(z_v / tau)        (temperature tau > 0)

restricted and renormalised to a set S of allowed tokens, q_S(w) = q(w) / sum_{v in S} q(v)
for w in S and 0 outside:

- greedy decoding takes argmax_w z_w (the limit tau -> 0; ties go to the lowest id);
- temperature sampling keeps S = every token;
- top-k keeps the k tokens of largest q (ties broken towards the lower id, so |S| = min(k, V));
- top-p (nucleus) keeps the smallest set of most probable tokens whose probability reaches p:
  sort q in decreasing order (ties: lower id first) and keep each token whose cumulative
  probability *before* it is below p, so the token that crosses p is kept and S is never
  empty; p = 1 keeps every token. (`keras_hub.samplers.TopPSampler` keeps a token when the
  probability before it is <= p: the two differ only when a cumulative sum equals p exactly.)

With both top_k and top_p the order is temperature, then top-k, then top-p on the renormalised
top-k distribution (the order of Hugging Face's `generate`). `sampling_distribution` returns q_S;
the samplers draw from it by inverse CDF: with u uniform in [0, 1), the sample is the smallest
id w with u < q_S(0) + ... + q_S(w).

Every sampler is called as `sampler(logits, rng)` with logits a numpy array (B, V) and rng a
`numpy.random.Generator`, and returns the B sampled ids as np.int32 (B,);
`dlcourse.llm.GPT.generate` calls them this way.
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import is_int

__all__ = [
    "sampling_distribution",
    "top_k_filter",
    "top_p_filter",
    "Sampler",
    "GreedySampler",
    "TemperatureSampler",
    "TopKSampler",
    "TopPSampler",
]


def _temperature(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"temperature must be a positive number (use GreedySampler for temperature 0), "
                         f"got {value!r}.")
    return float(value)


def _top_k(value, name="top_k"):
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1 (or None to keep every token), got {value!r}.")
    return int(value)


def _top_p(value, name="top_p"):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 < value <= 1:
        raise ValueError(f"{name} must be a number in (0, 1] (or None to keep every token), got {value!r}.")
    return float(value)


def _logits(logits, name="logits"):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim < 1 or logits.shape[-1] == 0:
        raise ValueError(f"{name} must have shape (..., V) with at least one token, got shape {logits.shape}.")
    if np.isnan(logits).any() or np.isposinf(logits).any():
        raise ValueError(f"{name} must be finite or -inf (a masked token), got NaN or +inf.")
    if np.isneginf(logits).all(axis=-1).any():
        raise ValueError(f"every row of {name} needs at least one finite logit, got a row of only -inf.")
    return logits


def _softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _descending(values):
    """Indices that sort the last axis in decreasing order, ties lower index first."""
    return np.argsort(-values, axis=-1, kind="stable")


def top_k_filter(logits, k):
    """Keep the k largest logits of each row and set the others to -inf.

    Ties at the k-th place are broken towards the lower token id, so exactly min(k, V) tokens
    stay (a k larger than the vocabulary keeps every token).

    Args:
        logits: array (..., V).
        k: integer >= 1.

    Returns:
        A float64 array of the shape of `logits`.

    Example:

    >>> from dlcourse.llm.sampling import top_k_filter
    >>> top_k_filter([[1.0, 3.0, 2.0, 3.0]], 2).tolist()
    [[-inf, 3.0, -inf, 3.0]]
    """
    logits, k = _logits(logits), _top_k(k, "k")
    order = _descending(logits)
    keep = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(keep, order[..., :k], True, axis=-1)
    return np.where(keep, logits, -np.inf)


def top_p_filter(logits, p):
    """Keep the nucleus of each row: the smallest set of most probable tokens whose probability reaches p.

    With q = softmax(logits) sorted in decreasing order (ties: lower id first), a token is kept
    when the cumulative probability of the tokens before it is below p. The token that crosses p
    is therefore kept and at least one token always is; p = 1 keeps every token.

    Args:
        logits: array (..., V).
        p: number in (0, 1].

    Returns:
        A float64 array of the shape of `logits`, -inf outside the nucleus.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import top_p_filter
    >>> np.isfinite(top_p_filter(np.log([[0.1, 0.5, 0.15, 0.25]]), 0.7)).tolist()  # 0.5 + 0.25 >= 0.7
    [[False, True, False, True]]
    """
    logits, p = _logits(logits), _top_p(p, "p")
    if p == 1.0:
        return logits.copy()
    order = _descending(logits)
    sorted_probs = np.take_along_axis(_softmax(logits), order, axis=-1)
    before = np.cumsum(sorted_probs, axis=-1) - sorted_probs
    keep = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(keep, order, before < p, axis=-1)
    return np.where(keep, logits, -np.inf)


def sampling_distribution(logits, temperature=1.0, top_k=None, top_p=None):
    """The distribution a sampler draws the next token from: softmax(z / tau), then top-k, then top-p.

    Args:
        logits: array (..., V), -inf for a token that may never be drawn.
        temperature: tau > 0 (1: the model's own distribution; smaller: sharper).
        top_k: None (every token) or an integer >= 1.
        top_p: None (every token) or a number in (0, 1].

    Returns:
        float64 probabilities of the shape of `logits`, each row summing to 1, zero outside
        the kept tokens.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import sampling_distribution
    >>> np.round(sampling_distribution(np.log([[0.1, 0.5, 0.15, 0.25]]), top_k=2), 4).tolist()
    [[0.0, 0.6667, 0.0, 0.3333]]
    """
    logits = _logits(logits) / _temperature(temperature)
    if top_k is not None:
        logits = top_k_filter(logits, _top_k(top_k))
    if top_p is not None:
        logits = top_p_filter(logits, _top_p(top_p))
    return _softmax(logits)


def _check_batch(logits):
    logits = _logits(logits)
    if logits.ndim != 2:
        raise ValueError(f"a sampler takes logits of shape (batch, vocabulary), got shape {logits.shape}.")
    return logits


def _inverse_cdf(probabilities, u):
    """The smallest id w with u < sum_{v <= w} q(v), per row (u in [0, 1), shape (B,))."""
    cdf = np.cumsum(probabilities, axis=-1)
    ids = np.sum(cdf <= u[:, None] * cdf[:, -1:], axis=-1)  # scaled by the total: rounding never runs past V
    return np.minimum(ids, probabilities.shape[-1] - 1).astype(np.int32)


class Sampler:
    """Base class: `sampler(logits (B, V), rng) -> np.int32 (B,)` draws from `distribution(logits)`.

    Subclasses set `distribution`; `get_config()` returns the constructor's arguments (JSON-able)
    and `from_config(config)` rebuilds the sampler.
    """

    def distribution(self, logits):
        """The probabilities (B, V) the sampler draws from."""
        raise NotImplementedError

    def __call__(self, logits, rng):
        probabilities = self.distribution(_check_batch(logits))
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"rng must be a numpy.random.Generator (numpy.random.default_rng(seed)), got {rng!r}.")
        return _inverse_cdf(probabilities, rng.random(probabilities.shape[0]))

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{name}={value!r}" for name, value in self.get_config().items())
        return f"{type(self).__name__}({arguments})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_config() == other.get_config()

    __hash__ = None


class GreedySampler(Sampler):
    """Greedy decoding: the most probable token, argmax_w z_w (ties: the lowest id).

    It is the limit of temperature sampling as tau -> 0 and of top-k with k = 1; `rng` is not
    used (it may be None).

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import GreedySampler
    >>> GreedySampler()(np.array([[0.1, 2.0, 0.3], [5.0, 1.0, 5.0]]), None).tolist()
    [1, 0]
    """

    def distribution(self, logits):
        logits = _logits(logits)
        return (np.arange(logits.shape[-1]) == np.argmax(logits, axis=-1)[..., None]).astype(np.float64)

    def __call__(self, logits, rng=None):
        return np.argmax(_check_batch(logits), axis=-1).astype(np.int32)


class TemperatureSampler(Sampler):
    """Sampling from softmax(z / tau) over the whole vocabulary (tau = 1: the model's distribution).

    Args:
        temperature: tau > 0.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import TemperatureSampler
    >>> ids = TemperatureSampler(0.7)(np.zeros((3, 5)), np.random.default_rng(0))
    >>> ids.shape, ids.dtype.name
    ((3,), 'int32')
    """

    def __init__(self, temperature=1.0):
        self.temperature = _temperature(temperature)

    def distribution(self, logits):
        return sampling_distribution(logits, self.temperature)

    def get_config(self):
        return {"temperature": self.temperature}


class TopKSampler(Sampler):
    """Sampling from the k most probable tokens, renormalised (Fan et al., 2018).

    Args:
        k: integer >= 1 (k = 1 is greedy; ties at the k-th place go to the lower id).
        temperature: tau > 0, applied before the filter.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import TopKSampler
    >>> TopKSampler(1)(np.array([[0.1, 2.0, 0.3]]), np.random.default_rng(0)).tolist()
    [1]
    """

    def __init__(self, k, temperature=1.0):
        self.k, self.temperature = _top_k(k, "k"), _temperature(temperature)

    def distribution(self, logits):
        return sampling_distribution(logits, self.temperature, top_k=self.k)

    def get_config(self):
        return {"k": self.k, "temperature": self.temperature}


class TopPSampler(Sampler):
    """Nucleus sampling: the smallest set of most probable tokens whose probability reaches p (Holtzman et al., 2020).

    Args:
        p: number in (0, 1] (1 keeps every token: plain temperature sampling).
        temperature: tau > 0, applied before the filter.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.sampling import TopPSampler
    >>> logits = np.log([[0.1, 0.5, 0.15, 0.25]])
    >>> sorted(set(TopPSampler(0.7)(np.repeat(logits, 50, axis=0), np.random.default_rng(0)).tolist()))
    [1, 3]
    """

    def __init__(self, p, temperature=1.0):
        self.p, self.temperature = _top_p(p, "p"), _temperature(temperature)

    def distribution(self, logits):
        return sampling_distribution(logits, self.temperature, top_p=self.p)

    def get_config(self):
        return {"p": self.p, "temperature": self.temperature}
