"""Grader for ch05_nlp/transformer_encoder_block."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "dlcourse.nlp", "keras", "keras_hub", "tensorflow", "torch", "scipy.special",
             "jax")

SHAPES = {
    "layer_norm": {"x": "(batch, T, d_model)", "gamma": "(d_model,)", "beta": "(d_model,)"},
    "feed_forward": {"x": "(batch, T, d_model)", "W_1": "(d_model, d_ff)", "b_1": "(d_ff,)",
                     "W_2": "(d_ff, d_model)", "b_2": "(d_model,)"},
    "encoder_block": {
        "x": "(batch, T, d_model)",
        "padding": "(batch, T) bool",
        'params["W_q"]': "(d_model, d_model)",
        'params["W_k"]': "(d_model, d_model)",
        'params["W_v"]': "(d_model, d_model)",
        'params["W_o"]': "(d_model, d_model)",
        'params["b_q"]': "(d_model,)",
        'params["b_k"]': "(d_model,)",
        'params["b_v"]': "(d_model,)",
        'params["b_o"]': "(d_model,)",
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


def _params(seed, d_model, d_ff):
    rng = np.random.default_rng(seed)
    shapes = {"W_q": (d_model, d_model), "b_q": (d_model,), "W_k": (d_model, d_model), "b_k": (d_model,),
              "W_v": (d_model, d_model), "b_v": (d_model,), "W_o": (d_model, d_model), "b_o": (d_model,),
              "W_1": (d_model, d_ff), "b_1": (d_ff,), "W_2": (d_ff, d_model), "b_2": (d_model,)}
    params = {name: rng.normal(size=shape) / np.sqrt(shape[0]) for name, shape in shapes.items()}
    for i in (1, 2):
        params[f"gamma_{i}"] = 1.0 + 0.3 * rng.normal(size=d_model)
        params[f"beta_{i}"] = 0.3 * rng.normal(size=d_model)
    return params


def _x(seed, batch, steps, d_model):
    return np.random.default_rng(seed).normal(size=(batch, steps, d_model)) * 2.0 + 0.5


@check(points=1, visible=True, hint="normalise over the last axis (each position's d_model features), with "
                                     "the biased variance, and eps inside the square root.")
def layer_norm_alone(sub):
    """layer_norm on (2, 3, 4) inputs with gamma and beta, and on a constant vector (variance 0): beta."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4)) * 3.0 + 1.0
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    constant = np.full((1, 1, 4), 2.5)
    return {"y": np.asarray(sub.layer_norm(x, gamma, beta), dtype=float),
            "constant": np.asarray(sub.layer_norm(constant, gamma, beta), dtype=float)}


@check(points=1)
def feed_forward_alone(sub):
    """feed_forward on (2, 3, 4) with d_ff = 6: max(0, x W_1 + b_1) W_2 + b_2."""
    p = _params(1, 4, 6)
    return {"y": np.asarray(sub.feed_forward(_x(2, 2, 3, 4), p["W_1"], p["b_1"], p["W_2"], p["b_2"]), dtype=float)}


@check(points=2, hint="post-LN: H = LayerNorm_1(X + MHA(X)), Y = LayerNorm_2(H + FFN(H)).")
def post_ln_block(sub):
    """encoder_block, post-LN (the default): 2 sequences of 5, d_model = 8, 2 heads, d_ff = 16."""
    return {"y": np.asarray(sub.encoder_block(_x(3, 2, 5, 8), _params(4, 8, 16), num_heads=2), dtype=float)}


@check(points=2, hint="pre-LN: H = X + MHA(LayerNorm_1(X)), Y = H + FFN(LayerNorm_2(H)), no LayerNorm after "
                      "the sums.")
def pre_ln_block(sub):
    """encoder_block with normalize_first=True: 3 sequences of 4, d_model = 6, 3 heads, d_ff = 12."""
    return {"y": np.asarray(sub.encoder_block(_x(5, 3, 4, 6), _params(6, 6, 12), num_heads=3,
                                              normalize_first=True), dtype=float)}


@check(points=1)
def padded_sequences(sub):
    """a padding mask (lengths 6 and 3 of T = 6), post-LN and pre-LN, d_model = 4, 2 heads."""
    padding = np.array([[True] * 6, [True] * 3 + [False] * 3])
    x, params = _x(7, 2, 6, 4), _params(8, 4, 8)
    return {"post_ln": np.asarray(sub.encoder_block(x, params, 2, padding=padding), dtype=float),
            "pre_ln": np.asarray(sub.encoder_block(x, params, 2, padding=padding, normalize_first=True), dtype=float)}
