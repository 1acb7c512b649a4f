"""Grader for ch08_llm/transformer_lm_block."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.gpt", "dlcourse.nlp", "dlcourse.sequence", "keras", "keras_hub",
             "tensorflow", "torch", "jax", "scipy.special")

_ATTENTION = {f'params["{w}_{n}"]': ("(d_model, d_model)" if w == "W" else "(d_model,)")
              for n in "qkvo" for w in "Wb"}
SHAPES = {
    "causal_self_attention": {"x": "(batch, T, d_model)", **_ATTENTION},
    "lm_block": {
        "x": "(batch, T, d_model)",
        **_ATTENTION,
        'params["gamma_1"]': "(d_model,)",
        'params["beta_1"]': "(d_model,)",
        'params["gamma_2"]': "(d_model,)",
        'params["beta_2"]': "(d_model,)",
        'params["W_1"]': "(d_model, d_ff)",
        'params["b_1"]': "(d_ff,)",
        'params["W_2"]': "(d_ff, d_model)",
        'params["b_2"]': "(d_model,)",
    },
}


def _params(seed, d_model, d_ff, scale=1.0):
    rng = np.random.default_rng(seed)
    shapes = {"W_q": (d_model, d_model), "b_q": (d_model,), "W_k": (d_model, d_model), "b_k": (d_model,),
              "W_v": (d_model, d_model), "b_v": (d_model,), "W_o": (d_model, d_model), "b_o": (d_model,),
              "W_1": (d_model, d_ff), "b_1": (d_ff,), "W_2": (d_ff, d_model), "b_2": (d_model,)}
    params = {name: rng.normal(size=shape) * scale / np.sqrt(shape[0]) for name, shape in shapes.items()}
    for i in (1, 2):
        params[f"gamma_{i}"] = 1.0 + 0.3 * rng.normal(size=d_model)
        params[f"beta_{i}"] = 0.3 * rng.normal(size=d_model)
    return params


def _attention(params):
    return {name: value for name, value in params.items() if name[2:] in ("q", "k", "v", "o")}


def _x(seed, batch, steps, d_model):
    return np.random.default_rng(seed).normal(size=(batch, steps, d_model)) * 2.0 + 0.5


@check(points=1, visible=True, hint="query t attends to keys s <= t only: the other scores are -inf before "
                                     "the softmax.")
def one_head_attention(sub):
    """causal_self_attention with 1 head: 2 sequences of 4, d_model = 4."""
    return {"y": np.asarray(sub.causal_self_attention(_x(0, 2, 4, 4), _attention(_params(1, 4, 8)), 1), dtype=float)}


@check(points=2, hint="head h owns features h d_k .. (h + 1) d_k - 1; scale by sqrt(d_k), not sqrt(d_model).")
def multi_head_attention(sub):
    """causal_self_attention with 4 heads: 2 sequences of 5, d_model = 8 (and a large-score case)."""
    return {"y": np.asarray(sub.causal_self_attention(_x(2, 2, 5, 8), _attention(_params(3, 8, 8)), 4), dtype=float),
            "large": np.asarray(sub.causal_self_attention(_x(4, 1, 3, 8), _attention(_params(5, 8, 8, scale=30.0)), 2),
                                dtype=float)}


@check(points=2, hint="pre-LN: H = X + MHA(LN_1(X)), Y = H + FFN(LN_2(H)); no LayerNorm after the sums.")
def pre_ln_block(sub):
    """lm_block: 2 sequences of 5, d_model = 6, 2 heads, d_ff = 12."""
    return {"y": np.asarray(sub.lm_block(_x(6, 2, 5, 6), _params(7, 6, 12), 2), dtype=float)}


@check(points=2)
def other_sizes(sub):
    """lm_block: 3 sequences of 7, d_model = 8, 4 heads, d_ff = 20, and one sequence of length 1."""
    params = _params(8, 8, 20)
    return {"y": np.asarray(sub.lm_block(_x(9, 3, 7, 8), params, 4), dtype=float),
            "single": np.asarray(sub.lm_block(_x(10, 1, 1, 8), params, 4), dtype=float)}


@check(points=1)
def future_tokens_do_not_matter(sub):
    """lm_block on a sequence and on the same sequence with its last 3 positions changed (T = 6)."""
    params, x = _params(11, 4, 8), _x(12, 1, 6, 4)
    changed = x.copy()
    changed[:, 3:] = _x(13, 1, 3, 4)
    return {"y": np.asarray(sub.lm_block(x, params, 2), dtype=float),
            "changed": np.asarray(sub.lm_block(changed, params, 2), dtype=float)}
