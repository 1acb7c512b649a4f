"""Chapter 8's pre-training: the next-token loss against Keras' sparse cross-entropy on explicitly
shifted arrays and against a numpy log-softmax, perplexity, the warmup + cosine schedule against
`keras.optimizers.schedules.CosineDecay`, the course AdamW against `keras.optimizers.AdamW`, the
reuse of chapter 3's global-norm clipping, the end-to-end run (grammar corpus -> BPE -> GPT ->
AdamW + cosine) to a held-out perplexity far below the unigram baseline's, and the exercises
tied to their library twins."""

import math
import pathlib

import keras
import numpy as np
import pytest

import dlcourse.llm.training as training
from dlcourse.grading.probe import load_module
from dlcourse.llm.plots import plot_loss_curve
from dlcourse.llm.training import (
    CausalLMLoss,
    WarmupCosineDecay,
    causal_lm_loss,
    evaluate_perplexity,
    language_model_dataset,
    mean_negative_log_likelihood,
    perplexity,
    train_language_model,
    unigram_perplexity,
)
from dlcourse.training import Adam, AdamW

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _numpy_log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _batch(seed=0, batch=3, length=6, vocabulary=9, scale=1.0):
    rng = np.random.default_rng(seed)
    return ((rng.normal(size=(batch, length, vocabulary)) * scale).astype("float32"),
            rng.integers(0, vocabulary, size=(batch, length)))


# --- the loss and perplexity ---

@pytest.mark.backend_neutral
def test_loss_equals_keras_sparse_crossentropy_on_explicitly_shifted_arrays():
    logits, ids = _batch(0)
    oracle = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(ids[:, 1:], logits[:, :-1])
    np.testing.assert_allclose(float(causal_lm_loss(logits, ids)), float(oracle), rtol=1e-5)
    # the Keras loss class: y_true is the ids themselves
    np.testing.assert_allclose(float(CausalLMLoss()(ids, logits)), float(oracle), rtol=1e-5)


@pytest.mark.backend_neutral
def test_masked_loss_equals_a_numpy_log_softmax_with_weights_on_the_targets():
    logits, ids = _batch(1, scale=30.0)
    mask = np.ones(ids.shape, "float32")
    mask[0, 4:] = 0.0
    mask[1, :3] = 0.0
    mask[2, 0] = 0.0  # the first column is never a target: it must not matter
    nll = -np.take_along_axis(_numpy_log_softmax(logits[:, :-1].astype(float)), ids[:, 1:, None], -1)[..., 0]
    expected = (mask[:, 1:] * nll).sum() / mask[:, 1:].sum()
    np.testing.assert_allclose(float(causal_lm_loss(logits, ids, mask)), expected, rtol=1e-5)
    mask[:, 0] = 7.0
    np.testing.assert_allclose(float(causal_lm_loss(logits, ids, mask)), expected, rtol=1e-5)
    # Keras' ignore_class on the shifted arrays is the 0/1 mask of the padding id
    padded = ids.copy()
    padded[0, 4:] = 0
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    np.testing.assert_allclose(float(CausalLMLoss(ignore_id=0)(padded, logits)),
                               float(keras_loss(padded[:, 1:], logits[:, :-1])), rtol=1e-5)


@pytest.mark.backend_neutral
def test_loss_is_stable_for_large_logits_and_zero_for_an_all_zero_mask():
    logits, ids = _batch(2, scale=1000.0)
    assert np.isfinite(float(causal_lm_loss(logits, ids)))
    assert float(causal_lm_loss(logits, ids, np.zeros(ids.shape))) == 0.0


@pytest.mark.backend_neutral
def test_loss_rejects_mismatched_shapes_and_single_tokens():
    logits, ids = _batch(3)
    with pytest.raises(ValueError, match="share B and T"):
        causal_lm_loss(logits, ids[:, :-1])
    with pytest.raises(ValueError, match="T >= 2"):
        causal_lm_loss(logits[:, :1], ids[:, :1])
    with pytest.raises(ValueError, match="rank 3"):
        causal_lm_loss(logits[0], ids)


@pytest.mark.backend_neutral
def test_a_uniform_model_has_perplexity_V():
    vocabulary = 13
    assert perplexity(math.log(vocabulary)) == pytest.approx(vocabulary)
    uniform = keras.Sequential([keras.layers.Embedding(vocabulary, vocabulary, embeddings_initializer="zeros")])
    ids = np.random.default_rng(0).integers(0, vocabulary, size=301)
    assert evaluate_perplexity(uniform, ids, sequence_length=16) == pytest.approx(vocabulary, rel=1e-5)


@pytest.mark.backend_neutral
def test_held_out_nll_scores_every_token_after_the_first_exactly_once():
    """A bigram table (logits at t = table[x_t]) depends on the previous token only, so the
    windowed NLL must equal the NLL of the whole stream, whatever the windows and the tail."""
    vocabulary = 7
    rng = np.random.default_rng(1)
    table = rng.normal(size=(vocabulary, vocabulary)).astype("float32")
    bigram = keras.Sequential([keras.layers.Embedding(vocabulary, vocabulary)])
    bigram.build((None, None))
    bigram.layers[0].embeddings.assign(table)
    log_p = _numpy_log_softmax(table.astype(float))
    for length in (2, 23, 51):
        ids = rng.integers(0, vocabulary, size=length)
        expected = -log_p[ids[:-1], ids[1:]].mean()
        for window in (2, 8):
            got = mean_negative_log_likelihood(bigram, ids, sequence_length=window, batch_size=3)
            np.testing.assert_allclose(got, expected, rtol=1e-5, err_msg=f"{length} ids, windows of {window}")


def test_unigram_baseline_is_add_one_smoothed_frequencies():
    train, held_out = np.array([0, 0, 0, 1, 2, 2]), np.array([0, 2, 3, 1])
    vocabulary = 5
    p = (np.bincount(train, minlength=vocabulary) + 1.0) / (train.size + vocabulary)
    expected = math.exp(-np.log(p[held_out]).mean())
    assert unigram_perplexity(train, held_out, vocabulary_size=vocabulary) == pytest.approx(expected)
    # equal counts of every id: perplexity V
    assert unigram_perplexity(np.arange(40) % 8, np.arange(8)) == pytest.approx(8.0)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        unigram_perplexity(train, held_out, vocabulary_size=3)


# --- the schedule and the optimizer ---

@pytest.mark.backend_neutral
@pytest.mark.parametrize("peak,floor,warmup,total", [(1e-3, 1e-4, 10, 100), (0.5, 0.0, 0, 7), (2e-3, 2e-3, 3, 4),
                                                     (1.0, 0.25, 1, 9)])
def test_schedule_equals_keras_cosine_decay_with_warmup(peak, floor, warmup, total):
    ours = WarmupCosineDecay(peak, warmup, total, floor)
    oracle = keras.optimizers.schedules.CosineDecay(0.0, total - warmup, alpha=floor / peak, warmup_target=peak,
                                                    warmup_steps=warmup)
    steps = sorted(set(range(warmup + 3)) | {(warmup + total) // 2} | set(range(total - 2, total + 4)))
    np.testing.assert_allclose([float(ours(s)) for s in steps], [float(oracle(s)) for s in steps],
                               rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose([float(ours.to_keras()(s)) for s in steps], [float(oracle(s)) for s in steps])
    if warmup:
        assert float(ours(0)) == 0.0 and float(ours(warmup)) == pytest.approx(peak)
    assert float(ours(total)) == pytest.approx(floor) and float(ours(total + 3)) == pytest.approx(floor)


@pytest.mark.backend_neutral
def test_schedule_and_adamw_serialize():
    schedule = WarmupCosineDecay(3e-3, 5, 50, 3e-4)
    restored = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(schedule))
    assert isinstance(restored, WarmupCosineDecay) and restored.get_config() == schedule.get_config()
    optimizer = AdamW(learning_rate=schedule, weight_decay=0.1, beta_2=0.95)
    again = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert isinstance(again, AdamW) and again.weight_decay == 0.1 and again.beta_2 == 0.95
    assert isinstance(again._learning_rate, WarmupCosineDecay)
    with pytest.raises(ValueError, match="total_steps must be larger"):
        WarmupCosineDecay(1e-3, 10, 10)
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=-0.1)


def _shared_variables(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("use_schedule", [False, True])
def test_adamw_equals_keras_adamw_step_by_step(use_schedule):
    lr = WarmupCosineDecay(0.05, 3, 12, 0.005) if use_schedule else 0.02
    initial = _shared_variables()
    ours, theirs = [keras.Variable(w) for w in initial], [keras.Variable(w) for w in initial]
    a = AdamW(learning_rate=lr, weight_decay=0.2)
    b = keras.optimizers.AdamW(learning_rate=lr.to_keras() if use_schedule else lr, weight_decay=0.2)
    rng = np.random.default_rng(1)
    for _ in range(15):
        grads = [rng.normal(size=w.shape).astype("float32") for w in initial]
        a.apply(grads, ours)
        b.apply(grads, theirs)
        for x, y in zip(ours, theirs):
            np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=1e-5, atol=1e-5)
    assert not np.allclose(ours[0].numpy(), initial[0])


@pytest.mark.backend_neutral
def test_adamw_decay_is_decoupled_scaled_by_eta_and_can_be_excluded():
    w = keras.Variable(np.array([2.0, -1.0], "float32"))
    b = keras.Variable(np.array([3.0], "float32"), name="bias")
    optimizer = AdamW(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply([np.zeros(2, "float32"), np.zeros(1, "float32")], [w, b])
    # a zero gradient leaves the Adam step at 0: only theta <- theta - eta lambda theta acts
    np.testing.assert_allclose(w.numpy(), [2.0 * 0.95, -1.0 * 0.95], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [3.0])
    # the coupled form (Adam on g + lambda theta) moves theta by about eta, not by eta lambda theta
    coupled = keras.Variable(np.array([2.0, -1.0], "float32"))
    Adam(learning_rate=0.1, bias_correction=True).apply([0.5 * coupled.numpy()], [coupled])
    assert not np.allclose(coupled.numpy(), w.numpy(), atol=1e-2)


# --- clipping, the data and the loop ---

def _huge_gradient_model(vocabulary=11, seed=0):
    """A bigram LM whose output layer is so large that its gradient norm is in the thousands."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.layers.Embedding(vocabulary, 8),
                              keras.layers.Dense(vocabulary, kernel_initializer=keras.initializers.RandomNormal(0, 300))])
    model.build((None, None))
    return model


def _weights(model):
    return np.concatenate([w.numpy().ravel() for w in model.trainable_weights])


@pytest.mark.backend_neutral
def test_clipping_reuses_chapter_3_and_bounds_a_huge_step(monkeypatch):
    ids = np.random.default_rng(0).integers(0, 11, size=200)
    calls = []
    original = training.clip_by_global_norm
    monkeypatch.setattr(training, "clip_by_global_norm", lambda g, c: calls.append(c) or original(g, c))
    model = _huge_gradient_model()
    before = _weights(model)
    train_language_model(model, ids, sequence_length=8, batch_size=4, steps=1, clip_norm=0.5,
                         optimizer=keras.optimizers.SGD(learning_rate=1.0))
    assert calls and calls[0] == 0.5, "train_language_model must clip with dlcourse.sequence.clip_by_global_norm"
    assert np.linalg.norm(_weights(model) - before) <= 0.5 * (1 + 1e-4)
    unclipped = _huge_gradient_model()
    before = _weights(unclipped)
    train_language_model(unclipped, ids, sequence_length=8, batch_size=4, steps=1, clip_norm=None,
                         optimizer=keras.optimizers.SGD(learning_rate=1.0))
    assert np.linalg.norm(_weights(unclipped) - before) > 10.0


def test_windows_overlap_by_one_token_and_shuffle_is_seeded():
    data = language_model_dataset(np.arange(23), sequence_length=5, batch_size=2, seed=3)
    assert data.windows.tolist() == [[0, 1, 2, 3, 4], [4, 5, 6, 7, 8], [8, 9, 10, 11, 12], [12, 13, 14, 15, 16],
                                     [16, 17, 18, 19, 20]]
    assert len(data) == 2
    x, y = data[0]
    assert x.shape == (2, 5) and x.dtype == np.int32 and np.array_equal(x, y)
    again = language_model_dataset(np.arange(23), sequence_length=5, batch_size=2, seed=3)
    assert np.array_equal(again[1][0], data[1][0])
    with pytest.raises(ValueError, match="fewer than one batch"):
        language_model_dataset(np.arange(9), sequence_length=5, batch_size=4)
    with pytest.raises(ValueError, match="sequence_length"):
        language_model_dataset(np.arange(9), sequence_length=1, batch_size=1)


@pytest.mark.backend_neutral
def test_training_history_and_its_plot(tmp_path):
    vocabulary = 7
    ids = np.tile(np.arange(vocabulary), 60)  # each id is followed by the next: a bigram model learns it
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Embedding(vocabulary, vocabulary)])
    history = train_language_model(model, ids, ids[:100], sequence_length=8, batch_size=8, steps=40,
                                   learning_rate=0.1, eval_every=10)
    assert history["step"] == [10, 20, 30, 40]
    assert history["val_loss"][-1] < 0.5 * history["val_loss"][0]
    assert history["learning_rate"][0] == pytest.approx(float(WarmupCosineDecay(0.1, 4, 40, 0.01)(9)))
    figure = plot_loss_curve(history)
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["train", "validation"]
    assert figure.axes[0].get_lines()[1].get_ydata()[-1] == pytest.approx(history["val_loss"][-1])
    assert plot_loss_curve(history, perplexity=True).axes[0].get_yscale() == "log"
    # the compiled optimizer (AdamW on WarmupCosineDecay) and the loss save and load with the model
    model.save(tmp_path / "bigram.keras")
    loaded = keras.models.load_model(tmp_path / "bigram.keras")
    assert isinstance(loaded.optimizer, AdamW) and isinstance(loaded.optimizer._learning_rate, WarmupCosineDecay)
    assert isinstance(loaded.loss, CausalLMLoss)
    assert int(loaded.optimizer.iterations.numpy()) == 40


# --- the end-to-end result (README) ---

def test_pretrained_gpt_beats_the_unigram_baseline_and_samples_a_sentence():
    """grammar_corpus -> BytePairTokenizer -> GPT -> AdamW + warmup/cosine, seeded, CI-sized."""
    from dlcourse.data.text import GRAMMAR_CLASSES

    result = training.pretrain_demo(seed=0)
    ppl, baseline = result["validation_perplexity"], result["unigram_perplexity"]
    assert ppl < baseline / 5, f"held-out perplexity {ppl:.2f} is not well below the unigram baseline {baseline:.2f}"
    assert ppl < 6.0
    history = result["history"]
    assert history["val_loss"][-1] == pytest.approx(math.log(ppl), rel=1e-4)
    words = result["sample"].split()
    known = {w for ws in GRAMMAR_CLASSES.values() for w in ws} | {"the", "a", "to", "in", "through", "and", "is"}
    assert len(words) >= 3 and sum(w in known for w in words) >= len(words) - 1, result["sample"]


# --- the exercises and their library twins ---

def test_causal_lm_loss_exercise_matches_the_library():
    solution = load_module(str(ROOT / "solutions" / "ch08_llm" / "causal_lm_loss.py"), "ch08_causal_lm_loss_solution")
    logits, ids = _batch(5, scale=5.0)
    mask = (np.random.default_rng(5).uniform(size=ids.shape) < 0.7).astype("float32")
    mask[:, 1] = 1.0
    np.testing.assert_allclose(solution.causal_lm_loss(logits, ids, mask), float(causal_lm_loss(logits, ids, mask)),
                               rtol=1e-5)
    np.testing.assert_allclose(solution.causal_lm_loss(logits, ids), float(causal_lm_loss(logits, ids)), rtol=1e-5)
    assert solution.perplexity(1.5) == pytest.approx(perplexity(1.5))


def test_adamw_warmup_cosine_exercise_matches_the_library_and_keras():
    solution = load_module(str(ROOT / "solutions" / "ch08_llm" / "adamw_warmup_cosine.py"),
                           "ch08_adamw_warmup_cosine_solution")
    schedule = WarmupCosineDecay(3e-2, 4, 20, 3e-3)
    np.testing.assert_allclose([solution.warmup_cosine_learning_rate(s, 3e-2, 3e-3, 4, 20) for s in range(25)],
                               [float(schedule(s)) for s in range(25)], rtol=1e-6)
    # ten AdamW updates of the exercise on the schedule against Keras' AdamW on its CosineDecay
    theta0 = np.random.default_rng(7).normal(size=5)
    variable = keras.Variable(theta0.astype("float32"))
    oracle = keras.optimizers.AdamW(learning_rate=schedule.to_keras(), weight_decay=0.1, epsilon=1e-8)
    theta, m, v = theta0, np.zeros(5), np.zeros(5)
    rng = np.random.default_rng(8)
    for step in range(10):
        gradient = rng.normal(size=5)
        eta = solution.warmup_cosine_learning_rate(step, 3e-2, 3e-3, 4, 20)
        theta, m, v = solution.adamw_step(theta, gradient, m, v, step + 1, eta, 0.1, epsilon=1e-8)
        oracle.apply([gradient.astype("float32")], [variable])
        np.testing.assert_allclose(theta, variable.numpy(), rtol=1e-4, atol=1e-5)
