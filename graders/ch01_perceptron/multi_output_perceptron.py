"""Grader for ch01_perceptron/multi_output_perceptron."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = (
    "dlcourse.perceptron",
    "keras.layers.Dense",
    "keras.layers.Activation",
    "keras.activations",
)

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {}


def _layer_output(sub, seed, batch, n_in, units, activation):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, n_in)).astype("float32")
    w = rng.normal(size=(n_in, units)).astype("float32")
    b = rng.normal(size=units).astype("float32")
    layer = sub.MultiOutputPerceptron(units, activation=activation)
    layer.build((None, n_in))
    layer.set_weights([w, b])
    return np.asarray(layer(x))


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def sigmoid_three_outputs(sub):
    """3 sigmoid perceptrons on a batch of 4 with given W and b."""
    return {"y": _layer_output(sub, 0, batch=4, n_in=2, units=3, activation="sigmoid")}


@check(points=2, rtol=1e-4, atol=1e-5)
def every_activation(sub):
    """tanh, relu, linear, and a single perceptron (units=1)."""
    return {
        "tanh": _layer_output(sub, 1, batch=6, n_in=5, units=4, activation="tanh"),
        "relu": _layer_output(sub, 2, batch=6, n_in=5, units=4, activation="relu"),
        "linear": _layer_output(sub, 3, batch=6, n_in=5, units=4, activation="linear"),
        "single_sigmoid": _layer_output(sub, 4, batch=7, n_in=3, units=1, activation="sigmoid"),
    }


@check(points=1)
def weights_from_build(sub):
    """build creates a trainable kernel (n_inputs, units) then a bias (units,)."""
    layer = sub.MultiOutputPerceptron(5, activation="tanh")
    layer.build((None, 7))
    shapes = [tuple(w.shape) for w in layer.trainable_weights]
    return {
        "number_of_trainable_weights": len(shapes),
        "kernel_shape": np.array(shapes[0] if shapes else (0, 0)),
        "bias_shape": np.array(shapes[1] if len(shapes) > 1 else (0,)),
        "number_of_parameters": layer.count_params(),
    }


@check(points=1, rtol=1e-4, atol=1e-5)
def config_round_trip(sub):
    """from_config(get_config()) rebuilds a layer with the same units and activation."""
    layer = sub.MultiOutputPerceptron(2, activation="relu", name="perceptrons")
    config = layer.get_config()
    clone = type(layer).from_config(config)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 4)).astype("float32")
    weights = [rng.normal(size=(4, 2)).astype("float32"), rng.normal(size=2).astype("float32")]
    clone.build((None, 4))
    clone.set_weights(weights)
    return {
        "units": config.get("units", -1),
        "activation": str(config.get("activation", "")),
        "clone_output": np.asarray(clone(x)),
    }


def _all_raised(student, reference):
    wrong = [name for name in ("units_zero", "units_float", "unknown_activation")
             if student[name] != 1]
    if wrong:
        raise AssertionError(
            "MultiOutputPerceptron(...) should raise ValueError for these bad arguments: "
            + ", ".join(wrong) + " (units=0, units=2.5, activation='softmax')."
        )
    if "valid_error" in student:
        raise AssertionError(f"MultiOutputPerceptron(3, activation='relu') raised {student['valid_error']} "
                             "-- only bad arguments should raise.")
    got, expected = np.asarray(student["y_valid"], dtype=float), reference["y_valid"]
    if got.shape != expected.shape:
        raise AssertionError(f"MultiOutputPerceptron(3, activation='relu') on a batch of 4 returned shape "
                             f"{got.shape}, expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-4, atol=1e-5):
        raise AssertionError("MultiOutputPerceptron(3, activation='relu') with given W and b returned wrong "
                             f"values (largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_all_raised)
def rejects_bad_arguments(sub):
    """units=0, units=2.5 and an unknown activation raise ValueError; valid arguments still work."""
    results = {}
    for name, kwargs in (
        ("units_zero", {"units": 0}),
        ("units_float", {"units": 2.5}),
        ("unknown_activation", {"units": 2, "activation": "softmax"}),
    ):
        try:
            sub.MultiOutputPerceptron(**kwargs)
        except ValueError:
            results[name] = 1
        else:
            results[name] = 0
    try:
        results["y_valid"] = _layer_output(sub, 6, batch=4, n_in=3, units=3, activation="relu")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        results["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return results
