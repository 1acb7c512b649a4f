"""SGD, SGDMomentum and Adam against keras.optimizers on shared weights and gradients.

The notes' momentum (§2.2), v <- mu v - eta grad L(theta), theta <- theta + v, is
keras.optimizers.SGD(momentum=mu); the moving-average option is that rule with eta (1 - mu)."""

import keras
import numpy as np
import pytest

from dlcourse.training import SGD, Adam, SGDMomentum


def _gradients(seed, steps, scale=1.0):
    rng = np.random.default_rng(seed)
    return [
        [rng.normal(size=(3, 4)).astype("float32") * scale, rng.normal(size=(4,)).astype("float32") * scale]
        for _ in range(steps)
    ]


def _run(optimizer, gradients, seed=0):
    """Apply the gradient sequence to two fresh variables; return their final values."""
    rng = np.random.default_rng(seed)
    variables = [
        keras.Variable(rng.normal(size=(3, 4)).astype("float32")),
        keras.Variable(rng.normal(size=(4,)).astype("float32")),
    ]
    for step in gradients:
        optimizer.apply([keras.ops.convert_to_tensor(g) for g in step], variables)
    return [keras.ops.convert_to_numpy(v) for v in variables]


def _assert_same(ours, theirs, rtol=1e-6, atol=1e-6):
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


@pytest.mark.backend_neutral
def test_sgd_is_keras_sgd():
    gradients = _gradients(1, 5)
    _assert_same(_run(SGD(0.1), gradients), _run(keras.optimizers.SGD(0.1), gradients))


def _two_layer_model(seed):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)])


@pytest.mark.backend_neutral
@pytest.mark.parametrize("mu", [0.5, 0.9])
def test_notes_momentum_is_keras_sgd_momentum_step_for_step_on_a_model(mu):
    # the notes: v <- mu v - eta grad L(theta), theta <- theta + v; Keras: SGD(learning_rate=eta, momentum=mu)
    eta = 0.05
    ours, theirs = _two_layer_model(0), _two_layer_model(1)
    theirs.set_weights(ours.get_weights())  # shared starting weights
    ours.compile(optimizer=SGDMomentum(eta, momentum=mu), loss="mse")
    theirs.compile(optimizer=keras.optimizers.SGD(learning_rate=eta, momentum=mu), loss="mse")
    rng = np.random.default_rng(2)
    for _ in range(6):
        x, y = rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 2)).astype("float32")
        ours.train_on_batch(x, y)
        theirs.train_on_batch(x, y)
        _assert_same(ours.get_weights(), theirs.get_weights(), rtol=1e-5, atol=1e-6)


def test_notes_momentum_by_hand():
    # two steps of v <- mu v - eta g, theta <- theta + v written out on one variable
    eta, mu, theta, v = 0.1, 0.8, np.array([1.0, -1.0]), np.zeros(2)
    gradients = [np.array([0.5, 2.0]), np.array([-1.0, 0.25])]
    expected = []
    for g in gradients:
        v = mu * v - eta * g
        theta = theta + v
        expected.append(theta)
    variable, optimizer = keras.Variable([1.0, -1.0]), SGDMomentum(eta, momentum=mu)
    for g, want in zip(gradients, expected):
        optimizer.apply([keras.ops.convert_to_tensor(g.astype("float32"))], [variable])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(variable), want, rtol=1e-6)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("mu", [0.5, 0.9])
def test_moving_average_momentum_is_the_notes_form_with_eta_times_1_minus_mu(mu):
    # ours, beyond the notes: v <- mu v + (1 - mu) g, theta <- theta - eta v (u = -eta v gives the notes' rule)
    eta, gradients = 0.1, _gradients(2, 6)
    averaged = _run(SGDMomentum(eta, momentum=mu, moving_average=True), gradients)
    _assert_same(averaged, _run(SGDMomentum(eta * (1 - mu), momentum=mu), gradients))
    _assert_same(averaged, _run(keras.optimizers.SGD(learning_rate=eta * (1 - mu), momentum=mu), gradients))


def test_notes_momentum_steps_are_1_over_1_minus_mu_times_the_average_form():
    # a constant gradient: the notes' step tends to eta g / (1 - mu), the average form's to eta g
    eta, mu, g = 0.01, 0.9, np.ones((1, 1), "float32")
    steps = {}
    for moving_average in (False, True):
        variable = keras.Variable(np.zeros((1, 1), "float32"))
        optimizer = SGDMomentum(eta, momentum=mu, moving_average=moving_average)
        for _ in range(200):
            before = keras.ops.convert_to_numpy(variable).copy()
            optimizer.apply([keras.ops.convert_to_tensor(g)], [variable])
        steps[moving_average] = float((keras.ops.convert_to_numpy(variable) - before)[0, 0])
    assert steps[False] == pytest.approx(-eta / (1 - mu), rel=1e-3)
    assert steps[True] == pytest.approx(-eta, rel=1e-3)


def test_momentum_zero_is_sgd():
    gradients = _gradients(4, 4)
    for moving_average in (False, True):
        _assert_same(_run(SGDMomentum(0.05, momentum=0.0, moving_average=moving_average), gradients),
                     _run(keras.optimizers.SGD(0.05), gradients))


@pytest.mark.backend_neutral
def test_corrected_adam_matches_keras_adam():
    gradients = _gradients(5, 8)
    ours = _run(Adam(0.01, bias_correction=True), gradients)
    theirs = _run(keras.optimizers.Adam(0.01), gradients)
    # the two place epsilon differently (see Adam's docstring): equal up to O(epsilon / sqrt(v))
    _assert_same(ours, theirs, rtol=1e-5, atol=1e-5)


class _UncorrectedRate(keras.optimizers.schedules.LearningRateSchedule):
    """The learning rate that turns Keras' (corrected) Adam into the notes' Adam (no bias correction).

    Keras steps by lr_t sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon); with
    lr_t = eta (1 - beta_1^t) / sqrt(1 - beta_2^t) that is eta m / (sqrt(v) + epsilon) exactly.
    """

    def __init__(self, eta, beta_1, beta_2):
        self.eta, self.beta_1, self.beta_2 = eta, beta_1, beta_2

    def __call__(self, step):
        t = keras.ops.cast(step, "float32") + 1.0
        return self.eta * (1.0 - self.beta_1**t) / keras.ops.sqrt(1.0 - self.beta_2**t)

    def get_config(self):
        return {"eta": self.eta, "beta_1": self.beta_1, "beta_2": self.beta_2}


@pytest.mark.backend_neutral
def test_notes_adam_matches_keras_adam_with_the_correction_undone():
    gradients = _gradients(6, 8)
    ours = _run(Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-3), gradients)
    keras_adam = keras.optimizers.Adam(_UncorrectedRate(0.01, 0.8, 0.99), beta_1=0.8, beta_2=0.99, epsilon=1e-3)
    _assert_same(ours, _run(keras_adam, gradients), rtol=1e-5)


def test_first_steps_with_and_without_correction():
    w = keras.Variable([1.0, -1.0])
    Adam(0.1, bias_correction=True).apply([keras.ops.convert_to_tensor([5.0, -0.01])], [w])
    # Kingma and Ba: the first corrected step has length eta, whatever the gradient's size
    np.testing.assert_allclose(keras.ops.convert_to_numpy(w), [0.9, -0.9], rtol=1e-4)
    w = keras.Variable([1.0])
    Adam(0.1).apply([keras.ops.convert_to_tensor([2.0])], [w])
    # uncorrected: eta (1 - beta_1) / sqrt(1 - beta_2) = 0.1 * 0.1 / sqrt(0.001)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(w), [1.0 - 0.01 / np.sqrt(0.001)], rtol=1e-4)


@pytest.mark.parametrize(
    "optimizer", [SGD(0.05), SGDMomentum(0.02, momentum=0.9), SGDMomentum(0.2, momentum=0.9, moving_average=True),
                  Adam(0.05), Adam(0.05, bias_correction=True)]
)
def test_fit_reduces_the_loss(optimizer):
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "optimizer",
    [SGD(0.3), SGDMomentum(0.2, momentum=0.7), SGDMomentum(0.2, momentum=0.7, moving_average=True),
     Adam(0.01, beta_1=0.8, epsilon=1e-6, bias_correction=True)],
)
def test_config_round_trip(optimizer):
    restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert type(restored) is type(optimizer)
    assert restored.get_config() == optimizer.get_config()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGDMomentum(momentum=1.0), "momentum must be a number in"),
        (lambda: SGDMomentum(moving_average="yes"), "moving_average must be True or False"),
        (lambda: Adam(beta_2=-0.1), "beta_2 must be a number in"),
        (lambda: Adam(epsilon=0), "epsilon must be a positive number"),
        (lambda: Adam(bias_correction="yes"), "bias_correction must be True or False"),
    ],
)
def test_bad_arguments_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()
