"""Continual training: train on task A, then on task B, measure what is forgotten of A, replay.

Lecture: §8 Foundation Models: LLM; §5.3.2 Transformer Variants

The notes end §5.3.2 with "pre-training, post-training and continuous training" and give
chapter 8 only its heading, so this is beyond the notes; it follows the continual-learning
literature's first experiment (catastrophic forgetting, McCloskey and Cohen, 1989; experience
replay, Ratcliff, 1990, and Rolnick et al., 2019) on the chapter's own LM.

A model trained on task A and then only on task B drifts to what B needs and loses A: its loss
on A, L_A, rises. With L_A(after A) and L_A(after B) the held-out mean NLLs on A,

    forgetting = L_A(after B) - L_A(after A)      (nats per token; > 0 means A was forgotten).

Replay mixes a fraction rho of A's sentences back into B's training data (rho = 0.25: one
sentence in four is A's), which keeps A's gradient in every update. The experiment here starts
both continuations, with and without replay, from the same weights after A, with the same steps
and optimizer, so the two forgettings differ by the replay alone.

The two tasks share one vocabulary and differ in structure: task A is `dlcourse.data`'s grammar
corpus, task B the same grammar's sentences read backwards ("the cat eats the soup" ->
"soup the eats cat the"), so each word keeps its meaning and frequency but every next-word
distribution changes. Words are the tokens (`dlcourse.nlp.Vocabulary`); each sentence ends with
<eos>, and a task is the stream of its sentences.
"""

from __future__ import annotations

import keras
import numpy as np

from dlcourse.arguments import non_negative_int, positive_int

__all__ = [
    "reversed_sentences",
    "continual_tasks",
    "replay_mixture",
    "forgetting",
    "continual_demo",
]


def reversed_sentences(sentences):
    """Each sentence with its words in reverse order (task B of the experiment).

    Example:

    >>> from dlcourse.llm.continual import reversed_sentences
    >>> reversed_sentences(["the cat eats the soup"])
    ['soup the eats cat the']
    """
    return [" ".join(reversed(sentence.split())) for sentence in sentences]


def _stream(sentences, vocabulary):
    from dlcourse.nlp.tokenizer import EOS_ID

    ids = []
    for sentence in sentences:
        ids.extend(vocabulary.token_to_id(word) for word in sentence.split())
        ids.append(EOS_ID)
    return np.asarray(ids, dtype="int32")


def continual_tasks(num_train=1200, num_validation=200, seed=0):
    """Tasks A (grammar sentences) and B (the same grammar, reversed) on one word vocabulary.

    Args:
        num_train: training sentences per task, >= 1.
        num_validation: held-out sentences per task, >= 1.
        seed: seed of the corpus; A and B are drawn from different sentences of it.

    Returns:
        A dict: "vocabulary" (a `dlcourse.nlp.Vocabulary` of both tasks' words; <eos> ends
        each sentence), "sentences" {"A": (train, validation), "B": (train, validation)} as
        lists of strings, and "streams" the same as 1-D int32 id arrays.

    Example:

    >>> from dlcourse.llm.continual import continual_tasks
    >>> tasks = continual_tasks(num_train=5, num_validation=2)
    >>> {sentence.split()[-1] for sentence in tasks["sentences"]["B"][0]} <= {"the", "a"}  # A starts with them
    True
    >>> sorted(tasks["streams"]), len(tasks["sentences"]["A"][0])
    (['A', 'B'], 5)
    """
    from dlcourse.data import grammar_corpus
    from dlcourse.nlp.tokenizer import Vocabulary

    num_train = positive_int("num_train", num_train)
    num_validation = positive_int("num_validation", num_validation)
    total = num_train + num_validation
    sentences, _ = grammar_corpus(2 * total, seed=non_negative_int("seed", seed))
    task_a = sentences[:total]
    task_b = reversed_sentences(sentences[total:])
    vocabulary = Vocabulary.build(task_a + task_b)
    split = {"A": (task_a[:num_train], task_a[num_train:]), "B": (task_b[:num_train], task_b[num_train:])}
    streams = {name: tuple(_stream(part, vocabulary) for part in parts) for name, parts in split.items()}
    return {"vocabulary": vocabulary, "sentences": split, "streams": streams}


def replay_mixture(new_sentences, old_sentences, replay_fraction, seed=0):
    """New-task sentences with a fraction of old-task sentences mixed in, shuffled.

    The result has len(new_sentences) sentences of the new task plus
    round(replay_fraction / (1 - replay_fraction) * len(new_sentences)) old ones (drawn
    without replacement, with replacement when more are needed than there are), so that a
    fraction `replay_fraction` of the mixture is old.

    Args:
        new_sentences: the new task's training sentences.
        old_sentences: the old task's training sentences.
        replay_fraction: rho in [0, 1).
        seed: seed of the draw and the shuffle.

    Returns:
        A list of sentences.

    Example:

    >>> from dlcourse.llm.continual import replay_mixture
    >>> mixed = replay_mixture(["b"] * 6, ["a"] * 10, 0.25, seed=0)
    >>> len(mixed), mixed.count("a")
    (8, 2)
    """
    if isinstance(replay_fraction, bool) or not isinstance(replay_fraction, (int, float)) \
            or not 0 <= replay_fraction < 1:
        raise ValueError(f"replay_fraction must be a number in [0, 1), got {replay_fraction!r}.")
    new_sentences, old_sentences = list(new_sentences), list(old_sentences)
    count = int(round(replay_fraction / (1 - replay_fraction) * len(new_sentences)))
    if count and not old_sentences:
        raise ValueError("replay_fraction > 0 needs old sentences to replay, got none.")
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(old_sentences), size=count, replace=count > len(old_sentences)) if count else []
    mixture = new_sentences + [old_sentences[i] for i in picked]
    return [mixture[i] for i in rng.permutation(len(mixture))]


def forgetting(loss_after_a, loss_after_b):
    """L_A(after B) - L_A(after A): how much task A's held-out loss rose while training on B.

    Example:

    >>> from dlcourse.llm.continual import forgetting
    >>> forgetting(1.25, 2.0)
    0.75
    """
    return float(loss_after_b) - float(loss_after_a)


def _model(vocabulary_size, sequence_length, hidden_dim, num_layers, num_heads):
    from dlcourse.llm import GPT

    return GPT(vocabulary_size, max_length=sequence_length, hidden_dim=hidden_dim, num_layers=num_layers,
               num_heads=num_heads)


def _train(model, stream, steps, sequence_length, batch_size, seed):
    """`steps` updates on windows of `stream`, in the order of `language_model_dataset`."""
    from dlcourse.llm.training import language_model_dataset

    data = language_model_dataset(stream, sequence_length, batch_size, seed=seed)
    batch = 0
    for _ in range(steps):
        if batch == len(data):
            data.on_epoch_end()
            batch = 0
        x, y = data[batch]
        batch += 1
        model.train_on_batch(x, y)


def continual_demo(seed=0, replay_fraction=0.25, num_train=1200, num_validation=200, steps_a=150, steps_b=150,
                   sequence_length=16, batch_size=16, hidden_dim=32, num_layers=1, num_heads=2,
                   learning_rate=1e-2):
    """Train a tiny GPT on task A, then on task B with and without replay; measure forgetting.

    Each phase is a fresh pre-training run of pre-training's recipe (`dlcourse.llm.training`):
    `CausalLMLoss`, AdamW with weight decay 0.1 and global-norm clipping at 1, a warmup + cosine
    schedule restarted at step 0, windows in `language_model_dataset`'s order. Both
    continuations start from the same weights after A and a fresh optimizer state; the one with
    replay trains on `replay_mixture(B, A, replay_fraction)`. The model is compiled once and the
    optimizer's initial state restored before each phase, so the three phases share one traced
    training step (what keeps this within a CI test's budget). Losses are held-out mean NLLs
    per token (`dlcourse.llm.training.mean_negative_log_likelihood`).

    Args:
        seed: seeds the corpus, the weights, the window order and the replay draw.
        replay_fraction: rho, the share of A's sentences in the replay run's data, in (0, 1).
        num_train, num_validation: sentences per task.
        steps_a, steps_b: training steps on A, then on B.
        sequence_length, batch_size: windows of the token streams.
        hidden_dim, num_layers, num_heads: the GPT's size.
        learning_rate: the schedule's peak.

    Returns:
        A dict of floats: "loss_a_after_a", "loss_a_after_b", "loss_a_after_b_replay",
        "loss_b_after_a", "loss_b_after_b", "loss_b_after_b_replay", "forgetting",
        "forgetting_replay", and "replay_fraction".
    """
    from dlcourse.llm.training import CausalLMLoss, WarmupCosineDecay, mean_negative_log_likelihood
    from dlcourse.training import AdamW

    if isinstance(replay_fraction, bool) or not isinstance(replay_fraction, (int, float)) \
            or not 0 < replay_fraction < 1:
        raise ValueError(f"replay_fraction must be a number in (0, 1), got {replay_fraction!r}.")
    steps_a, steps_b = positive_int("steps_a", steps_a), positive_int("steps_b", steps_b)
    tasks = continual_tasks(num_train, num_validation, seed=seed)
    vocabulary = tasks["vocabulary"]
    (train_a, val_a), (train_b, val_b) = tasks["streams"]["A"], tasks["streams"]["B"]
    mixed = _stream(replay_mixture(tasks["sentences"]["B"][0], tasks["sentences"]["A"][0], replay_fraction,
                                   seed=seed), vocabulary)
    keras.utils.set_random_seed(seed)
    model = _model(len(vocabulary), sequence_length, hidden_dim, num_layers, num_heads)
    longest = max(steps_a, steps_b)
    schedule = WarmupCosineDecay(learning_rate, max(1, longest // 10), longest, learning_rate / 10)
    optimizer = AdamW(schedule, weight_decay=0.1, global_clipnorm=1.0)
    model.compile(optimizer=optimizer, loss=CausalLMLoss())
    model.build((None, sequence_length))
    optimizer.build(model.trainable_variables)
    fresh = [keras.ops.convert_to_numpy(v) for v in optimizer.variables]

    def phase(stream, steps, weights=None):
        if weights is not None:
            model.set_weights(weights)
        for variable, value in zip(optimizer.variables, fresh):
            variable.assign(value)
        _train(model, stream, steps, sequence_length, batch_size, seed)
        return (mean_negative_log_likelihood(model, val_a, sequence_length, batch_size=64),
                mean_negative_log_likelihood(model, val_b, sequence_length, batch_size=64))

    loss_a_after_a, loss_b_after_a = phase(train_a, steps_a)
    after_a = model.get_weights()
    loss_a_after_b, loss_b_after_b = phase(train_b, steps_b)
    loss_a_replay, loss_b_replay = phase(mixed, steps_b, weights=after_a)
    return {"loss_a_after_a": loss_a_after_a, "loss_b_after_a": loss_b_after_a,
            "loss_a_after_b": loss_a_after_b, "loss_b_after_b": loss_b_after_b,
            "loss_a_after_b_replay": loss_a_replay, "loss_b_after_b_replay": loss_b_replay,
            "forgetting": forgetting(loss_a_after_a, loss_a_after_b),
            "forgetting_replay": forgetting(loss_a_after_a, loss_a_replay),
            "replay_fraction": float(replay_fraction)}
