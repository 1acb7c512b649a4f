"""Chapter 3 exercises: each solution agrees with its library twin on random inputs (and
through it with the oracles of the library's tests), and each grader gives the solution full
marks and the released stub none. Stated points and FORBIDDEN are checked course-wide in
test_release."""

import pathlib

import keras
import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.sequence import (
    LSTMCell,
    SelfAttention,
    VanillaRNNCell,
    bptt_gradients,
    causal_mask,
    clip_by_global_norm,
    clip_by_norm,
    clip_by_value,
    rnn_forward,
    rnn_state_jacobian_norms,
    scaled_dot_product_attention,
)
from dlcourse.sequence.lstm import GATES

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTER = "ch03_sequence"
EXERCISES = sorted(p.stem for p in (ROOT / "solutions" / CHAPTER).glob("*.py"))


def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch03_{name}_solution")


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _rnn_case(seed, batch=3, steps=5, input_dim=2, units=4, output_units=2):
    rng = np.random.default_rng(seed)
    return dict(
        x=rng.normal(size=(batch, steps, input_dim)),
        y=rng.normal(size=(batch, steps, output_units)),
        h0=rng.normal(size=(batch, units)) * 0.5,
        W_xh=rng.normal(size=(input_dim, units)) * 0.6,
        W_hh=rng.normal(size=(units, units)) * 0.6,
        W_hy=rng.normal(size=(units, output_units)) * 0.6,
    )


def test_chapter_has_its_exercises():
    assert len(EXERCISES) >= 8
    assert sorted(p.stem for p in (ROOT / "graders" / CHAPTER).glob("*.py")) == EXERCISES


# --- each solution against its library twin -------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_forward_agrees_with_library(seed):
    c = _rnn_case(seed)
    ours = _solution("rnn_forward").rnn_forward(c["x"], c["h0"], c["W_xh"], c["W_hh"], c["W_hy"])
    library = rnn_forward(c["x"], c["h0"], c["W_xh"], c["W_hh"], c["W_hy"])
    for a, b in zip(ours, library):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", [2, 3])
def test_bptt_gradients_agrees_with_library(seed):
    c = _rnn_case(seed, steps=6)
    ours = _solution("bptt_gradients").bptt_gradients(**c)
    library = bptt_gradients(**c)
    for name in ("loss", "W_xh", "W_hh", "W_hy", "h0"):
        np.testing.assert_allclose(ours[name], library[name], rtol=1e-10, atol=1e-12, err_msg=name)


def test_vanishing_gradients_agrees_with_library():
    c = _rnn_case(4, steps=12)
    ours = _solution("vanishing_gradients").state_jacobian_norms(c["x"], c["h0"], c["W_xh"], c["W_hh"])
    np.testing.assert_allclose(ours, rnn_state_jacobian_norms(c["x"], c["h0"], c["W_xh"], c["W_hh"]), rtol=1e-10)


def test_lstm_cell_forward_agrees_with_library_cell():
    sol = _solution("lstm_cell_forward")
    rng = np.random.default_rng(5)
    units, input_dim = 3, 2
    params = {}
    for gate in GATES:
        params[f"W_{gate}"] = rng.normal(size=(units + input_dim, units)) * 0.5
        params[f"b_{gate}"] = rng.normal(size=units) * 0.5
    x = rng.normal(size=(2, 6, input_dim))
    h0, c0 = rng.normal(size=(2, units)), rng.normal(size=(2, units))
    h, c_last = sol.lstm_forward(x, h0, c0, params)
    layer = keras.layers.RNN(LSTMCell(units), return_sequences=True, return_state=True)
    layer(x.astype("float32"))
    layer.cell.set_gate_weights([params[f"{kind}_{gate}"].astype("float32") for gate in GATES for kind in ("W", "b")])
    sequence, _, c_keras = layer(x.astype("float32"), initial_state=[h0.astype("float32"), c0.astype("float32")])
    np.testing.assert_allclose(h, _numpy(sequence), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c_last, _numpy(c_keras), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("scale", [0.01, 10.0])
def test_gradient_clipping_agrees_with_library(scale):
    sol = _solution("gradient_clipping")
    rng = np.random.default_rng(6)
    gradients = [rng.normal(size=s) * scale for s in ((3, 2), (5,), (2, 2, 2))]
    for g in gradients:
        np.testing.assert_allclose(sol.clip_by_value(g, 0.3), _numpy(clip_by_value(g, 0.3)), rtol=1e-12)
        np.testing.assert_allclose(sol.clip_by_norm(g, 1.0), _numpy(clip_by_norm(g, 1.0)), rtol=1e-12)
    ours, norm = sol.clip_by_global_norm(gradients, 2.0)
    library, library_norm = clip_by_global_norm(gradients, 2.0)
    assert norm == pytest.approx(float(library_norm), rel=1e-12)
    for a, b in zip(ours, library):
        np.testing.assert_allclose(a, _numpy(b), rtol=1e-12)


def test_scaled_dot_product_attention_agrees_with_library():
    sol = _solution("scaled_dot_product_attention")
    rng = np.random.default_rng(7)
    q, k, v = rng.normal(size=(2, 4, 3)) * 10, rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 2))
    mask = rng.uniform(size=(4, 5)) < 0.5
    mask[:, 0] = True
    for m in (None, mask):
        for a, b in zip(sol.scaled_dot_product_attention(q, k, v, mask=m), scaled_dot_product_attention(q, k, v, mask=m)):
            np.testing.assert_allclose(a, _numpy(b), rtol=1e-10, atol=1e-12)


def test_causal_self_attention_agrees_with_library_layer():
    sol = _solution("causal_self_attention")
    np.testing.assert_array_equal(sol.causal_mask(5), _numpy(causal_mask(5)))
    rng = np.random.default_rng(8)
    x = rng.normal(size=(2, 6, 4)).astype("float32")
    w_q, w_k, w_v = (rng.normal(size=(4, 3)).astype("float32") for _ in range(3))
    layer = SelfAttention(3, causal=True)  # the notes' form, with our causal mask
    layer.build(x.shape)
    layer.set_weights([w_q, w_k, w_v])
    output, weights = sol.causal_self_attention(x, w_q, w_k, w_v)
    library, library_weights = layer(x, return_attention_scores=True)
    np.testing.assert_allclose(output, _numpy(library), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(weights, _numpy(library_weights), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("options", [
    {},  # the notes' form
    {"causal": True},
    {"use_bias": True},
    {"use_output_projection": True},
    {"use_bias": True, "use_output_projection": True, "causal": True},
], ids=lambda options: "-".join(options) or "notes_form")
def test_self_attention_layer_agrees_with_library_layer(options):
    sol = _solution("self_attention_layer")
    rng = np.random.default_rng(9)
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    ours, library = sol.SelfAttention(3, **options), SelfAttention(3, **options)
    ours(x)
    library(x)
    assert [w.name for w in ours.weights] == [w.name for w in library.weights]
    weights = [rng.normal(size=w.shape).astype("float32") for w in library.get_weights()]
    ours.set_weights(weights)
    library.set_weights(weights)
    for a, b in zip(ours(x, return_attention_scores=True), library(x, return_attention_scores=True)):
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-5, atol=1e-6)


def test_rnn_cell_layer_agrees_with_library_cell():
    sol = _solution("rnn_cell_layer")
    rng = np.random.default_rng(10)
    x = rng.normal(size=(3, 7, 2)).astype("float32")
    layers = [keras.layers.RNN(cell, return_sequences=True) for cell in (sol.VanillaRNNCell(4, 3), VanillaRNNCell(4, 3))]
    for layer in layers:
        layer(x)
    weights = [rng.normal(size=w.shape).astype("float32") for w in layers[1].get_weights()]
    for layer in layers:
        layer.set_weights(weights)
    np.testing.assert_allclose(_numpy(layers[0](x)), _numpy(layers[1](x)), rtol=1e-5, atol=1e-6)
