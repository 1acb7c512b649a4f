"""Grader for ch08_llm/top_k_top_p_sampling."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.sampling", "keras_hub", "keras", "tensorflow", "torch", "jax",
             "scipy.special")

SHAPES = {
    "sampling_distribution": {"logits": "(B, V)"},
    "inverse_cdf_sample": {"probabilities": "(B, V)", "u": "(B,)"},
}


def _logits(seed, batch=3, vocabulary=7, scale=2.0):
    return np.random.default_rng(seed).normal(size=(batch, vocabulary)) * scale


def _q(sub, logits, **kwargs):
    return np.asarray(sub.sampling_distribution(np.array(logits, dtype=float), **kwargs), dtype=float)


@check(points=1, visible=True)
def temperature_only(sub):
    """sampling_distribution with no filter at tau = 1, 0.5 and 2 (logits (3, 7))."""
    logits = _logits(0)
    return {f"tau_{tau}": _q(sub, logits, temperature=tau) for tau in (1.0, 0.5, 2.0)}


@check(points=1, hint="keep the k largest: sort by decreasing logit (ties: lower id first), keep the first k, "
                      "and renormalise what is kept.")
def top_k(sub):
    """top_k = 1, 3, V and V + 2 on logits (3, 7), k = 3 at tau = 0.7, and a tie at the k-th place."""
    logits = _logits(1)
    out = {f"k_{k}": _q(sub, logits, top_k=k) for k in (1, 3, 7, 9)}
    out["k_3_cold"] = _q(sub, logits, temperature=0.7, top_k=3)
    out["tie"] = _q(sub, [[1.0, 2.0, 0.5, 2.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]], top_k=2)
    return out


@check(points=2, hint="a token is kept when the probability before it (in decreasing order) is below p: the "
                      "token that crosses p is kept, and the kept probabilities are renormalised.")
def top_p(sub):
    """top_p = 0.3, 0.75, 0.999 and 1 on logits (4, 6), a tiny p (one token), p reached exactly (four
    equal logits, p = 1/2 and 3/4), and top_k = 4 then top_p = 0.6 at tau = 1.3."""
    logits = _logits(2, batch=4, vocabulary=6)
    out = {f"p_{p}": _q(sub, logits, top_p=p) for p in (0.3, 0.75, 0.999, 1.0)}
    out["tiny_p"] = _q(sub, logits, top_p=1e-6)
    ties = np.zeros((2, 4))
    out["p_half_exact"] = _q(sub, ties, top_p=0.5)
    out["p_three_quarters_exact"] = _q(sub, ties, top_p=0.75)
    out["k_then_p"] = _q(sub, _logits(3, batch=4, vocabulary=9), temperature=1.3, top_k=4, top_p=0.6)
    return out


@check(points=1, hint="the sample is the smallest id w with u < q(0) + ... + q(w), so u exactly at a "
                      "cumulative sum goes to the next token with positive probability.")
def inverse_cdf(sub):
    """inverse_cdf_sample: u = 0, u exactly at cumulative sums, zero-probability tokens, random u on a
    distribution (5, 8), and rounding (ten tokens of 0.1 sum below the largest u < 1; the last two are 0)."""
    exact = np.array([[0.25, 0.25, 0.0, 0.5]] * 5)
    u_exact = np.array([0.0, 0.25, 0.4999, 0.5, 0.75])
    rng = np.random.default_rng(4)
    q = rng.dirichlet(np.ones(8) * 0.7, size=5)
    rounding = np.array([[0.1] * 10 + [0.0, 0.0], [0.0, 0.0] + [0.1] * 10])
    u_round = np.full(2, np.nextafter(1.0, 0.0))
    return {"exact": np.asarray(sub.inverse_cdf_sample(exact, u_exact), dtype=np.int64),
            "random": np.asarray(sub.inverse_cdf_sample(q, rng.uniform(size=5)), dtype=np.int64),
            "rounding": np.asarray(sub.inverse_cdf_sample(rounding, u_round), dtype=np.int64)}


def _raises_and_leaves_logits(student, reference):
    if not student["unchanged"]:
        raise AssertionError("sampling_distribution changed the logits it was given: work on a copy.")
    names = ["temperature 0", "temperature -1", "top_k 0", "top_p 0", "top_p 1.5"]
    missing = [name for name, raised in zip(names, student["raised"]) if not raised]
    if missing:
        raise AssertionError(f"sampling_distribution should raise ValueError for {', '.join(missing)}.")


@check(points=1, compare=_raises_and_leaves_logits, requires=("temperature_only", "top_k", "top_p"))
def bad_arguments_raise_and_logits_unchanged(sub):
    """ValueError for temperature 0 and -1, top_k 0, top_p 0 and 1.5; the logits are not modified."""
    logits = _logits(5)
    kept = logits.copy()
    sub.sampling_distribution(logits, temperature=0.8, top_k=3, top_p=0.9)
    raised = []
    for kwargs in ({"temperature": 0.0}, {"temperature": -1.0}, {"top_k": 0}, {"top_p": 0.0}, {"top_p": 1.5}):
        try:
            sub.sampling_distribution(logits.copy(), **kwargs)
            raised.append(False)
        except ValueError:
            raised.append(True)
        except Exception:  # noqa: BLE001 - any other error is not the ValueError asked for
            raised.append(False)
    return {"raised": np.array(raised), "unchanged": np.array(np.array_equal(logits, kept))}
