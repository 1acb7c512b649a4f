"""Chapter 1 exercises: each solution agrees with its dlcourse.perceptron twin, and its grader
is well formed, scores the solution full marks and its stub zero.

The stub here is made by `dlcourse release`'s own transform, so the check does not wait for a
release to be run.
"""

import ast
import functools
import pathlib
import re

import keras
import numpy as np
import pytest

from dlcourse import perceptron as P
from dlcourse.grading.checks import checks_of, compare_results
from dlcourse.grading.probe import load_module, load_namespace, run_probe
from dlcourse.grading.release import stub_source

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTER = "ch01_perceptron"
EXERCISES = (
    "dense_forward",
    "multi_output_perceptron",
    "hidden_layer_network",
    "losses",
    "backprop_two_layer",
    "minibatch_sgd",
)


@functools.cache
def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch01_solution_{name}")


@functools.cache
def _grader(name):
    path = ROOT / "graders" / CHAPTER / f"{name}.py"
    return load_namespace(path.read_text(), str(path))


# --------------------------------------------------------------------------- solution <-> library


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_dense_forward_matches_perceptron(activation):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(6, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    layer = P.Perceptron(3, activation, dtype="float64")
    layer.build((None, 4))
    layer.set_weights([w, b])
    got = _solution("dense_forward").dense_forward(x, w, b, activation)
    np.testing.assert_allclose(got, np.asarray(layer(x)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation, units", [("sigmoid", 1), ("tanh", 3), ("linear", 2)])
def test_multi_output_perceptron_matches_perceptron(activation, units):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 4)).astype("float32")
    weights = [rng.normal(size=(4, units)).astype("float32"), rng.normal(size=units).astype("float32")]
    ours = _solution("multi_output_perceptron").MultiOutputPerceptron(units, activation)
    twin = P.Perceptron(units, activation)
    for layer in (ours, twin):
        layer.build((None, 4))
        layer.set_weights(weights)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(twin(x)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("hidden_activation, output_activation", [("sigmoid", "sigmoid"), ("relu", "linear")])
def test_hidden_layer_network_matches_two_layer_network(hidden_activation, output_activation):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(7, 3)).astype("float32")
    ours = _solution("hidden_layer_network").HiddenLayerNetwork(5, 2, hidden_activation, output_activation)
    twin = P.TwoLayerNetwork(5, 2, hidden_activation, output_activation)
    ours(x)
    twin(x)
    ours.set_weights(twin.get_weights())
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(twin(x)), rtol=1e-6, atol=1e-7)


def test_losses_match_library_losses():
    sol = _solution("losses")
    rng = np.random.default_rng(3)
    y = (rng.random((8, 2)) < 0.5).astype(float)
    p = rng.uniform(size=(8, 2))
    p[0] = [0.0, 1.0]
    z = rng.normal(scale=50.0, size=(8, 2))
    assert sol.binary_cross_entropy(y, p) == pytest.approx(P.binary_cross_entropy(y, p), rel=1e-12)
    assert sol.binary_cross_entropy(y, p, epsilon=1e-3) == pytest.approx(
        P.binary_cross_entropy(y, p, epsilon=1e-3), rel=1e-12)
    assert sol.binary_cross_entropy_from_logits(y, z) == pytest.approx(
        P.binary_cross_entropy(y, z, from_logits=True), rel=1e-12)
    assert sol.mean_squared_error(y, p) == pytest.approx(P.mean_squared_error(y, p), rel=1e-12)


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "mean_squared_error"])
def test_backprop_two_layer_matches_library(loss):
    sol = _solution("backprop_two_layer")
    params = P.init_two_layer_params(3, 4, 2, seed=4)
    params = {k: v + 0.1 for k, v in params.items()}  # non-zero biases
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(9, 3)), (rng.random((9, 2)) < 0.5).astype(float)
    y_hat, cache = sol.forward_propagation(params, x)
    expected_y_hat, expected_cache = P.forward_propagation(params, x)
    np.testing.assert_allclose(y_hat, expected_y_hat, rtol=1e-12)
    got = sol.backward_propagation(params, cache, y, loss)
    expected = P.backward_propagation(params, expected_cache, y, loss)
    for name in P.PARAMETER_NAMES:
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-10, atol=1e-14, err_msg=name)


def test_minibatch_sgd_matches_library():
    sol = _solution("minibatch_sgd")
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(13, 2)), (rng.random((13, 1)) < 0.5).astype(float)
    params = P.init_two_layer_params(2, 3, 1, seed=7)
    kwargs = dict(learning_rate=0.3, epochs=3, batch_size=4, seed=8)
    got_params, got_losses = sol.minibatch_sgd(P.two_layer_loss_and_gradients, params, x, y, **kwargs)
    want_params, want_losses = P.minibatch_sgd(P.two_layer_loss_and_gradients, params, x, y, **kwargs)
    np.testing.assert_allclose(got_losses, want_losses, rtol=1e-12)
    for name in P.PARAMETER_NAMES:
        np.testing.assert_allclose(got_params[name], want_params[name], rtol=1e-12)


# --------------------------------------------------------------------------- exercise format


def _prompt(name):
    source = (ROOT / "solutions" / CHAPTER / f"{name}.py").read_text()
    return ast.get_docstring(ast.parse(source), clean=False) or ""


@pytest.mark.parametrize("name", EXERCISES)
def test_prompt_title_states_the_graders_points(name):
    checks = checks_of(_grader(name))
    assert 3 <= len(checks) <= 6
    assert any(chk.visible for chk in checks), "each exercise needs a visible check"
    assert any(chk.compare is not None for chk in checks)
    match = re.fullmatch(r"(.+) \((\d+) points\)", _prompt(name).split("\n")[0])
    assert match, "the prompt's first line must read '<Title> (<N> points)'"
    assert int(match.group(2)) == sum(chk.points for chk in checks)


def _score(name, module):
    reference = _solution(name)
    earned = total = 0.0
    feedback = []
    for chk in checks_of(_grader(name)):
        total += chk.points
        expected = run_probe(chk, reference)
        try:
            got = run_probe(chk, module)
        except NotImplementedError:
            continue
        fraction, message = compare_results(chk, got, expected)
        earned += fraction * chk.points
        feedback.append(message)
    return earned, total, feedback


@pytest.mark.parametrize("name", EXERCISES)
def test_grader_gives_solution_full_marks_and_stub_zero(name, tmp_path):
    keras.utils.set_random_seed(0)
    earned, total, feedback = _score(name, _solution(name))
    assert earned == total, feedback
    stub_path = tmp_path / f"{name}.py"
    stub_path.write_text(stub_source((ROOT / "solutions" / CHAPTER / f"{name}.py").read_text()))
    earned, _, _ = _score(name, load_module(str(stub_path), f"ch01_stub_{name}"))
    assert earned == 0.0
