"""Scaled dot-product attention and SelfAttention: the notes' form (no biases, no output
projection) against a numpy loop over the notes' steps and against
keras.layers.MultiHeadAttention(num_heads=1, use_bias=False) with an identity output projection;
the extended forms (biases, W_o, the causal mask) against MultiHeadAttention on shared weights;
plot_attention and plot_gradient_norms (image data, labels) with the Agg backend."""

import doctest

import keras
import matplotlib
import numpy as np
import pytest

import dlcourse.sequence.attention
import dlcourse.sequence.plots
from dlcourse.sequence import (
    SelfAttention,
    causal_mask,
    plot_attention,
    plot_gradient_norms,
    scaled_dot_product_attention,
)

matplotlib.use("Agg")


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _shared_attention(seed, d_model, key_dim, value_dim=None, use_bias=True, use_output_projection=True):
    """Our SelfAttention and a one-head MultiHeadAttention holding the same random weights.

    MultiHeadAttention always projects its output; for our layers without W_o it gets
    output_shape=value_dim, an identity W_o and a zero b_o, which leave A V unchanged."""
    value_dim = value_dim or key_dim
    rng = np.random.default_rng(seed)
    shapes = [(d_model, key_dim), (key_dim,), (d_model, key_dim), (key_dim,),
              (d_model, value_dim), (value_dim,), (value_dim, d_model), (d_model,)]
    weights = [rng.normal(size=s).astype("float32") * 0.5 for s in shapes]
    if not use_output_projection:
        weights[6:] = [np.eye(value_dim, dtype="float32"), np.zeros(value_dim, "float32")]
    ours = SelfAttention(key_dim, value_dim=value_dim, use_bias=use_bias, use_output_projection=use_output_projection)
    ours.build((None, None, d_model))
    kept = weights if use_output_projection else weights[:6]
    ours.set_weights(kept if use_bias else kept[0::2])
    theirs = keras.layers.MultiHeadAttention(num_heads=1, key_dim=key_dim, value_dim=value_dim, use_bias=use_bias,
                                             output_shape=None if use_output_projection else value_dim)
    x = np.zeros((1, 2, d_model), "float32")
    # With the scores Keras computes attention itself on every backend; without them, on JAX it
    # calls jax.nn.dot_product_attention, which refuses value_dim != key_dim (Keras 3.15, jax 0.10).
    theirs(x, x, return_attention_scores=True)
    # MultiHeadAttention's kernels carry a head axis of size 1: (d, 1, k), bias (1, k); output (1, v, d)
    w_q, b_q, w_k, b_k, w_v, b_v, w_o, b_o = weights
    head = [w_q[:, None], b_q[None], w_k[:, None], b_k[None], w_v[:, None], b_v[None], w_o[None], b_o]
    theirs.set_weights(head if use_bias else head[0::2])
    return ours, theirs


def _notes_self_attention(x, w_q, w_k, w_v):
    """The notes' steps for one sequence, position by position, with column vectors:
    q^i = W^q a^i (W^q = w_q^T), alpha_{t,i} = q^t . k^i / sqrt(d), b^t = sum_i alpha_hat_{t,i} v^i."""
    a = [row[:, None] for row in x]
    q, k, v = ([w.T @ a_i for a_i in a] for w in (w_q, w_k, w_v))
    d = w_q.shape[1]
    outputs, weights = [], []
    for t in range(len(a)):
        alpha = np.array([(q[t].T @ k_i).item() / np.sqrt(d) for k_i in k])
        alpha_hat = np.exp(alpha) / np.sum(np.exp(alpha))
        outputs.append(sum(w * v_i for w, v_i in zip(alpha_hat, v))[:, 0])
        weights.append(alpha_hat)
    return np.array(outputs), np.array(weights)


@pytest.mark.backend_neutral
def test_notes_form_is_the_default_and_follows_the_notes_steps():
    rng = np.random.default_rng(20)
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    w_q, w_k, w_v = (rng.normal(size=(4, 3)).astype("float32") for _ in range(3))
    layer = SelfAttention(3)
    out, weights = layer(x, return_attention_scores=True)
    assert [w.name for w in layer.weights] == ["W_q", "W_k", "W_v"]
    layer.set_weights([w_q, w_k, w_v])
    out, weights = layer(x, return_attention_scores=True)
    assert out.shape == (2, 5, 3)
    for b in range(2):
        expected, expected_weights = _notes_self_attention(x[b].astype(float), w_q, w_k, w_v)
        np.testing.assert_allclose(_numpy(out)[b], expected, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(_numpy(weights)[b], expected_weights, rtol=1e-5, atol=1e-7)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("use_bias", [False, True])
@pytest.mark.parametrize("causal", [False, True])
def test_forms_without_output_projection_match_multi_head_attention(use_bias, causal):
    ours, theirs = _shared_attention(11, 6, 3, value_dim=4, use_bias=use_bias, use_output_projection=False)
    x = np.random.default_rng(12).normal(size=(2, 5, 6)).astype("float32")
    out, weights = ours(x, use_causal_mask=causal, return_attention_scores=True)
    expected, expected_weights = theirs(x, x, use_causal_mask=causal, return_attention_scores=True)
    assert out.shape == (2, 5, 4)
    np.testing.assert_allclose(_numpy(out), _numpy(expected), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_numpy(weights), _numpy(expected_weights)[:, 0], rtol=1e-5, atol=1e-6)


def test_causal_option_is_the_default_of_the_call_argument():
    x = np.random.default_rng(13).normal(size=(2, 4, 3)).astype("float32")
    causal, plain = SelfAttention(2, causal=True), SelfAttention(2)
    causal(x)
    plain(x)
    plain.set_weights(causal.get_weights())
    np.testing.assert_array_equal(_numpy(causal(x)), _numpy(plain(x, use_causal_mask=True)))
    np.testing.assert_array_equal(_numpy(causal(x, use_causal_mask=False)), _numpy(plain(x)))
    _, weights = causal(x, return_attention_scores=True)
    assert np.all(np.triu(_numpy(weights), k=1) == 0)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("seed, batch, steps, d_model, key_dim, value_dim", [(0, 2, 5, 8, 4, None), (1, 3, 7, 6, 3, 5)])
@pytest.mark.parametrize("causal", [False, True])
def test_self_attention_matches_multi_head_attention(seed, batch, steps, d_model, key_dim, value_dim, causal):
    """With biases and the output projection (both beyond the notes) this is Keras' one-head form."""
    ours, theirs = _shared_attention(seed, d_model, key_dim, value_dim)
    x = np.random.default_rng(seed + 10).normal(size=(batch, steps, d_model)).astype("float32")
    out, weights = ours(x, use_causal_mask=causal, return_attention_scores=True)
    expected, expected_weights = theirs(x, x, use_causal_mask=causal, return_attention_scores=True)
    np.testing.assert_allclose(_numpy(out), _numpy(expected), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_numpy(weights), _numpy(expected_weights)[:, 0], rtol=1e-5, atol=1e-6)
    if causal:
        assert np.all(np.triu(_numpy(weights), k=1) == 0)


def test_padding_mask_and_no_bias_match_multi_head_attention():
    ours, theirs = _shared_attention(2, 4, 4, use_bias=False)
    x = np.random.default_rng(3).normal(size=(2, 5, 4)).astype("float32")
    mask = np.ones((2, 5, 5), bool)
    mask[0, :, 3:] = False  # the first sequence has two padding positions
    for causal in (False, True):
        np.testing.assert_allclose(
            _numpy(ours(x, attention_mask=mask, use_causal_mask=causal)),
            _numpy(theirs(x, x, attention_mask=mask, use_causal_mask=causal)), rtol=1e-5, atol=1e-5)


def test_keras_padding_mask_matches_multi_head_attention():
    """After Embedding(mask_zero=True) both layers receive the padding mask implicitly."""
    ours, theirs = _shared_attention(7, 4, 2)
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2]])
    embedding = keras.layers.Embedding(10, 4, mask_zero=True)
    outputs = []
    for layer in (ours, theirs):
        inputs = keras.Input((5,), dtype="int32")
        x = embedding(inputs)
        attended = layer(x, use_causal_mask=True) if layer is ours else layer(x, x, use_causal_mask=True)
        outputs.append(keras.Model(inputs, attended)(tokens))
    kept = tokens != 0  # what padding positions hold is left to each layer (Keras masks it downstream)
    np.testing.assert_allclose(_numpy(outputs[0])[kept], _numpy(outputs[1])[kept], rtol=1e-5, atol=1e-5)
    _, weights = ours(_numpy(embedding(tokens)), mask=tokens != 0, return_attention_scores=True)
    assert np.all(_numpy(weights)[0, 3:] == 0) and np.all(_numpy(weights)[0, :, 3:] == 0)
    assert _numpy(ours.compute_mask(None, tokens != 0)).tolist() == (tokens != 0).tolist()


def test_scaled_dot_product_attention_by_its_definition():
    rng = np.random.default_rng(4)
    q, k, v = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 5))
    out, weights = scaled_dot_product_attention(q, k, v)
    scores = np.einsum("btd,bsd->bts", q, k) / np.sqrt(3)
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(_numpy(weights), expected, rtol=1e-6)
    np.testing.assert_allclose(_numpy(out), expected @ v, rtol=1e-6)
    # a mask with a fully masked row: zero weights there (Keras' convention), no NaN
    mask = np.ones((4, 6), bool)
    mask[1] = False
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(_numpy(weights)[:, 1] == 0) and np.all(np.isfinite(_numpy(out)))
    np.testing.assert_allclose(_numpy(weights)[:, [0, 2, 3]], expected[:, [0, 2, 3]], rtol=1e-6)


@pytest.mark.backend_neutral
def test_causal_mask():
    np.testing.assert_array_equal(_numpy(causal_mask(4)), np.tril(np.ones((4, 4), bool)))
    np.testing.assert_array_equal(_numpy(causal_mask(2, 3)), np.tril(np.ones((2, 3), bool)))
    with pytest.raises(ValueError, match="query_length must be a positive integer, got 0"):
        causal_mask(0)


@pytest.mark.backend_neutral
def test_self_attention_weights_config_and_save_load(tmp_path):
    layer = SelfAttention(3, value_dim=2, output_dim=5, use_bias=True, use_output_projection=True, name="attention")
    notes = SelfAttention(3, causal=True, name="notes_attention")
    inputs = keras.Input((None, 4))
    model = keras.Model(inputs, [layer(inputs, use_causal_mask=True), notes(inputs)])
    assert [w.name for w in layer.weights] == ["W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o"]
    assert [tuple(w.shape) for w in layer.weights[::2]] == [(4, 3), (4, 3), (4, 2), (2, 5)]
    assert [tuple(w.shape) for w in notes.weights] == [(4, 3), (4, 3), (4, 3)]
    for original in (layer, notes):
        restored = SelfAttention.from_config(original.get_config())
        assert restored.get_config() == original.get_config()
    config = notes.get_config()
    assert (config["use_bias"], config["use_output_projection"], config["causal"]) == (False, False, True)
    x = np.random.default_rng(5).normal(size=(2, 6, 4)).astype("float32")
    assert [tuple(o.shape) for o in model(x)] == [(2, 6, 5), (2, 6, 3)]
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), model(x)):
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-6, atol=1e-6)
    scores_model = keras.Model(inputs, SelfAttention(3, use_output_projection=True, output_dim=5)(
        inputs, return_attention_scores=True))
    assert [tuple(o.shape) for o in scores_model(x)] == [(2, 6, 5), (2, 6, 6)]
    with pytest.raises(ValueError, match="key_dim must be a positive integer, got -1"):
        SelfAttention(-1)
    with pytest.raises(ValueError, match="output_dim=5 needs use_output_projection=True"):
        SelfAttention(3, output_dim=5)


def test_config_saved_before_the_options_loads_with_its_output_projection():
    """A SelfAttention saved by dlcourse before use_output_projection and causal existed
    (its get_config then wrote exactly these keys) still has W_o and no causal mask."""
    old_config = {"name": "self_attention", "trainable": True, "dtype": "float32", "key_dim": 2, "value_dim": 2,
                  "output_dim": None, "use_bias": True,
                  "kernel_initializer": keras.initializers.serialize(keras.initializers.get("glorot_uniform")),
                  "bias_initializer": keras.initializers.serialize(keras.initializers.get("zeros"))}
    layer = SelfAttention.from_config(old_config)
    assert layer.use_output_projection and not layer.causal
    layer.build((None, None, 4))
    assert [w.name for w in layer.weights] == ["W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o"]


def test_model_file_saved_before_the_options_loads(tmp_path):
    """A .keras file whose SelfAttention config lacks the new keys, as older dlcourse wrote it."""
    import json
    import zipfile

    inputs = keras.Input((3, 4))
    model = keras.Model(inputs, SelfAttention(2, use_bias=True, use_output_projection=True)(inputs))
    model.save(tmp_path / "new.keras")
    with zipfile.ZipFile(tmp_path / "new.keras") as new, zipfile.ZipFile(tmp_path / "old.keras", "w") as old:
        for item in new.infolist():
            data = new.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                for layer in config["config"]["layers"]:
                    if layer["class_name"] == "SelfAttention":
                        del layer["config"]["use_output_projection"], layer["config"]["causal"]
                data = json.dumps(config).encode()
            old.writestr(item, data)
    x = np.random.default_rng(14).normal(size=(2, 3, 4)).astype("float32")
    loaded = keras.models.load_model(tmp_path / "old.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)


def test_plot_attention_shows_the_weights_and_the_tokens():
    tokens = ["the", "cat", "sat", "down"]
    weights = _numpy(scaled_dot_product_attention(
        *[np.random.default_rng(6).normal(size=(4, 3))] * 3, mask=causal_mask(4))[1])
    figure = plot_attention(weights, tokens, tokens, title="causal self-attention")
    ax = figure.axes[0]
    np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), weights)
    assert [t.get_text() for t in ax.get_xticklabels()] == tokens
    assert [t.get_text() for t in ax.get_yticklabels()] == tokens
    assert ax.get_title() == "causal self-attention"
    assert any(a.get_ylabel() == "attention weight" for a in figure.axes[1:])  # the colorbar
    figure.canvas.draw()  # renders with Agg
    with pytest.raises(ValueError, match="need 4 query tokens and 4 key tokens, got 3 and 4"):
        plot_attention(weights, tokens[:3], tokens)
    with pytest.raises(ValueError, match="weights must have shape"):
        plot_attention(weights[None], tokens, tokens)


def test_plot_attention_draws_into_given_axes():
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    assert plot_attention(np.eye(2), ["a", "b"], ["x", "y"], ax=ax) is figure


def test_plot_gradient_norms_draws_one_log_line_per_model():
    rnn = np.array([[0.5, 0.25, 0.125], [2.0, 1.0, 0.5]])  # geometric mean: 1, 0.5, 0.25
    figure = plot_gradient_norms({"vanilla RNN": rnn, "LSTM": np.ones(3)}, title="vanishing")
    ax = figure.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "vanishing"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["vanilla RNN", "LSTM"]
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[0].get_ydata(), [1.0, 0.5, 0.25])
    np.testing.assert_allclose(lines[1].get_ydata(), [1.0, 1.0, 1.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["vanilla RNN", "LSTM"]
    figure.canvas.draw()
    with pytest.raises(ValueError, match="norms must be a non-empty dict"):
        plot_gradient_norms([])


@pytest.mark.parametrize("module", [dlcourse.sequence.attention, dlcourse.sequence.plots])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
