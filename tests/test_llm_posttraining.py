"""Chapter 8's post-training: the SFT loss mask against explicit loops and Keras' own weighted
cross-entropy, LoRA against Keras 3's `Dense.enable_lora` on shared weights (outputs, trainable
counts, training steps, merging, saving), DPO against its closed form and finite differences,
and the three exercises tied to their library twins."""

import doctest
import math
import pathlib

import keras
import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.llm import posttraining
from dlcourse.llm.training import causal_lm_loss
from dlcourse.llm.posttraining import (
    LoRADense,
    apply_lora,
    dpo_loss,
    sequence_log_probabilities,
    sft_examples,
    sft_loss_mask,
    trainable_parameter_count,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
backend_neutral = pytest.mark.backend_neutral


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


@backend_neutral
def test_doctests():
    assert doctest.testmod(posttraining, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


# --- SFT -------------------------------------------------------------------------------------

def _mask_by_loops(prompt_lengths, sequence_lengths, length):
    mask = np.zeros((len(prompt_lengths), length))
    for b, (p, n) in enumerate(zip(prompt_lengths, sequence_lengths)):
        for t in range(length):
            if p <= t < n:
                mask[b, t] = 1.0
    return mask


@backend_neutral
def test_sft_mask_matches_explicit_loops():
    rng = np.random.default_rng(0)
    prompts = rng.integers(1, 6, size=20)
    sequences = prompts + rng.integers(1, 5, size=20)
    np.testing.assert_array_equal(sft_loss_mask(prompts, sequences, 11), _mask_by_loops(prompts, sequences, 11))
    # smallest legal prompt (1 token) and a sequence that fills the whole row
    np.testing.assert_array_equal(sft_loss_mask([1], [4], 4), [[0, 1, 1, 1]])


@backend_neutral
@pytest.mark.parametrize("prompts, sequences, length", [([0], [3], 4), ([2], [2], 4), ([2], [5], 4),
                                                         ([1, 2], [3], 4), ([1.0], [3], 4)])
def test_sft_mask_refuses_bad_lengths(prompts, sequences, length):
    with pytest.raises(ValueError):
        sft_loss_mask(prompts, sequences, length)


def _masked_nll_keras(logits, token_ids, mask):
    """Keras' own sparse cross-entropy on explicitly shifted targets, weighted by the mask."""
    per_token = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)(
        token_ids[:, 1:], logits[:, :-1])
    weights = mask[:, 1:]
    return float(np.sum(_numpy(per_token) * weights) / np.sum(weights))


@backend_neutral
def test_sft_examples_layout_and_loss_ignores_the_prompt():
    prompts, responses = [[5, 6, 7], [8], [9, 10]], [[11, 12], [13, 14, 15], [16]]
    ids, mask = sft_examples(prompts, responses, eos_id=3, pad_id=0)
    np.testing.assert_array_equal(ids, [[5, 6, 7, 11, 12, 3], [8, 13, 14, 15, 3, 0], [9, 10, 16, 3, 0, 0]])
    np.testing.assert_array_equal(mask, _mask_by_loops([3, 1, 2], [6, 5, 4], 6))
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(3, 6, 20)).astype("float32")
    loss = _masked_nll_keras(logits, ids, mask)

    def ours(values):
        return float(_numpy(causal_lm_loss(values, ids, mask)))

    assert ours(logits) == pytest.approx(loss, rel=1e-5)
    # logits at position t predict token t + 1: those predicting a prompt token or padding do not count
    changed = logits.copy()
    for b, t in np.argwhere(mask[:, 1:] == 0):
        changed[b, t] = rng.normal(size=20) * 10
    changed[:, -1] = rng.normal(size=(3, 20)) * 10  # the last position predicts nothing
    assert ours(changed) == pytest.approx(loss, rel=1e-5)
    # ... and those predicting a response token do
    moved = logits.copy()
    moved[0, 2, ids[0, 3]] += 5.0  # predicts ids[0, 3], the first response token
    assert ours(moved) != pytest.approx(loss, rel=1e-3)
    # the mean NLL is -sum log P(response | prompt) / number of response tokens
    total = -np.sum(_numpy(sequence_log_probabilities(logits, ids, mask)))
    assert total / mask.sum() == pytest.approx(loss, rel=1e-5)


@backend_neutral
def test_sft_examples_with_a_tokenizer_and_errors():
    class Words:
        def encode(self, text):
            return [len(word) for word in text.split()]

    ids, mask = sft_examples(["ab c"], ["def"], tokenizer=Words(), length=5, pad_id=9)
    np.testing.assert_array_equal(ids, [[2, 1, 3, 9, 9]])
    np.testing.assert_array_equal(mask, [[0, 0, 1, 0, 0]])
    with pytest.raises(ValueError, match="tokenizer"):
        sft_examples(["ab"], ["c"])
    with pytest.raises(ValueError, match="length"):
        sft_examples([[1, 2]], [[3]], length=2)
    with pytest.raises(ValueError, match="empty"):
        sft_examples([[]], [[3]])


def test_sft_loss_equals_causal_lm_loss_with_the_mask():
    """The mask plugs into pre-training's loss (helper P's `causal_lm_loss`) as its `mask`."""
    from dlcourse.llm import training
    ids, mask = sft_examples([[5, 6, 7], [8]], [[11, 12], [13, 14, 15]], eos_id=3)
    logits = np.random.default_rng(2).normal(size=(*ids.shape, 20)).astype("float32")
    ours = float(_numpy(training.causal_lm_loss(logits, ids, mask)))
    assert ours == pytest.approx(_masked_nll_keras(logits, ids, mask), rel=1e-5)


# --- LoRA ------------------------------------------------------------------------------------

def _pair(rng, units=5, input_dim=7, rank=3, alpha=6.0, activation=None, train_bias=True):
    """A Keras Dense with enable_lora and a LoRADense on the same W, b, A and B."""
    keras_dense = keras.layers.Dense(units, activation=activation)
    keras_dense.build((None, input_dim))
    keras_dense.kernel.assign(rng.normal(size=(input_dim, units)).astype("float32"))
    keras_dense.bias.assign(rng.normal(size=units).astype("float32"))
    ours = LoRADense.from_dense(keras_dense, rank, alpha=alpha, train_bias=train_bias)
    keras_dense.enable_lora(rank, lora_alpha=alpha)
    ours.lora_kernel_a.assign(_numpy(keras_dense.lora_kernel_a))
    return keras_dense, ours


@backend_neutral
def test_lora_starts_as_the_base_layer_and_equals_keras_enable_lora():
    rng = np.random.default_rng(0)
    keras_dense = keras.layers.Dense(5, activation="tanh")
    x = rng.normal(size=(4, 2, 7)).astype("float32")
    base = _numpy(keras_dense(x))
    ours = LoRADense.from_dense(keras_dense, rank=3, alpha=6.0)
    assert np.abs(_numpy(ours.lora_kernel_b)).max() == 0.0
    np.testing.assert_allclose(_numpy(ours(x)), base, rtol=1e-6, atol=1e-6)
    keras_dense, ours = _pair(rng, activation="tanh")
    for weight in (keras_dense.lora_kernel_b, keras_dense.lora_kernel_a):  # move both away from 0
        weight.assign(rng.normal(size=weight.shape).astype("float32"))
    ours.lora_kernel_a.assign(_numpy(keras_dense.lora_kernel_a))
    ours.lora_kernel_b.assign(keras_dense.lora_kernel_b)
    np.testing.assert_allclose(_numpy(ours(x)), _numpy(keras_dense(x)), rtol=1e-5, atol=1e-5)
    assert ours.scale == 2.0 and keras_dense.lora_alpha / keras_dense.lora_rank == 2.0
    assert tuple(ours.lora_kernel_a.shape) == tuple(keras_dense.lora_kernel_a.shape) == (7, 3)
    assert tuple(ours.lora_kernel_b.shape) == tuple(keras_dense.lora_kernel_b.shape) == (3, 5)


@backend_neutral
def test_trainable_counts_match_keras():
    rng = np.random.default_rng(1)
    keras_dense, ours = _pair(rng, units=6, input_dim=10, rank=2, train_bias=True)
    # Keras' LoRA freezes the kernel only: r (in + out) + the bias
    assert trainable_parameter_count(ours) == trainable_parameter_count(keras_dense) == 2 * (10 + 6) + 6
    _, frozen_bias = _pair(rng, units=6, input_dim=10, rank=2, train_bias=False)
    assert trainable_parameter_count(frozen_bias) == 2 * (10 + 6)  # the paper: A and B only
    assert {w.name for w in frozen_bias.trainable_weights} == {"lora_kernel_a", "lora_kernel_b"}


@backend_neutral
def test_training_steps_match_keras_and_merging_equals_the_adapted_layer():
    rng = np.random.default_rng(2)
    keras_dense, ours = _pair(rng, units=4, input_dim=6, rank=2, alpha=4.0, train_bias=True)
    x, y = rng.normal(size=(32, 6)).astype("float32"), rng.normal(size=(32, 4)).astype("float32")
    frozen_kernel = _numpy(ours.kernel).copy()
    for layer in (keras_dense, ours):
        model = keras.Sequential([keras.Input((6,)), layer])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(_numpy(ours.lora_kernel_b), _numpy(keras_dense.lora_kernel_b), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_numpy(ours.lora_kernel_a), _numpy(keras_dense.lora_kernel_a), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_numpy(ours(x)), _numpy(keras_dense(x)), rtol=1e-4, atol=1e-5)
    assert np.abs(_numpy(ours.lora_kernel_b)).max() > 1e-3  # B did move ...
    np.testing.assert_array_equal(_numpy(ours.kernel), frozen_kernel)  # ... W did not
    merged = ours.to_dense()
    np.testing.assert_allclose(_numpy(merged(x)), _numpy(ours(x)), rtol=1e-5, atol=1e-5)
    expected = frozen_kernel + 2.0 * _numpy(ours.lora_kernel_a) @ _numpy(ours.lora_kernel_b)
    np.testing.assert_allclose(_numpy(merged.kernel), expected, rtol=1e-5, atol=1e-6)


@backend_neutral
def test_lora_dense_saves_and_loads(tmp_path):
    rng = np.random.default_rng(3)
    layer = LoRADense(3, rank=2, alpha=8, activation="relu", lora_a_initializer=keras.initializers.RandomNormal(seed=1))
    model = keras.Sequential([keras.Input((5,)), layer])
    layer.lora_kernel_b.assign(rng.normal(size=(2, 3)).astype("float32"))
    x = rng.normal(size=(4, 5)).astype("float32")
    model.save(tmp_path / "lora.keras")
    loaded = keras.models.load_model(tmp_path / "lora.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6)
    assert trainable_parameter_count(loaded) == 2 * (5 + 3)
    config = LoRADense.from_config(layer.get_config()).get_config()
    assert config == layer.get_config()


@backend_neutral
@pytest.mark.parametrize("options", [dict(rank=0), dict(rank=2, alpha=0), dict(rank=2, alpha=True),
                                     dict(rank=1.5)])
def test_lora_refuses_bad_arguments(options):
    with pytest.raises(ValueError):
        LoRADense(4, **options)


def _language_model():
    from dlcourse.llm import GPT

    return GPT(20, max_length=8, hidden_dim=16, num_layers=1, num_heads=2, tie_weights=False)


@backend_neutral
def test_apply_lora_on_a_language_model(tmp_path):
    keras.utils.set_random_seed(0)
    model = _language_model()
    ids = np.random.default_rng(4).integers(1, 20, size=(8, 8)).astype("int32")
    before = _numpy(model(ids))
    dense_layers = posttraining._dense_layers(model)
    expected = sum(2 * (layer.kernel.shape[0] + layer.kernel.shape[1]) for layer in dense_layers)
    adapted = apply_lora(model, rank=2, alpha=4)
    assert len(adapted) == len(dense_layers) >= 2
    assert trainable_parameter_count(model) == expected
    np.testing.assert_allclose(_numpy(model(ids)), before, rtol=1e-6, atol=1e-6)  # B = 0: unchanged
    frozen = {w.path: _numpy(w).copy() for w in model.weights if not w.trainable}
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(ids[:, :-1], ids[:, 1:], epochs=2, verbose=0)
    for path, value in frozen.items():
        np.testing.assert_array_equal(_numpy(next(w for w in model.weights if w.path == path)), value, err_msg=path)
    after = _numpy(model(ids))
    assert np.abs(after - before).max() > 1e-3
    model.save(tmp_path / "lm.keras")  # Keras writes W + (alpha/r) A B into each kernel
    loaded = keras.models.load_model(tmp_path / "lm.keras", compile=False)
    np.testing.assert_allclose(_numpy(loaded(ids)), after, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="no dense layer"):
        apply_lora(_language_model_built(), rank=2, target="no_such_layer")


def _language_model_built():
    model = _language_model()
    model(np.ones((1, 4), "int32"))
    return model


# --- DPO -------------------------------------------------------------------------------------

def _log_probs_by_loops(logits, ids, mask):
    out = np.zeros(len(ids))
    for b in range(len(ids)):
        for t in range(1, ids.shape[1]):
            if mask[b, t]:
                row = logits[b, t - 1].astype(float)
                out[b] += row[ids[b, t]] - math.log(sum(math.exp(v) for v in row))
    return out


@backend_neutral
def test_sequence_log_probabilities_match_explicit_loops():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(4, 6, 9)).astype("float32") * 3
    ids = rng.integers(0, 9, size=(4, 6))
    mask = (rng.uniform(size=(4, 6)) < 0.6).astype("float32")
    np.testing.assert_allclose(_numpy(sequence_log_probabilities(logits, ids, mask)),
                               _log_probs_by_loops(logits, ids, mask), rtol=1e-5, atol=1e-5)
    # large logits: the log-softmax stays finite
    big = _numpy(sequence_log_probabilities(logits * 300, ids, mask))
    assert np.isfinite(big).all()


def _dpo_closed_form(pc, pr, rc, rr, beta):
    margin = (pc - rc) - (pr - rr)
    return float(np.mean(np.logaddexp(0.0, -beta * margin)))  # -log sigmoid(z) = log(1 + e^-z)


@backend_neutral
def test_dpo_loss_matches_the_closed_form():
    rng = np.random.default_rng(6)
    pc, pr, rc, rr = rng.normal(size=(4, 10)) * 5
    for beta in (0.1, 0.5, 2.0):
        assert float(_numpy(dpo_loss(pc, pr, rc, rr, beta))) == pytest.approx(
            _dpo_closed_form(pc, pr, rc, rr, beta), rel=1e-5)
    # policy == reference: log 2 whatever the log-probabilities
    assert float(_numpy(dpo_loss(pc, pr, pc, pr, 0.3))) == pytest.approx(math.log(2), rel=1e-6)
    # margins of +-5000: stays finite, -log sigmoid(z) -> -z for z << 0 and -> 0 for z >> 0
    assert float(_numpy(dpo_loss([-5000.0], [0.0], [0.0], [0.0], 1.0))) == pytest.approx(5000.0, rel=1e-6)
    assert float(_numpy(dpo_loss([5000.0], [0.0], [0.0], [0.0], 1.0))) == pytest.approx(0.0, abs=1e-6)
    for bad in (0, -1.0, True):
        with pytest.raises(ValueError, match="beta"):
            dpo_loss(pc, pr, rc, rr, bad)


def _dpo_gradient_closed_form(pc, pr, rc, rr, beta):
    margin = (pc - rc) - (pr - rr)
    g = -beta / (1.0 + np.exp(beta * margin)) / len(pc)  # -beta sigmoid(-beta margin) / N
    return g, -g


@backend_neutral
def test_dpo_gradient_matches_finite_differences_and_the_closed_form():
    rng = np.random.default_rng(7)
    pc, pr, rc, rr = rng.normal(size=(4, 6)) * 3
    beta, eps = 0.7, 1e-3
    grad_c, grad_r = _dpo_gradient_closed_form(pc, pr, rc, rr, beta)
    for i in range(6):
        step = np.eye(6)[i] * eps
        fd_c = (float(_numpy(dpo_loss(pc + step, pr, rc, rr, beta))) -
                float(_numpy(dpo_loss(pc - step, pr, rc, rr, beta)))) / (2 * eps)
        fd_r = (float(_numpy(dpo_loss(pc, pr + step, rc, rr, beta))) -
                float(_numpy(dpo_loss(pc, pr - step, rc, rr, beta)))) / (2 * eps)
        assert fd_c == pytest.approx(grad_c[i], abs=2e-4)
        assert fd_r == pytest.approx(grad_r[i], abs=2e-4)


def test_dpo_autodiff_gradient_equals_the_closed_form():
    import tensorflow as tf

    rng = np.random.default_rng(8)
    pc, pr, rc, rr = (tf.constant(v, dtype="float32") for v in rng.normal(size=(4, 5)) * 4)
    with tf.GradientTape() as tape:
        tape.watch([pc, pr])
        loss = dpo_loss(pc, pr, rc, rr, beta=0.5)
    grad_c, grad_r = tape.gradient(loss, [pc, pr])
    expected_c, expected_r = _dpo_gradient_closed_form(*(v.numpy().astype(float) for v in (pc, pr, rc, rr)), 0.5)
    np.testing.assert_allclose(grad_c.numpy(), expected_c, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grad_r.numpy(), expected_r, rtol=1e-5, atol=1e-7)
    with tf.GradientTape() as tape:  # at margins of 1e4 the gradient is finite (0 or -beta / N)
        extreme = tf.constant([-1e4, 1e4])
        tape.watch(extreme)
        loss = dpo_loss(extreme, tf.zeros(2), tf.zeros(2), tf.zeros(2), beta=1.0)
    np.testing.assert_allclose(tape.gradient(loss, extreme).numpy(), [-0.5, 0.0], atol=1e-7)


# --- the exercises and their library twins -----------------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch08_llm" / f"{name}.py"), f"_solution_ch08_{name}")


def test_sft_loss_mask_exercise_equals_the_library():
    sub = _solution("sft_loss_mask")
    rng = np.random.default_rng(9)
    prompts = rng.integers(1, 5, size=6)
    lengths = prompts + rng.integers(1, 4, size=6)
    np.testing.assert_array_equal(sub.sft_loss_mask(prompts, lengths, 9), sft_loss_mask(prompts, lengths, 9))
    ids = rng.integers(0, 12, size=(6, 9))
    logits = rng.normal(size=(6, 9, 12))
    mask = sft_loss_mask(prompts, lengths, 9)
    assert sub.sft_loss(logits, ids, prompts, lengths) == pytest.approx(
        _masked_nll_keras(logits.astype("float32"), ids, mask), rel=1e-5)


def test_lora_dense_exercise_equals_keras_enable_lora():
    sub = _solution("lora_dense")
    rng = np.random.default_rng(10)
    keras_dense, ours = _pair(rng, units=4, input_dim=6, rank=2, alpha=5.0)
    keras_dense.lora_kernel_b.assign(rng.normal(size=(2, 4)).astype("float32"))
    x = rng.normal(size=(3, 6))
    w, b = _numpy(ours.kernel), _numpy(ours.bias)  # Keras' own `kernel` is already the merged one
    a, bb = _numpy(keras_dense.lora_kernel_a), _numpy(keras_dense.lora_kernel_b)
    np.testing.assert_allclose(sub.lora_forward(x, w, b, a, bb, 5.0), _numpy(keras_dense(x.astype("float32"))),
                               rtol=1e-4, atol=1e-5)
    assert sub.lora_trainable_count(6, 4, 2) == trainable_parameter_count(keras_dense) - 4  # bias frozen
    lora = LoRADense.from_dense(_built(w, b), 2, 5.0)
    lora.lora_kernel_a.assign(a)
    lora.lora_kernel_b.assign(bb)
    np.testing.assert_allclose(sub.lora_merge(w, a, bb, 5.0), _numpy(lora.merged_kernel()), rtol=1e-5, atol=1e-6)


def _built(kernel, bias):
    dense = keras.layers.Dense(kernel.shape[1])
    dense.build((None, kernel.shape[0]))
    dense.kernel.assign(kernel)
    dense.bias.assign(bias)
    return dense


def test_dpo_loss_exercise_equals_the_library():
    sub = _solution("dpo_loss")
    rng = np.random.default_rng(11)
    pc, pr, rc, rr = rng.normal(size=(4, 7)) * 4
    loss = sub.dpo_loss(pc, pr, rc, rr, 0.4)
    grad_c, grad_r = sub.dpo_gradients(pc, pr, rc, rr, 0.4)
    assert loss == pytest.approx(float(_numpy(dpo_loss(pc, pr, rc, rr, 0.4))), rel=1e-5)
    expected_c, expected_r = _dpo_gradient_closed_form(pc, pr, rc, rr, 0.4)
    np.testing.assert_allclose(grad_c, expected_c, rtol=1e-6)
    np.testing.assert_allclose(grad_r, expected_r, rtol=1e-6)
