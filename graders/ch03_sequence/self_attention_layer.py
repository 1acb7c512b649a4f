"""Grader for ch03_sequence/self_attention_layer."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = (
    "dlcourse.sequence",
    "keras.layers.MultiHeadAttention",
    "keras.layers.GroupQueryAttention",
    "keras.layers.Attention",
    "keras.layers.AdditiveAttention",
    "keras.layers.Dense",
    "keras.layers.EinsumDense",
    "keras.ops.dot_product_attention",
    "keras.ops.nn.dot_product_attention",
    "tensorflow",
)

_NAMES = ("W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o")


def _case(seed, batch, steps, d_model, key_dim):
    rng = np.random.default_rng(seed)
    shapes = [(d_model, key_dim), (key_dim,)] * 3 + [(key_dim, d_model), (d_model,)]
    weights = [(rng.normal(size=s) * 0.5).astype("float32") for s in shapes]
    return rng.normal(size=(batch, steps, d_model)).astype("float32"), weights


def _layer(sub, x, weights, key_dim):
    layer = sub.SelfAttention(key_dim)
    layer(x)  # builds the weights, however the submission creates them
    try:
        layer.set_weights(weights)
    except ValueError as err:
        shapes = ", ".join(str(tuple(w.shape)) for w in layer.weights)
        raise ValueError(
            f"layer.set_weights([{', '.join(_NAMES)}]) failed: your layer's weights have shapes "
            f"{shapes}, expected {', '.join(str(w.shape) for w in weights)} in this order."
        ) from err
    return layer


def _numpy(x):
    import keras

    return keras.ops.convert_to_numpy(x)


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def output_without_mask(sub):
    """2 sequences of 4 positions, d_model = 6, key_dim = 3, no mask."""
    x, weights = _case(0, batch=2, steps=4, d_model=6, key_dim=3)
    return {"output": _numpy(_layer(sub, x, weights, 3)(x))}


@check(points=1, rtol=1e-4, atol=1e-5)
def output_with_causal_mask(sub):
    """use_causal_mask=True on 3 sequences of 5 positions, d_model = 4, key_dim = 4."""
    x, weights = _case(1, batch=3, steps=5, d_model=4, key_dim=4)
    return {"output": _numpy(_layer(sub, x, weights, 4)(x, use_causal_mask=True))}


@check(points=1, rtol=1e-4, atol=1e-6)
def attention_scores(sub):
    """return_attention_scores=True, with and without the causal mask (zeros above the diagonal)."""
    x, weights = _case(2, batch=2, steps=6, d_model=5, key_dim=2)
    layer = _layer(sub, x, weights, 2)
    results = {}
    for causal in (False, True):
        output, scores = layer(x, use_causal_mask=causal, return_attention_scores=True)
        results[f"output_causal_{causal}"] = _numpy(output)
        results[f"weights_causal_{causal}"] = _numpy(scores)
    return results


@check(points=1, rtol=1e-4, atol=1e-5)
def key_dim_larger_than_d_model(sub):
    """key_dim = 8 > d_model = 3: the output still has d_model features."""
    x, weights = _case(3, batch=1, steps=7, d_model=3, key_dim=8)
    return {"output": _numpy(_layer(sub, x, weights, 8)(x, use_causal_mask=True))}


@check(points=1, rtol=1e-4, atol=1e-5)
def config_round_trip(sub):
    """SelfAttention.from_config(layer.get_config()) with the same weights gives the same output."""
    x, weights = _case(4, batch=2, steps=3, d_model=4, key_dim=2)
    layer = _layer(sub, x, weights, 2)
    config = layer.get_config()
    if config.get("key_dim") != 2:
        raise AssertionError(f"get_config() must hold key_dim = 2, got {config.get('key_dim')!r}.")
    copy = type(layer).from_config(config)
    copy(x)
    copy.set_weights(layer.get_weights())
    return {"output": _numpy(layer(x)), "output_of_the_copy": _numpy(copy(x))}
