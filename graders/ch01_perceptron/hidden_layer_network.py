"""Grader for ch01_perceptron/hidden_layer_network."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = (
    "dlcourse.perceptron",
    "keras.layers.Dense",
    "keras.Sequential",
    "keras.models.Sequential",
    "keras.activations",
)

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {}

# A classic XOR network with hand-set weights (beyond the notes, which have no XOR example):
# hidden unit 1 is OR, hidden unit 2 is NAND, the output is AND.
_XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
_XOR_WEIGHTS = [
    np.array([[20.0, -20.0], [20.0, -20.0]], dtype="float32"),
    np.array([-10.0, 30.0], dtype="float32"),
    np.array([[20.0], [20.0]], dtype="float32"),
    np.array([-30.0], dtype="float32"),
]


def _random_case(seed, batch, n_in, hidden, out):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, n_in)).astype("float32")
    weights = [
        rng.normal(size=(n_in, hidden)).astype("float32"),
        rng.normal(size=hidden).astype("float32"),
        rng.normal(size=(hidden, out)).astype("float32"),
        rng.normal(size=out).astype("float32"),
    ]
    return x, weights


def _network(sub, x, weights, hidden_activation, output_activation):
    model = sub.HiddenLayerNetwork(
        weights[0].shape[1], weights[2].shape[1],
        hidden_activation=hidden_activation, output_activation=output_activation,
    )
    model(x)  # builds the weights, however the submission creates them
    try:
        model.set_weights(weights)
    except ValueError as err:
        shapes = ", ".join(str(tuple(w.shape)) for w in model.weights)
        raise ValueError(
            "model.set_weights([W1, b1, W2, b2]) failed: your model's weights have shapes "
            f"{shapes}, expected {', '.join(str(w.shape) for w in weights)} in this order."
        ) from err
    return model


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def xor_network(sub):
    """a 2-2-1 sigmoid network with hand-set weights that computes XOR (OR and NAND hidden units,
    an AND output; a classic example beyond the notes)."""
    model = _network(sub, _XOR_INPUTS, _XOR_WEIGHTS, "sigmoid", "sigmoid")
    return {"y_hat": np.asarray(model(_XOR_INPUTS))}


@check(points=2, rtol=1e-4, atol=1e-5)
def tanh_hidden_three_outputs(sub):
    """tanh hidden layer, 3 sigmoid outputs, batch of 6."""
    x, weights = _random_case(1, batch=6, n_in=4, hidden=5, out=3)
    model = _network(sub, x, weights, "tanh", "sigmoid")
    return {"y_hat": np.asarray(model(x))}


@check(points=1, rtol=1e-4, atol=1e-4)
def relu_hidden_linear_output(sub):
    """ReLU hidden layer with a linear (regression) output, and a batch of one."""
    x, weights = _random_case(2, batch=7, n_in=3, hidden=8, out=2)
    model = _network(sub, x, weights, "relu", "linear")
    return {"y_hat": np.asarray(model(x)), "single_sample": np.asarray(model(x[:1]))}


def _four_weights(student, reference):
    count = int(student["number_of_trainable_weights"])
    if count != 4:
        raise AssertionError(
            f"HiddenLayerNetwork(4, 3) on 6 inputs has {count} trainable weights, expected 4: "
            "W1 (6, 4), b1 (4,), W2 (4, 3), b2 (3,), created with add_weight."
        )
    expected = ["(6, 4)", "(4,)", "(4, 3)", "(3,)"]
    got = [str(s) for s in student["shapes_in_order"]]
    if got != expected:
        raise AssertionError(
            f"model.trainable_weights have shapes {', '.join(got)}; expected, in this order, "
            f"W1 {expected[0]}, b1 {expected[1]}, W2 {expected[2]}, b2 {expected[3]}."
        )


@check(points=1, compare=_four_weights, requires=("xor_network", "tanh_hidden_three_outputs"))
def four_weights_in_order(sub):
    """exactly four trainable weights W1, b1, W2, b2 of the prompt's shapes, in order."""
    x, _ = _random_case(3, batch=2, n_in=6, hidden=4, out=3)
    model = sub.HiddenLayerNetwork(4, 3)
    model(x)
    shapes = [str(tuple(int(d) for d in w.shape)) for w in model.trainable_weights]
    return {
        "number_of_trainable_weights": len(shapes),
        "shapes_in_order": np.array(shapes, dtype=str),
    }


@check(points=1, rtol=1e-4, atol=1e-5)
def trains_with_keras(sub):
    """two steps of keras.optimizers.SGD on the mean squared error move the weights as expected."""
    import keras

    x, weights = _random_case(4, batch=8, n_in=3, hidden=4, out=1)
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    model = _network(sub, x, weights, "sigmoid", "sigmoid")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    losses = [float(np.asarray(model.train_on_batch(x, y))) for _ in range(2)]
    trained = dict(zip(("W1_after_training", "b1_after_training", "W2_after_training",
                        "b2_after_training"), model.get_weights()))
    return {"losses": np.array(losses), **trained}
