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

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {}

_NAMES = ("W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o")


def _names(use_bias=False, use_output_projection=False, causal=False):
    """The weights the layer creates with these options, in the prompt's order."""
    return [name for name in _NAMES if (use_bias or not name.startswith("b"))
            and (use_output_projection or not name.endswith("o"))]


def _case(seed, batch, steps, d_model, key_dim, **options):
    rng = np.random.default_rng(seed)
    shapes = {"W_q": (d_model, key_dim), "b_q": (key_dim,), "W_k": (d_model, key_dim), "b_k": (key_dim,),
              "W_v": (d_model, key_dim), "b_v": (key_dim,), "W_o": (key_dim, d_model), "b_o": (d_model,)}
    weights = [(rng.normal(size=shapes[name]) * 0.5).astype("float32") for name in _names(**options)]
    return rng.normal(size=(batch, steps, d_model)).astype("float32"), weights


def _layer(sub, x, weights, key_dim, **options):
    layer = sub.SelfAttention(key_dim, **options)
    layer(x)  # builds the weights, however the submission creates them
    try:
        layer.set_weights(weights)
    except ValueError as err:
        shapes = ", ".join(str(tuple(w.shape)) for w in layer.weights) or "none"
        given = ", ".join(f"{k}={v}" for k, v in options.items()) or "the notes' form, no options"
        raise ValueError(
            f"layer.set_weights([{', '.join(_names(**options))}]) failed ({given}): your layer's weights "
            f"have shapes {shapes}, expected {', '.join(str(w.shape) for w in weights)} in this order."
        ) from err
    return layer


def _numpy(x):
    import keras

    return keras.ops.convert_to_numpy(x)


def _attend(sub, seed, batch, steps, d_model, key_dim, **options):
    x, weights = _case(seed, batch, steps, d_model, key_dim, **options)
    output, scores = _layer(sub, x, weights, key_dim, **options)(x, return_attention_scores=True)
    return _numpy(output), _numpy(scores)


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def notes_form(sub):
    """the notes' form (no options): 2 sequences of 4 positions, d_model = 6, key_dim = 3, output (2, 4, 3)."""
    x, weights = _case(0, batch=2, steps=4, d_model=6, key_dim=3)
    return {"output": _numpy(_layer(sub, x, weights, 3)(x))}


@check(points=1, rtol=1e-4, atol=1e-6)
def biases_without_projection(sub):
    """use_bias=True alone, key_dim = 5 > d_model = 3: output (batch, T, key_dim) and A."""
    output, scores = _attend(sub, 1, batch=3, steps=5, d_model=3, key_dim=5, use_bias=True)
    return {"output": output, "weights": scores}


@check(points=1, rtol=1e-4, atol=1e-5)
def biases_and_output_projection(sub):
    """use_bias=True, use_output_projection=True (Keras' one-head form), d_model = 4, key_dim = 2."""
    output, scores = _attend(sub, 2, batch=2, steps=6, d_model=4, key_dim=2, use_bias=True,
                             use_output_projection=True)
    return {"output": output, "weights": scores}


@check(points=1, rtol=1e-4, atol=1e-5)
def projection_back_to_d_model(sub):
    """use_output_projection=True without biases, key_dim = 8 > d_model = 3: the output has d_model features."""
    x, weights = _case(3, batch=1, steps=7, d_model=3, key_dim=8, use_output_projection=True)
    return {"output": _numpy(_layer(sub, x, weights, 8, use_output_projection=True)(x))}


@check(points=1, rtol=1e-4, atol=1e-6)
def causal_mask(sub):
    """causal=True in the notes' form and with all options, 3 sequences of 5: zero weights above the diagonal."""
    results = {}
    for label, options in (("notes_form", {}), ("all_options", {"use_bias": True, "use_output_projection": True})):
        output, scores = _attend(sub, 4, batch=3, steps=5, d_model=4, key_dim=3, causal=True, **options)
        results[f"output_{label}"], results[f"weights_{label}"] = output, scores
    return results


@check(points=1, rtol=1e-4, atol=1e-5)
def config_round_trip(sub):
    """get_config() holds the four arguments; from_config with the same weights gives the same output."""
    results = {}
    for label, options in (("defaults", {}),
                           ("all_options", {"use_bias": True, "use_output_projection": True, "causal": True})):
        x, weights = _case(5, batch=2, steps=3, d_model=4, key_dim=2, **options)
        layer = _layer(sub, x, weights, 2, **options)
        config = layer.get_config()
        expected = {"key_dim": 2, "use_bias": False, "use_output_projection": False, "causal": False, **options}
        for key, value in expected.items():
            if key not in config or config[key] != value:
                raise AssertionError(f"get_config() must hold {key} = {value!r}, got {config.get(key, 'nothing')!r}.")
        copy = type(layer).from_config(config)
        copy(x)
        copy.set_weights(layer.get_weights())
        results[f"output_{label}"] = _numpy(layer(x))
        results[f"output_of_the_copy_{label}"] = _numpy(copy(x))
    return results
